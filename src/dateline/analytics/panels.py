"""The read-only view count on the article editor."""

from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel


class ViewCountPanel(Panel):
    """Read-only: the article's count as readers see it."""

    class BoundPanel(Panel.BoundPanel):
        def render_html(self, parent_context=None) -> str:
            from .services import view_count

            if self.instance is None or not self.instance.pk:
                return format_html("<p>{}</p>", _("Counted once the article is published."))
            return format_html(
                "<p><strong data-view-total>{}</strong> {}</p>",
                view_count(self.instance),
                _("views so far"),
            )


def add_view_count_panel() -> None:
    """The count heads the story editor's settings tab (before Wagtail builds the form)."""
    from dateline.news.models import ArticlePage

    if not any(isinstance(panel, ViewCountPanel) for panel in ArticlePage.settings_panels):
        ArticlePage.settings_panels = [
            ViewCountPanel(heading=_("Views")),
            *ArticlePage.settings_panels,
        ]
