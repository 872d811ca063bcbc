from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.admin.views.pages.bulk_actions.publish import PublishBulkAction
from wagtail.models import PageLogEntry

from . import (
    breaking_views,
    desks,
    live,
    live_views,
    machine_translation,
    permissions,
    publishing,
    translation_views,
)
from .admin import ArticleListingViewSet, StoryViewSet
from .models import ArticlePage, DraftPrivacyPageLogEntry, LiveBlogPage


@hooks.register("register_admin_viewset")
def register_article_listing():
    return ArticleListingViewSet("articles", model=ArticlePage)


@hooks.register("register_admin_viewset")
def register_story_views():
    return StoryViewSet()


@hooks.register("construct_page_chooser_queryset")
def hide_private_drafts_from_chooser(pages, request):
    # The chooser lists every page, whatever the user's permissions: drafts are not.
    return permissions.visible_to(request.user, pages)


@hooks.register("construct_explorer_page_queryset")
def hide_private_drafts_from_explorer(parent_page, pages, request):
    # The page policy already leaves them out, unless a site turns off the permission
    # filter of admin searches (WAGTAILADMIN_PAGE_SEARCH_FILTER_BY_PERMISSIONS).
    return permissions.visible_to(request.user, pages)


@hooks.register("register_log_actions", order=100)
def list_page_history_without_private_drafts(actions):
    # After Wagtail's own registration (order 0): site history lists page entries through
    # this proxy; pages still write their entries as PageLogEntry, to the same table.
    actions.log_entry_models.discard(PageLogEntry)
    actions.log_entry_models.add(DraftPrivacyPageLogEntry)


@hooks.register("before_publish_page")
def apply_publishing_rules(request, page):
    """The editor's Publish button runs Wagtail's action itself; the rules run here for it.
    The revision is already saved, so a refused publish loses none of the editor's work."""
    reason = publishing.refusal(page, request.user)
    if reason:
        if page.live and page.live_revision_id is None:
            # The create form adds a new page as live before it asks; it was never published.
            type(page).objects.filter(pk=page.pk).update(live=False)
        messages.error(request, reason)
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("register_bulk_action", order=1)
class PublishWhatTheRulesAllow(PublishBulkAction):
    """Bulk publishing lists a story a rule refuses among those it cannot publish, and
    publishes the rest, instead of failing the whole batch."""

    def check_perm(self, page):
        return super().check_perm(page) and not publishing.refusal(page.specific, self.request.user)


class BreakingNewsMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return breaking_views.may_mark_any(request.user)


class MarkBreakingButton(PageMenuItem):
    label = _("Mark as breaking")
    icon_name = "warning"
    url_name = "news_breaking_mark"

    def is_shown(self, user) -> bool:
        return (
            issubclass(self.page.specific_class or type(None), ArticlePage)
            and self.page.live
            and breaking_views.may_mark(user, self.page)
        )


@hooks.register("register_admin_urls")
def breaking_news_urls():
    return [
        path("breaking/", breaking_views.index, name="news_breaking"),
        path("breaking/<int:page_id>/", breaking_views.mark, name="news_breaking_mark"),
        path("breaking/<int:page_id>/clear/", breaking_views.clear, name="news_breaking_clear"),
    ]


@hooks.register("register_admin_menu_item")
def breaking_news_menu_item():
    return BreakingNewsMenuItem(
        _("Breaking news"),
        reverse("news_breaking"),
        name="breaking-news",
        icon_name="warning",
        order=160,
    )


@hooks.register("register_page_listing_more_buttons")
def mark_breaking_in_listings(page, user, next_url=None):
    yield MarkBreakingButton(page=page, next_url=next_url, priority=45)


class MarkBreakingAction(ActionMenuItem):
    """In the story editor's publish menu, beside Unpublish."""

    label = _("Mark as breaking")
    name = "action-mark-breaking"
    icon_name = "warning"

    def is_shown(self, context) -> bool:
        page = context.get("page")
        return (
            context["view"] == "edit"
            and isinstance(page, ArticlePage)
            and page.live
            and self.get_user_page_permissions_tester(context).can_publish()
        )

    def get_url(self, parent_context) -> str:
        return reverse("news_breaking_mark", args=[parent_context["page"].pk])


@hooks.register("register_page_action_menu_item")
def mark_breaking_in_editor():
    return MarkBreakingAction(order=45)


@hooks.register("register_admin_urls")
def live_blog_urls():
    return [
        path("live/<int:page_id>/", live_views.desk, name="news_live_desk"),
        path(
            "live/<int:page_id>/updates/<int:update_id>/",
            live_views.revise,
            name="news_live_revise",
        ),
        path(
            "live/<int:page_id>/updates/<int:update_id>/delete/",
            live_views.delete,
            name="news_live_delete",
        ),
        path("live/<int:page_id>/end/", live_views.end, name="news_live_end"),
        path("live/<int:page_id>/resume/", live_views.resume, name="news_live_resume"),
    ]


class LiveDeskButton(PageMenuItem):
    label = _("Live updates")
    icon_name = "comment"
    url_name = "news_live_desk"

    def is_shown(self, user) -> bool:
        return issubclass(self.page.specific_class or type(None), LiveBlogPage) and (
            live_views.may_post(user, self.page)
        )


@hooks.register("register_page_listing_more_buttons")
def live_desk_in_listings(page, user, next_url=None):
    yield LiveDeskButton(page=page, next_url=next_url, priority=40)


class LiveDeskAction(ActionMenuItem):
    """In the live blog editor's publish menu: post updates without publishing the page."""

    label = _("Live updates")
    name = "action-live-updates"
    icon_name = "comment"

    def is_shown(self, context) -> bool:
        return (
            context["view"] == "edit"
            and isinstance(context.get("page"), LiveBlogPage)
            and self.get_user_page_permissions_tester(context).can_publish()
        )

    def get_url(self, parent_context) -> str:
        return reverse("news_live_desk", args=[parent_context["page"].pk])


@hooks.register("register_page_action_menu_item")
def live_desk_in_editor():
    return LiveDeskAction(order=40)


@hooks.register("register_log_actions")
def live_blog_log_actions(actions):
    actions.register_action(live.POSTED, _("Post live update"), _("Live update posted"))
    actions.register_action(live.REVISED, _("Correct live update"), _("Live update corrected"))
    actions.register_action(live.DELETED, _("Delete live update"), _("Live update deleted"))
    actions.register_action(live.ENDED, _("End live coverage"), _("Live coverage ended"))
    actions.register_action(live.RESUMED, _("Resume live coverage"), _("Live coverage resumed"))
    actions.register_action(desks.ASSIGNED, _("Assign translation"), _("Translation assigned"))
    actions.register_action(
        desks.UNASSIGNED, _("Unassign translation"), _("Translation unassigned")
    )


class TranslationsMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return translation_views.may_translate(request.user)


@hooks.register("register_admin_urls")
def translation_desk_urls():
    return [
        path("translations/", translation_views.overview, name="news_translations"),
        path("translations/mine/", translation_views.my_assignments, name="news_my_assignments"),
        path(
            "translations/<int:page_id>/<str:language>/assign/",
            translation_views.assign,
            name="news_assign_translation",
        ),
        path(
            "translations/<int:page_id>/changes/",
            translation_views.source_changes,
            name="news_translation_changes",
        ),
        path(
            "translations/<int:page_id>/<str:language>/",
            translation_views.translate,
            name="news_translate",
        ),
    ]


@hooks.register("register_admin_menu_item")
def translations_menu_item():
    return TranslationsMenuItem(
        _("Translations"),
        reverse("news_translations"),
        name="translations",
        icon_name="globe",
        order=158,
    )


@hooks.register("before_edit_page")
def say_when_a_draft_is_machine_translated(request, page):
    if request.method == "GET" and machine_translation.is_machine_translated(page):
        messages.warning(
            request,
            _(
                "This draft was translated by machine. Read it against the source and "
                "correct it before publishing; saving it removes this mark."
            ),
        )


class MyAssignmentsPanel(Component):
    """On the newsroom's dashboard: the translations given to the signed-in person that
    are still to do, soonest due first."""

    name = "my_translation_assignments"
    order = 90
    template_name = "news/admin/my_assignments_panel.html"
    SHOWN = 5

    def __init__(self, to_do: list) -> None:
        self.to_do = to_do

    def get_context_data(self, parent_context=None) -> dict:
        return {"to_do": self.to_do[: self.SHOWN], "more": max(len(self.to_do) - self.SHOWN, 0)}


@hooks.register("construct_homepage_panels")
def show_my_assignments(request, panels):
    to_do = [item for item in desks.assignments_of(request.user) if not item.done]
    if to_do:
        panels.append(MyAssignmentsPanel(to_do))
