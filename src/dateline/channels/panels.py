"""The story editor's "Channels" panel: the "post to channels" box, and what became of
each post, with its error and a Retry button when it failed."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, Panel


class ChannelPostsPanel(Panel):
    class BoundPanel(Panel.BoundPanel):
        def render_html(self, parent_context=None) -> str:
            from . import services

            story = self.instance
            posts = services.posts_of(story) if story is not None and story.pk else []
            rows = [
                {
                    "post": post,
                    "uncertain": services.is_uncertain(post),
                    "may_retry": services.may_retry(post),
                }
                for post in posts
            ]
            return render_to_string(
                "channels/admin/story_posts.html",
                {"rows": rows, "story": story},
                request=self.request,
            )


def channels_panel() -> MultiFieldPanel:
    return MultiFieldPanel(
        [FieldPanel("post_to_channels"), ChannelPostsPanel()],
        heading=_("Channels"),
        classname="dateline-channels",
    )


def add_channels_panel() -> None:
    """After the publishing settings of every kind of story (before Wagtail builds the
    form)."""
    from dateline.news.models import ArticlePage, LiveBlogPage

    for model in (ArticlePage, LiveBlogPage):
        panels = model.settings_panels
        if not any(getattr(panel, "classname", "") == "dateline-channels" for panel in panels):
            model.settings_panels = [*panels, channels_panel()]
