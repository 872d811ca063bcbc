"""Searching the stories of one language."""

import re

from wagtail.models import Locale
from wagtail.search.query import PlainText

from dateline.news.models import ArticlePage

MAX_QUERY_LENGTH = 200


# Quotes and control characters are syntax to the full-text engines, not words.
NOT_WORDS = re.compile(r'[\x00-\x1f\x7f"]+')


def clean_query(query: str) -> str:
    return " ".join(NOT_WORDS.sub(" ", query).split())


def search_articles(query: str, locale: Locale):
    """Live articles of the language that match, best first."""
    query = clean_query(query)
    articles = ArticlePage.objects.live().public().filter(locale=locale)
    if not query:
        return articles.none()
    return articles.search(PlainText(query, operator="and"), order_by_relevance=True)
