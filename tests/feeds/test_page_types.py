"""A page type describes itself: the head shows what its own `seo_data` says, with no
list of page types anywhere in feeds; a page type that says nothing gets the defaults."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.template import RequestContext, Template
from django.urls import resolve
from django.utils import translation
from wagtail.models import Page

from dateline.core.models import SiteSettings
from dateline.news import services
from dateline.news.models import StandardPage
from dateline.news.seo import FeedLink, Picture, SeoData, SeoSite

pytestmark = pytest.mark.django_db


class PressRelease(StandardPage):
    """A page type only this test knows."""

    template = "news/standard_page.html"

    class Meta:
        proxy = True
        app_label = "news"

    def seo_data(self, site: SeoSite) -> SeoData:
        described = super().seo_data(site)
        described.title = f"Press release: {self.title}"
        described.description = "Statements from the newsroom."
        described.og_type = "article"
        described.image = Picture("https://images.example/press.png", 1200, 630)
        described.image_alt = "The newsroom's letterhead"
        described.feeds = [FeedLink("Press releases", "/en/press/rss.xml")]
        return described

    def structured_data(self, site: SeoSite, described: SeoData) -> list[dict]:
        return [{"@context": "https://schema.org", "@type": "WebPage", "name": described.title}]


def absolute(path: str) -> str:
    return settings.DATELINE_BASE_URL.rstrip("/") + path


def meta(head, key: str, attribute: str = "property") -> list[str]:
    return [tag["content"] for tag in head.find_all("meta", attrs={attribute: key})]


def feed_titles(head) -> list[str]:
    return [link["title"] for link in head.find_all("link", type="application/rss+xml")]


@pytest.fixture
def press_release(home) -> PressRelease:
    page = PressRelease(
        title="New editor-in-chief",
        slug="new-editor",
        content_type=ContentType.objects.get_for_model(PressRelease, for_concrete_model=False),
    )
    home.add_child(instance=page)
    services.publish(page)
    return page


def test_a_new_page_type_is_described_by_its_own_seo_data(client, press_release):
    response = client.get(press_release.url)
    assert response.status_code == 200
    head = BeautifulSoup(response.content.decode(), "html.parser").head
    assert meta(head, "og:title") == ["Press release: New editor-in-chief"]
    assert meta(head, "twitter:title", "name") == ["Press release: New editor-in-chief"]
    assert meta(head, "og:description") == ["Statements from the newsroom."]
    assert meta(head, "og:type") == ["article"]
    assert meta(head, "og:image") == ["https://images.example/press.png"]
    assert meta(head, "og:image:alt") == ["The newsroom's letterhead"]
    assert meta(head, "og:url") == [absolute(press_release.url)]
    # the language's feed on every page, then the page's own
    assert feed_titles(head)[1:] == ["Press releases"]
    structured = [
        json.loads(script.string)
        for script in head.find_all("script", attrs={"type": "application/ld+json"})
    ]
    assert structured == [
        {
            "@context": "https://schema.org",
            "@type": "WebPage",
            "name": "Press release: New editor-in-chief",
        }
    ]


def test_a_plain_wagtail_page_gets_the_site_defaults(rf, home):
    page = Page(title="Archive", slug="archive", seo_title="The archive")
    home.add_child(instance=page)
    services.publish(page)
    with translation.override("en"):
        request = rf.get(page.url)
        request.resolver_match = resolve(page.url)
        request.user = AnonymousUser()
        html = Template("{% load seo %}{% seo_tags %}").render(
            RequestContext(request, {"page": page})
        )
    head = BeautifulSoup(html, "html.parser")
    site_text = SiteSettings.load().texts_for("en")
    assert meta(head, "og:title") == ["The archive"]
    assert meta(head, "og:description") == [site_text.tagline]
    assert meta(head, "og:type") == ["website"]
    assert meta(head, "og:url") == [absolute(page.url)]
    assert meta(head, "og:image:width") == ["1200"]
    assert meta(head, "og:image:alt") == [site_text.site_name]
    assert meta(head, "robots", "name")[0].startswith("index, follow")
    assert feed_titles(head) == [site_text.site_name]
    assert head.find_all("script") == []
