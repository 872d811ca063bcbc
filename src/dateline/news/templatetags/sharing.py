"""`{% share_links page as links %}`: the story's share buttons, from news/sharing.py."""

from __future__ import annotations

from django import template

from dateline.news.models import ArticlePage
from dateline.news.queries import share_links as story_share_links
from dateline.news.sharing import ShareLink

register = template.Library()


@register.simple_tag
def share_links(page: ArticlePage) -> list[ShareLink]:
    return story_share_links(page)
