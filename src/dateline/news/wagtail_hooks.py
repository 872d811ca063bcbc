from django.contrib import messages
from django.shortcuts import redirect
from wagtail import hooks
from wagtail.admin.views.pages.bulk_actions.publish import PublishBulkAction
from wagtail.models import PageLogEntry

from . import permissions, publishing
from .admin import ArticleListingViewSet
from .models import ArticlePage, DraftPrivacyPageLogEntry


@hooks.register("register_admin_viewset")
def register_article_listing():
    return ArticleListingViewSet("articles", model=ArticlePage)


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
