"""Stored and reflected cross-site scripting: hostile text put into every field a reader
or an importer can reach comes back escaped everywhere it is shown (pages, feeds,
structured data, search), and rich text from outside the editor is sanitised on the way
in."""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import pytest
from wagtail.images.tests.utils import get_test_image_file
from wagtail.rich_text import RichText

from dateline.core.models import NewsImage, SiteSettings, SiteText
from dateline.core.sanitise import sanitise_html
from dateline.news import services
from dateline.news.models import ArticlePage, Author

pytestmark = pytest.mark.django_db

# Breaks out of an attribute, an element and a <script> block; carries a marker word so
# search finds the story.
PAYLOAD = (
    "zanzibarx \"'><script>alert(1)</script><img src=x onerror=alert(2)>"
    "</script><svg/onload=alert(3)>"
)
LIVE_MARKUP = [
    "<script>alert(1)",
    "<img src=x onerror",
    "<svg/onload",
    "</script><svg",
]


def assert_inert(response, where: str) -> None:
    """None of the payload's tags reach the response as markup. JSON is data: it may
    hold the text as it was typed, as long as no browser can take it for a page."""
    if response["Content-Type"].startswith("application/json"):
        assert response["X-Content-Type-Options"] == "nosniff", where
        json.loads(response.content)
        return
    body = response.content.decode()
    for markup in LIVE_MARKUP:
        assert markup not in body, f"{where}: {markup!r} came back live"


@pytest.fixture
def hostile_story(world, settings) -> ArticlePage:
    author = Author.objects.create(
        name=f"Ann {PAYLOAD}",
        slug="ann-hostile",
        role=PAYLOAD,
        bio=PAYLOAD,
        locale=world.locale,
    )
    picture = NewsImage.objects.create(title=PAYLOAD, file=get_test_image_file(), credit=PAYLOAD)
    story = services.create_article(
        world,
        title=f"Hostile {PAYLOAD}"[:255],
        slug="hostile-story",
        standfirst=PAYLOAD,
        lead_image=picture,
        lead_image_caption=PAYLOAD[:300],
        source=PAYLOAD,
        seo_title="",
        search_description="",
        body=[
            # What an importer hands over: its HTML, sanitised on the way in.
            ("paragraph", RichText(sanitise_html(f"<p>{PAYLOAD}</p><p onclick=x>ok</p>"))),
            ("heading", PAYLOAD[:120]),
            ("quote", {"quote": PAYLOAD, "attribution": PAYLOAD[:200]}),
            ("figure", {"image": picture, "caption": PAYLOAD[:300]}),
        ],
        authors=[author],
        tags=["zanzibarx <script>alert(1)</script>"],
    )

    site_settings = SiteSettings.load()
    SiteText.objects.update_or_create(
        settings=site_settings,
        language="en",
        defaults={"site_name": PAYLOAD[:100], "tagline": PAYLOAD[:200], "reuse_notice": PAYLOAD},
    )
    return ArticlePage.objects.get(pk=story.pk)


def test_stored_payloads_come_back_escaped_on_every_page(client, hostile_story, world):
    author = hostile_story.bylines.first().author
    tag = hostile_story.tags.first()
    pages = {
        "article": hostile_story.url,
        "section": world.url,
        "home": "/en/",
        "tag": f"/en/tags/{tag.slug}/",
        "author": f"/en/authors/{author.slug}/",
        "search": "/en/search/?q=zanzibarx",
        "404": "/en/no-such-page/",
    }
    for where, path in pages.items():
        response = client.get(path)
        assert response.status_code in {200, 404}, where
        assert_inert(response, where)
    article_html = client.get(hostile_story.url).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in article_html  # shown as text


def test_the_payload_is_found_by_search_and_shown_as_text(client, hostile_story):
    response = client.get("/en/search/?q=zanzibarx")
    assert response.status_code == 200
    assert "hostile-story" in response.content.decode()
    assert_inert(response, "search results")
    suggestions = client.get("/en/search/suggest/?q=zanzibarx")
    assert suggestions["Content-Type"].startswith("application/json")
    json.loads(suggestions.content)


def test_structured_data_cannot_close_its_script_element(client, hostile_story):
    html = client.get(hostile_story.url).content.decode()
    blocks = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.DOTALL
    )
    assert blocks
    for block in blocks:
        data = json.loads(block)
        assert data  # still valid JSON, with the payload as a plain string
        assert "<" not in block


def test_feeds_and_sitemaps_escape_the_payload(client, hostile_story, world):
    for path in ["/en/rss.xml", f"{world.url}rss.xml", "/sitemap.xml", "/en/news-sitemap.xml"]:
        response = client.get(path)
        if response.status_code == 404:
            continue
        assert response.status_code == 200, path
        assert_inert(response, path)


def test_the_view_count_panel_in_the_admin_escapes_the_headline(admin_client, hostile_story):
    response = admin_client.get(f"/admin/pages/{hostile_story.pk}/edit/")
    assert response.status_code == 200
    assert_inert(response, "admin editor")


@pytest.mark.parametrize(
    "path",
    [
        "/en/search/?q=" + quote(PAYLOAD),
        "/en/search/?q=zanzibarx&page=" + quote(PAYLOAD),
        "/en/search/?q=zanzibarx&section=" + quote(PAYLOAD),
        "/en/search/suggest/?q=" + quote(PAYLOAD),
        "/en/tags/" + quote(PAYLOAD, safe="") + "/",
        "/en/authors/" + quote(PAYLOAD, safe="") + "/",
        "/en/" + quote(PAYLOAD, safe="") + "/",
        "/en/world/?page=" + quote(PAYLOAD),
        "/" + quote(PAYLOAD, safe="") + "/",
        "/admin/login/?next=" + quote(PAYLOAD),
    ],
)
def test_reflected_payloads_come_back_escaped(client, path):
    response = client.get(path)
    assert response.status_code < 500, path
    assert_inert(response, path)


def test_search_query_is_shown_back_as_text(client):
    response = client.get("/en/search/?q=" + quote(PAYLOAD))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.content.decode()


class TestSanitiseHtml:
    def test_keeps_what_the_editor_can_write(self):
        html = (
            '<h2>Head</h2><p><b>bold</b> <i>it</i> <a href="https://example.org/x">link</a></p>'
            "<ul><li>one</li></ul><blockquote>q</blockquote>"
        )
        cleaned = sanitise_html(html)
        assert "<h2>Head</h2>" in cleaned
        assert '<a href="https://example.org/x" rel="noopener noreferrer">link</a>' in cleaned
        assert "<ul><li>one</li></ul>" in cleaned

    def test_keeps_links_to_the_sites_own_pages(self):
        cleaned = sanitise_html('<p><a linktype="page" id="42">story</a></p>')
        assert 'linktype="page"' in cleaned and 'id="42"' in cleaned

    @pytest.mark.parametrize(
        "hostile",
        [
            "<script>alert(1)</script>",
            '<img src=x onerror="alert(1)">',
            '<a href="javascript:alert(1)">x</a>',
            '<a href="JaVaScRiPt:alert(1)">x</a>',
            '<a href="data:text/html,<script>alert(1)</script>">x</a>',
            "<iframe src=https://evil.example></iframe>",
            "<style>body{display:none}</style>",
            '<p style="background:url(javascript:alert(1))">x</p>',
            "<svg><script>alert(1)</script></svg>",
            "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
            '<form action="https://evil.example"><input name=password></form>',
            "<!--<script>alert(1)</script>-->",
            '<p onmouseover="alert(1)">x</p>',
        ],
    )
    def test_drops_scripts_handlers_and_dangerous_urls(self, hostile):
        cleaned = sanitise_html(hostile).lower()
        for bad in ["<script", "onerror", "onmouseover", "javascript:", "<iframe", "<style"]:
            assert bad not in cleaned
        for bad in ["<svg", "<form", "<input", "data:text", "style="]:
            assert bad not in cleaned

    def test_a_huge_input_is_cleaned_not_refused(self):
        cleaned = sanitise_html("<p>" + "<b>x</b>" * 100_000 + "</p><script>x</script>")
        assert cleaned.endswith("</p>")

    def test_plain_text_paragraphs_are_escaped(self):
        html = services.text_to_rich_text(["<script>alert(1)</script>", "a & b"])
        assert html == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p><p>a &amp; b</p>"
