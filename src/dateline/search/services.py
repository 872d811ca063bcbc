"""Searching the stories of one language."""

from wagtail.models import Locale
from wagtail.search.query import PlainText

from dateline.news.models import ArticlePage

MAX_QUERY_LENGTH = 200


def search_articles(query: str, locale: Locale):
    """Live articles of the language that match, best first."""
    articles = ArticlePage.objects.live().public().filter(locale=locale)
    return articles.search(PlainText(query, operator="and"), order_by_relevance=True)
