"""Feeds and sitemaps are cached per language and follow publishing like pages do."""

from __future__ import annotations

import feedparser
import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale

from dateline.feeds.cache import generation, key_for
from dateline.news import services
from tests.factories import story

pytestmark = [pytest.mark.django_db, pytest.mark.engine]

CACHED_PATHS = [
    "/en/rss.xml",
    "/en/world/rss.xml",
    "/sitemap.xml",
    "/sitemaps/en-1.xml",
    "/en/news-sitemap.xml",
]


def absolute(path: str) -> str:
    return settings.DATELINE_BASE_URL.rstrip("/") + path


def queries_for(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize("path", CACHED_PATHS)
def test_a_second_request_is_served_from_the_cache(client, path):
    first = queries_for(client, path)
    second = queries_for(client, path)
    assert second < first
    assert second <= 4  # site settings, locale and the section lookup at most


def test_a_sitemap_is_read_from_this_process_copy_once_seen(client):
    first = client.get("/en/news-sitemap.xml").content
    # The shared copy is gone (another server's cache emptied): this process has its own.
    kept = key_for("en", "news-sitemap")
    cache.delete(kept)
    assert cache.get(kept) is None
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/en/news-sitemap.xml").content
    assert again == first
    assert not any("wagtailcore_page" in query["sql"] for query in queries)


def test_a_story_published_reaches_the_sitemap_this_process_holds_at_once(client, world):
    """Publishing moves the language's generation on, for every server; the copy kept
    here names the old one and is not read again."""
    assert b"Published a moment ago" not in client.get("/en/news-sitemap.xml").content
    services.create_article(world, title="Published a moment ago", slug="moment", standfirst="x")
    assert b"Published a moment ago" in client.get("/en/news-sitemap.xml").content


def links(client, path: str) -> list[str]:
    return [entry.link for entry in feedparser.parse(client.get(path).content).entries]


def test_publishing_in_one_language_keeps_the_other_languages_cached(world):
    english, russian = generation("en"), generation("ru")
    russian_world = world.get_translation(Locale.objects.get(language_code="ru"))
    story(russian_world, "only-russian", title="Только по-русски")
    assert generation("ru") != russian
    assert generation("en") == english


def test_unpublish_and_delete_drop_the_cached_feeds(client, world):
    story = services.create_article(
        world, title="Short-lived story", slug="short-lived", standfirst="x"
    )
    url = absolute(story.url)
    assert url in links(client, "/en/world/rss.xml")
    story.unpublish()
    assert url not in links(client, "/en/world/rss.xml")
    services.publish(story)
    assert url in links(client, "/en/rss.xml")
    news = client.get("/en/news-sitemap.xml").content.decode()
    assert url in news
    story.delete()
    assert url not in links(client, "/en/rss.xml")
    assert url not in client.get("/en/news-sitemap.xml").content.decode()


def test_moving_a_story_to_another_section_moves_it_between_feeds(client, world):
    story = services.create_article(
        world, title="Moving story", slug="moving-story", standfirst="x"
    )
    assert absolute(story.url) in links(client, "/en/world/rss.xml")
    sport = world.get_siblings().get(slug="sport")
    story.move(sport, pos="last-child")
    story.refresh_from_db()
    assert absolute(story.url) not in links(client, "/en/world/rss.xml")
    assert absolute(story.url) in links(client, "/en/sport/rss.xml")
