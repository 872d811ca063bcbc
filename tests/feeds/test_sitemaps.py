"""Sitemaps, the Google News sitemap and robots.txt, read as a crawler reads them."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.models import Locale, Page, PageViewRestriction

from dateline.core.addresses import page_path
from dateline.news import services
from dateline.news.models import ArticlePage, HomePage, StandardPage, published_articles

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "ru", "hy", "az"]
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def absolute(path: str) -> str:
    return settings.DATELINE_BASE_URL.rstrip("/") + path


def local(url: str) -> str:
    return url.removeprefix(settings.DATELINE_BASE_URL.rstrip("/"))


def fetch_xml(client, path: str) -> ET.Element:
    response = client.get(path)
    assert response.status_code == 200, path
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


def sitemap_urls(client) -> dict[str, dict]:
    """{loc: {"lastmod": …, "alternates": {hreflang: href}}} over every language sitemap."""
    index = fetch_xml(client, "/sitemap.xml")
    found = {}
    for loc in index.findall("sm:sitemap/sm:loc", NS):
        if "news-sitemap" in loc.text or "-authors.xml" in loc.text:
            continue
        urlset = fetch_xml(client, local(loc.text))
        for url in urlset.findall("sm:url", NS):
            alternates = {
                link.get("hreflang"): link.get("href")
                for link in url.findall("xhtml:link", NS)
                if link.get("rel") == "alternate"
            }
            found[url.find("sm:loc", NS).text] = {
                "lastmod": url.find("sm:lastmod", NS).text,
                "alternates": alternates,
            }
    return found


def test_index_lists_a_sitemap_and_a_news_sitemap_per_language(client):
    index = fetch_xml(client, "/sitemap.xml")
    assert index.tag == f"{{{NS['sm']}}}sitemapindex"
    locs = [loc.text for loc in index.findall("sm:sitemap/sm:loc", NS)]
    for lang in LANGUAGES:
        assert absolute(f"/sitemaps/{lang}-1.xml") in locs
        assert absolute(f"/{lang}/news-sitemap.xml") in locs
        assert absolute(f"/sitemaps/{lang}-authors.xml") in locs


def test_every_live_public_page_appears_once_with_its_last_published_change(client):
    found = sitemap_urls(client)
    pages = Page.objects.live().public().filter(depth__gte=2).select_related("locale")
    assert len(found) == pages.count()
    for page in pages:
        assert page.url == page_path(page.url_path, page.locale.language_code)
        entry = found[absolute(page.url)]
        lastmod = datetime.fromisoformat(entry["lastmod"])
        assert lastmod.tzinfo is not None
        assert abs(lastmod - page.last_published_at) < timedelta(seconds=1)


def test_hreflang_alternates_are_reciprocal_and_include_itself_and_x_default(client):
    found = sitemap_urls(client)
    for loc, entry in found.items():
        alternates = entry["alternates"]
        languages = [code for code in alternates if code != "x-default"]
        assert (
            alternates[next(code for code in languages if loc.startswith(absolute(f"/{code}/")))]
            == loc
        )
        assert "x-default" in alternates
        assert alternates["x-default"] == alternates.get("en", alternates[languages[0]])
        for code in languages:
            # every translation lists exactly the same set
            assert found[alternates[code]]["alternates"] == alternates


def test_a_story_lists_all_four_languages(client, article):
    found = sitemap_urls(client)
    alternates = found[absolute(article.url)]["alternates"]
    assert set(alternates) == {"en", "ru", "hy", "az", "x-default"}
    assert alternates["x-default"] == absolute(article.url)


def test_unpublished_private_and_noindex_pages_never_appear(client, article, home, world):
    draft = services.create_article(
        world, title="Draft story", slug="draft-story", standfirst="Not yet.", publish_now=False
    )
    private = services.create_article(
        world, title="Private story", slug="private-story", standfirst="x"
    )
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    hidden = StandardPage(title="Internal note", slug="internal-note", noindex=True)
    home.add_child(instance=hidden)
    services.publish(hidden)
    russian = article.get_translation(Locale.objects.get(language_code="ru"))
    russian.unpublish()

    found = sitemap_urls(client)
    for page in (draft, private, hidden):
        assert absolute(f"/en/{local(page.url).removeprefix('/en/')}") not in found
    assert absolute(russian.url) not in found
    # the other translations no longer point at the unpublished one
    assert "ru" not in found[absolute(article.url)]["alternates"]


def test_a_language_sitemap_is_split_at_the_configured_limit(client, settings):
    settings.DATELINE_SITEMAP_MAX_URLS = 30
    total = Page.objects.live().public().filter(locale__language_code="ru", depth__gte=2).count()
    index = fetch_xml(client, "/sitemap.xml")
    parts = [
        loc.text
        for loc in index.findall("sm:sitemap/sm:loc", NS)
        if "/sitemaps/ru-" in loc.text and "authors" not in loc.text
    ]
    assert len(parts) == -(-total // 30)
    counts = [len(fetch_xml(client, local(part)).findall("sm:url", NS)) for part in parts]
    assert max(counts) == 30
    assert sum(counts) == total
    assert client.get(f"/sitemaps/ru-{len(parts) + 1}.xml").status_code == 404


def test_author_pages_have_a_sitemap_with_reciprocal_hreflang(client, article):
    found = {}
    for lang in LANGUAGES:
        urlset = fetch_xml(client, f"/sitemaps/{lang}-authors.xml")
        for url in urlset.findall("sm:url", NS):
            alternates = {
                link.get("hreflang"): link.get("href") for link in url.findall("xhtml:link", NS)
            }
            found[url.find("sm:loc", NS).text] = alternates
    author = article.bylines.first().author
    page = absolute(f"/en/authors/{author.slug}/")
    assert set(found[page]) == {"en", "ru", "hy", "az", "x-default"}
    for code in LANGUAGES:
        assert found[found[page][code]] == found[page]
    for loc in found:
        assert client.get(local(loc)).status_code == 200


@pytest.mark.parametrize(
    "path", ["/sitemaps/xx-1.xml", "/sitemaps/en-0.xml", "/sitemaps/xx-authors.xml"]
)
def test_unknown_sitemaps_are_404(client, path):
    assert client.get(path).status_code == 404


def news_entries(client, lang: str) -> list[dict]:
    urlset = fetch_xml(client, f"/{lang}/news-sitemap.xml")
    entries = []
    for url in urlset.findall("sm:url", NS):
        news = url.find("news:news", NS)
        entries.append(
            {
                "loc": url.find("sm:loc", NS).text,
                "name": news.find("news:publication/news:name", NS).text,
                "language": news.find("news:publication/news:language", NS).text,
                "date": datetime.fromisoformat(news.find("news:publication_date", NS).text),
                "title": news.find("news:title", NS).text,
            }
        )
    return entries


@pytest.mark.parametrize("lang", LANGUAGES)
def test_news_sitemap_holds_the_last_48_hours_with_googles_fields(client, lang):
    now = timezone.now()
    entries = news_entries(client, lang)
    locale = Locale.objects.get(language_code=lang)
    fresh = published_articles(locale).filter(first_published_at__gte=now - timedelta(hours=48))
    assert 0 < len(entries) == fresh.count()
    older = published_articles(locale).filter(first_published_at__lt=now - timedelta(hours=48))
    assert older.exists()  # the demo has older stories, and they are left out
    by_url = {absolute(a.url): a for a in fresh}
    for entry in entries:
        article = by_url[entry["loc"]]
        assert entry["language"] == lang
        assert entry["name"]
        assert entry["title"] == article.title
        assert entry["date"].tzinfo is not None
        assert abs(entry["date"] - article.first_published_at) < timedelta(seconds=1)


def test_news_sitemap_is_cut_at_the_limit_newest_first(client, settings):
    settings.DATELINE_NEWS_SITEMAP_MAX_URLS = 5
    entries = news_entries(client, "en")
    assert len(entries) == 5
    dates = [entry["date"] for entry in entries]
    assert dates == sorted(dates, reverse=True)


def bulk_fresh_articles(section, count: int) -> list[Page]:
    """`count` stories first published within the last hour, written in bulk: the page
    rows through bulk_create at the tree positions Wagtail would give them, then one
    article row each. Publishing them one by one would take minutes."""
    now = timezone.now()
    first_step = section.numchild + 1
    content_type = ContentType.objects.get_for_model(ArticlePage)
    pages = Page.objects.bulk_create(
        [
            Page(
                title=f"Bulk story {number}",
                draft_title=f"Bulk story {number}",
                slug=f"bulk-story-{number}",
                locale=section.locale,
                path=Page._get_path(section.path, section.depth + 1, first_step + number),
                depth=section.depth + 1,
                url_path=f"{section.url_path}bulk-story-{number}/",
                content_type=content_type,
                live=True,
                has_unpublished_changes=False,
                first_published_at=now - timedelta(seconds=number),
                last_published_at=now - timedelta(seconds=number),
            )
            for number in range(count)
        ]
    )
    for page in pages:
        ArticlePage(page_ptr_id=page.pk, standfirst="Filed in bulk.", body=[]).save_base(
            raw=True, force_insert=True
        )
    Page.objects.filter(pk=section.pk).update(numchild=section.numchild + count)
    return pages


def test_news_sitemap_holds_at_most_1000_of_more_fresh_stories(client, world):
    bulk_fresh_articles(world, 1010)
    assert (
        published_articles(world.locale)
        .filter(first_published_at__gte=timezone.now() - timedelta(hours=48))
        .count()
        > 1000
    )
    entries = news_entries(client, "en")
    assert len(entries) == 1000
    assert entries[0]["title"] == "Bulk story 0"
    assert len({entry["loc"] for entry in entries}) == 1000


def test_robots_txt_points_at_the_sitemaps_and_keeps_crawlers_out_of_search_and_admin(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    for lang in LANGUAGES:
        assert f"Disallow: /{lang}/search/" in lines
        assert f"Sitemap: {absolute(f'/{lang}/news-sitemap.xml')}" in lines
    assert f"Sitemap: {absolute('/sitemap.xml')}" in lines


def test_the_search_page_is_noindex(client):
    response = client.get("/en/search/", {"q": "harbour"})
    assert "noindex" in response.get("X-Robots-Tag", "") or b'content="noindex' in response.content


def test_the_sitemap_follows_publishing(client, world):
    before = sitemap_urls(client)
    story = services.create_article(
        world, title="Late story", slug="late-story", standfirst="Late."
    )
    after = sitemap_urls(client)
    assert set(after) - set(before) == {absolute(story.url)}
    assert news_entries(client, "en")[0]["title"] == "Late story"
    story.unpublish()
    assert absolute(story.url) not in sitemap_urls(client)
    assert HomePage.objects.count() == 4
