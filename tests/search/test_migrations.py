"""The index layout changes keep a populated index: no story drops out of search."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from dateline.search import index, services, vocabulary
from dateline.search.models import SearchEntry

from .conftest import write_article

pytestmark = [
    pytest.mark.engine,
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the narrow table is PostgreSQL's; SQLite's layout is unchanged",
    ),
]

BEFORE_NARROW_TABLE = ("dateline_search", "0003_time_key")
NARROW_TABLE = ("dateline_search", "0004_narrow_document")


def migrate(target: tuple[str, str]) -> None:
    # Row changes made earlier in the test leave deferred foreign-key checks pending,
    # and PostgreSQL refuses to alter a table with pending trigger events.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    MigrationExecutor(connection).migrate([target])


def ids(query: str) -> set[int]:
    """What the index itself finds now: these tests change it behind the news services,
    which no kept ranking follows."""
    ranked, _total = services.search(query, "en")._rank()
    return set(ranked)


def latest() -> tuple[str, str]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes("dateline_search")[0]


def test_stories_indexed_before_the_narrow_table_are_still_found_after_it(desk, monkeypatch):
    section = desk("en")
    migrate(BEFORE_NARROW_TABLE)
    # The vocabulary of spelling suggestions came later (0006), as a table of its own.
    monkeypatch.setattr(index, "add_words", lambda found, language: None)
    story = write_article(section, "m", "Quorvex harbour reopens", "Quorvex cranes work.")
    indexed = SearchEntry.objects.count()
    migrate(NARROW_TABLE)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM dateline_search_document")
        assert cursor.fetchone()[0] == indexed
    migrate(latest())
    assert ids("quorvex") == {story.pk}
    assert ids("cranes harbour") == {story.pk}
    # The vocabulary migration took the words of the stories already indexed.
    assert vocabulary.is_known("quorvex", "en")


def test_the_narrow_table_follows_edits_and_deletes_of_the_index(desk):
    section = desk("en")
    story = write_article(section, "n", "Quorvex harbour", "Quorvex.")
    SearchEntry.objects.filter(page_id=story.pk).update(headline="Zyntral harbour")
    assert ids("zyntral") == {story.pk} and ids("quorvex") == {story.pk}
    SearchEntry.objects.filter(page_id=story.pk).update(
        headline="Plain", standfirst="", body="", section=None
    )
    assert ids("quorvex") == set() and ids("zyntral") == set()
    SearchEntry.objects.filter(page_id=story.pk).delete()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM dateline_search_document WHERE page_id = %s", [story.pk]
        )
        assert cursor.fetchone()[0] == 0
