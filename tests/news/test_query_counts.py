"""Every kind of page costs a fixed number of SQL queries, however many tags, authors,
translations or related stories it has: each page is measured with few and with many.

Counts are pinned for a render with nothing in the cache and for the next one, when
the fragments many pages share (navigation, footer, most read, more from the section)
come from the cache."""

from __future__ import annotations

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from dateline.core import fragments
from dateline.news import services
from dateline.news.models import Author, SectionPage

pytestmark = [pytest.mark.django_db, pytest.mark.engine]

LANGUAGES = ["en", "ru", "hy", "az"]

# (first render, next render). The first render includes the newsletters offered in the
# footer's sign-up form (and, on a story, in the one at its end): one query each.
# Which pages are private is remembered for the content generation (news/models.py
# public_only), not read again by each listing. A listing's page of cards is kept as a
# fragment, so its stories are read on the first render only (a page read from the
# oldest end too).
PINNED = {
    "home": (32, 2),
    "section": (32, 5),
    # + the corrections, + related stories: "few" finds them through the search index
    # (one query per headline word, at most 4), "many" through its tags. The next render
    # finds the story kept in the process (news/routing.py): only its view count is read.
    "article": {"few": (44, 1), "many": (40, 1)},
    "tag": (16, 2),
    "author": (18, 4),
    "search": (16, 1),
    # + the corrections, for all items at once; bylines in one query (news/queries.py)
    "rss": (14, 0),
    "sitemap": (9, 0),
}


def _authors(count: int, locale, prefix: str) -> list[Author]:
    return [
        Author.objects.create(locale=locale, name=f"{prefix} writer {i}", slug=f"{prefix}-w{i}")
        for i in range(count)
    ]


def _story(
    section: SectionPage, slug: str, *, tags: list[str], authors: list[Author], title: str = ""
):
    return services.create_article(
        section,
        title=title or f"Harbour pilots {slug}",
        slug=slug,
        standfirst="Pilots in the harbour agreed a new rota.",
        paragraphs=["The harbour pilots met on Monday."],
        authors=authors,
        tags=tags,
    )


@pytest.fixture
def stories(locale, world):
    """A story with one tag, one author and no translations, and one with many of each;
    a tag and an author with one story, and another tag and author with many."""
    en = locale("en")
    lone_author = _authors(1, en, "lone")
    crowd = _authors(6, en, "crowd")
    few = _story(
        world,
        "few-of-everything",
        title="Harbour pilots and the lighthouse",
        tags=["lonetag"],
        authors=lone_author,
    )
    many = _story(
        world, "many-of-everything", tags=[f"crowdtag{i}" for i in range(12)], authors=crowd
    )
    for code in LANGUAGES[1:]:
        services.publish(services.translate_page(many, locale(code)))
    for i in range(14):
        _story(world, f"crowded-{i}", tags=["crowdtag0"], authors=crowd[:1])
    return {"few": few, "many": many, "lone_author": lone_author[0], "crowd": crowd[0]}


def _count(client, url: str) -> tuple[int, int]:
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts.append(len(queries))
    return counts[0], counts[1]


def _measure(client, urls: dict[str, str]) -> dict[str, tuple[int, int]]:
    found = {}
    for label, url in urls.items():
        client.get(url)  # picture renditions are made once, on the first view ever
        cache.clear()
        fragments.retire_fragments()  # and this process's own copies
        caches["feeds"].clear()  # this process's copies of feeds and sitemaps
        found[label] = _count(client, url)
    return found


def _assert_fixed(kind: str, found: dict[str, tuple[int, int]]) -> None:
    assert len(set(found.values())) == 1, f"{kind}: counts differ: {found}"
    assert next(iter(found.values())) == PINNED[kind], f"{kind}: {found}"


def test_article_page(client, stories):
    found = _measure(client, {k: stories[k].url for k in ("few", "many")})
    assert found == PINNED["article"], f"article: {found}"


def test_home_page(client, stories, home):
    found = _measure(client, {"before": home.url})
    for i in range(3):
        _story(
            home.sections().first(), f"more-{i}", tags=["x", "y", "z"], authors=[stories["crowd"]]
        )
    found.update(_measure(client, {"after many more": home.url}))
    _assert_fixed("home", found)


def test_section_page(client, stories, world):
    economy = SectionPage.objects.get(slug="economy", locale__language_code="en")
    _assert_fixed(
        "section",
        _measure(
            client,
            {"crowded": world.url, "crowded, page 2": world.url + "?page=2", "other": economy.url},
        ),
    )


def test_tag_page(client, stories):
    _assert_fixed(
        "tag", _measure(client, {"one story": "/en/tags/lonetag/", "many": "/en/tags/crowdtag0/"})
    )


def test_author_page(client, stories):
    _assert_fixed(
        "author",
        _measure(
            client,
            {
                "one story": f"/en/authors/{stories['lone_author'].slug}/",
                "many": f"/en/authors/{stories['crowd'].slug}/",
            },
        ),
    )


def test_search_page(client, stories):
    _assert_fixed(
        "search",
        _measure(
            client,
            {"one hit": "/en/search/?q=lighthouse", "many hits": "/en/search/?q=harbour+pilots"},
        ),
    )


def test_rss_feed(client, stories):
    _assert_fixed(
        "rss",
        _measure(
            client,
            {
                "tag, many": "/en/tags/crowdtag0/rss.xml",
                "tag, one": "/en/tags/lonetag/rss.xml",
            },
        ),
    )


def test_sitemap(client, stories):
    with translation.override("en"):
        _assert_fixed(
            "sitemap",
            _measure(
                client,
                {
                    "english": "/sitemaps/en-1.xml",
                    "russian": "/sitemaps/ru-1.xml",
                },
            ),
        )
