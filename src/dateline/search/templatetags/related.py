"""`{% related_stories page as stories %}` for the story page."""

from django import template

from dateline.news.models import ArticlePage

from .. import related

register = template.Library()


@register.simple_tag
def related_stories(article: ArticlePage) -> list[ArticlePage]:
    return related.related_stories(article)
