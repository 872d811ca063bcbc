"""A story read again within one content generation comes from this process's memory
(news/routing.py). Readers must never see the kept row after the story changed: a pulled
story is gone at once, an edit shows at once, a moved story answers at its new address."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from dateline.news import routing, services
from dateline.news.models import ArticlePage

pytestmark = pytest.mark.engine


def commit() -> None:
    """Run what waits for the commit (the tests' transaction is never committed)."""
    connection_ = transaction.get_connection()
    callbacks = [entry[1] for entry in connection_.run_on_commit]
    connection_.run_on_commit = []
    for callback in callbacks:
        callback()


def _row_reads(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return sum(
        '"news_articlepage"' in query["sql"] and '"url_path" =' in query["sql"]
        for query in queries.captured_queries
    )


def test_a_story_read_again_is_not_read_from_the_database_until_content_changes(
    client, world, article
):
    client.get(article.url)
    assert _row_reads(client, article.url) == 0
    services.create_article(
        world, title="Another story", standfirst="Later.", paragraphs=["Later news."]
    )
    commit()
    assert _row_reads(client, article.url) == 1


def test_an_unpublished_story_is_gone_at_once_though_it_was_kept(client, article):
    assert client.get(article.url).status_code == 200
    assert client.get(article.url).status_code == 200
    services.unpublish(article)
    assert client.get(article.url).status_code == 404
    commit()
    assert client.get(article.url).status_code == 404


def test_a_deleted_story_is_gone_at_once_though_it_was_kept(client, article):
    url = article.url
    assert client.get(url).status_code == 200
    article.delete()
    commit()
    assert client.get(url).status_code == 404


def test_an_edited_headline_shows_at_once_though_the_story_was_kept(client, article):
    assert client.get(article.url).status_code == 200
    article.title = "Ferry service resumes after the storm"
    services.publish(article)
    commit()
    assert "Ferry service resumes after the storm" in client.get(article.url).text


def test_a_story_given_a_new_slug_answers_at_its_new_address_only(client, article):
    old_url = article.url
    assert client.get(old_url).status_code == 200
    article.slug = "a-new-address"
    services.publish(article)
    commit()
    article.refresh_from_db()
    assert article.url != old_url
    assert client.get(article.url).status_code == 200
    assert client.get(old_url).status_code in (301, 302, 404)


def test_each_request_gets_its_own_copy_of_a_kept_story(article):
    kept = routing._KeptStories(max_bytes=10**6, largest=10**6)
    row = ArticlePage.objects.get(pk=article.pk)
    first = kept.keep(7, row.url_path, row)
    first.title = "Changed by one request"
    first._cached_parent_obj = "a parent"
    second = kept.get(7, row.url_path)
    assert second is not first and second.pk == article.pk
    assert second.title == article.title
    assert "_cached_parent_obj" not in second.__dict__
    assert second._state.adding is False and second._state.db == row._state.db


def test_kept_stories_belong_to_one_generation_and_the_oldest_goes_first(article, world):
    other = services.create_article(world, title="Second", standfirst="Two.")
    third = services.create_article(world, title="Third", standfirst="Three.")
    sizes = [routing.text_size(story) for story in (article, other, third)]
    kept = routing._KeptStories(max_bytes=sizes[1] + sizes[2], largest=max(sizes))
    for story in (article, other, third):
        kept.keep(1, story.url_path, story)
    assert kept.get(1, article.url_path) is None  # the oldest made room
    assert kept.get(1, other.url_path).pk == other.pk
    assert kept.get(1, third.url_path).pk == third.pk
    assert kept.get(2, third.url_path) is None  # another generation: read again
    kept.keep(2, article.url_path, article)
    assert kept.get(2, third.url_path) is None  # the old generation's rows are dropped


def test_a_story_too_large_to_keep_is_read_every_time(client, world):
    huge = services.create_article(
        world,
        title="The whole report",
        standfirst="Every page of it.",
        paragraphs=["The committee read the report aloud. " * 200] * 40,
    )
    assert routing.text_size(huge) > routing.LARGEST_KEPT_STORY_BYTES
    client.get(huge.url)
    assert _row_reads(client, huge.url) == 1
