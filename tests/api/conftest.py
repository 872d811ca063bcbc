"""API fixtures: a reader's client and stories written through the news services."""

from __future__ import annotations

import pytest
from django.utils import timezone
from wagtail.models import Locale
from wagtail.rich_text import RichText

from dateline.news import services
from dateline.news.models import ArticlePage, SectionPage


@pytest.fixture
def api(client):
    """GET /api/v1/<path> and the decoded JSON, with the response kept for headers."""

    def get(endpoint: str, headers: dict | None = None, **params):
        response = client.get(f"/api/v1/{endpoint.lstrip('/')}", params, headers=headers)
        plain = response.content and response.get("Content-Encoding") != "gzip"
        response.data = response.json() if plain else None
        return response

    return get


@pytest.fixture
def write(db):
    """Publish a story in a section through the services; `publish=False` leaves a draft."""

    def make(
        section: SectionPage,
        slug: str,
        headline: str = "A story",
        text: str = "Text of the story.",
        publish: bool = True,
        **fields,
    ) -> ArticlePage:
        fields.setdefault("body", [("paragraph", RichText(f"<p>{text}</p>"))])
        return services.create_article(
            section, title=headline, slug=slug, standfirst=text, publish_now=publish, **fields
        )

    return make


@pytest.fixture
def desk(db):
    """An empty section of the language for stories a test writes."""

    def make(code: str = "en", slug: str = "api-desk") -> SectionPage:
        home = services.home_for(Locale.objects.get(language_code=code))
        return services.create_section(
            home, title=f"API desk {code}", slug=slug, description="Stories for tests."
        )

    return make


@pytest.fixture
def now():
    return timezone.now()
