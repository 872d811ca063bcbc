"""Search fixtures: the test collection, written through the news services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import Locale

from dateline.news import services
from dateline.news.models import ArticlePage, SectionPage

from .collection import COLLECTION


def write_article(
    section: SectionPage, slug: str, headline: str, text: str, published_at=None
) -> ArticlePage:
    return services.create_article(
        section,
        title=headline,
        slug=slug,
        standfirst=text,
        paragraphs=[text],
        first_published_at=published_at or timezone.now(),
    )


@pytest.fixture
def desk(db):
    """An empty section of the language, for stories written by a test."""

    def make(code: str, slug: str = "search-desk") -> SectionPage:
        home = services.home_for(Locale.objects.get(language_code=code))
        return services.create_section(
            home, title=f"Search desk {code}", slug=slug, description="Stories for tests."
        )

    return make


@pytest.fixture
def collection(desk):
    """The language's test collection in a section of its own: (section, {key: article})."""

    def make(code: str):
        section = desk(code)
        now = timezone.now()
        articles = {
            key: write_article(section, key, headline, text, now - timedelta(hours=i))
            for i, (key, (headline, text)) in enumerate(COLLECTION[code]["articles"].items())
        }
        return section, articles

    return make
