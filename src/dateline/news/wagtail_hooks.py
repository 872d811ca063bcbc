from django.contrib import messages
from django.shortcuts import redirect
from wagtail import hooks
from wagtail.admin.views.pages.bulk_actions.publish import PublishBulkAction

from . import publishing
from .admin import ArticleListingViewSet
from .models import ArticlePage


@hooks.register("register_admin_viewset")
def register_article_listing():
    return ArticleListingViewSet("articles", model=ArticlePage)


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
