"""On PostgreSQL, a search for words in a large share of the language's stories reads its
candidates from the newest stories first; the ranked results are the same as the full-text
index's, whether the newest stories hold enough matches or not."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.db import connection

from dateline.search import services
from dateline.search import shares as statistics
from dateline.search.models import SearchEntry
from dateline.search.services import Filters, SearchResults, parse_query
from dateline.search.shares import Shares, read_shares

pytestmark = [pytest.mark.django_db, pytest.mark.engine]


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        pytest.skip("the candidates are read newest first on PostgreSQL only")


def english_words_by_stories() -> list[str]:
    """Words of five letters or more of the English stories, in most stories first, that
    a search finds (PostgreSQL leaves out words such as "their")."""
    counts = Counter()
    for body in SearchEntry.objects.filter(language="en").values_list("body", flat=True):
        counts.update(set(re.findall(r"[a-z]{5,}", body.lower())))
    ordered = [word for word, _ in counts.most_common()]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT w FROM unnest(%s::text[]) WITH ORDINALITY AS t(w, n)"
            " WHERE numnode(plainto_tsquery('english', w)) > 0 ORDER BY n",
            [ordered],
        )
        return [word for (word,) in cursor.fetchall()]


def ranked(query: str, filters: Filters, newest_first: bool, monkeypatch) -> tuple:
    monkeypatch.setattr(SearchResults, "_newest_first_pays", lambda self: newest_first)
    return SearchResults(parse_query(query), "en", filters)._rank()


@pytest.mark.parametrize(
    "filters", [Filters(), Filters(sort="newest")], ids=["relevance", "newest"]
)
def test_candidates_read_newest_first_are_the_indexs_own(postgres, settings, monkeypatch, filters):
    # Five results: the newest 30 stories are read first, so a common word is found there
    # and a rarer one is not, and both paths of the statement are taken.
    settings.DATELINE_SEARCH_MAX_RESULTS = 5
    words = english_words_by_stories()
    common, rare = words[0], words[len(words) // 2]
    for query in (common, rare, f"{common} -{rare}", f"{common} {words[1]}", "zzzqqq"):
        from_the_index = ranked(query, filters, False, monkeypatch)
        newest_first = ranked(query, filters, True, monkeypatch)
        assert newest_first == from_the_index, query
    assert ranked(common, filters, True, monkeypatch)[1] == 6  # five and one more: capped


def test_a_section_filter_is_kept_when_reading_newest_first(postgres, settings, monkeypatch, world):
    settings.DATELINE_SEARCH_MAX_RESULTS = 3
    common = english_words_by_stories()[0]
    in_world = Filters(section_id=world.pk)
    ids, _ = ranked(common, in_world, True, monkeypatch)
    assert ids and ids == ranked(common, in_world, False, monkeypatch)[0]
    assert set(
        SearchEntry.objects.filter(page_id__in=ids).values_list("section_id", flat=True)
    ) == {world.pk}


def test_the_shares_are_counted_among_the_languages_newest_stories(postgres, monkeypatch):
    monkeypatch.setattr(statistics, "SAMPLE", 10)
    newest = SearchEntry.objects.filter(language="en").order_by("-published_at", "-page_id")
    sampled = list(newest[:10])
    counted = Counter()
    for entry in sampled:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT DISTINCT lexeme FROM dateline_search_document, unnest(document)"
                " WHERE page_id = %s",
                [entry.page_id],
            )
            counted.update(lexeme for (lexeme,) in cursor.fetchall())
    shares = read_shares("en")
    assert shares.terms == {
        term: n / 10 for term, n in counted.items() if n / 10 >= statistics.MIN_SHARE
    }
    assert read_shares("xx").terms == {}  # a language without stories


def test_a_name_common_in_other_languages_is_rare_in_one_that_never_mentions_it(
    postgres, monkeypatch
):
    # Every language's stories but the English ones name a town: PostgreSQL's own statistics,
    # over every language, would have made it common in English too.
    monkeypatch.setattr(statistics, "SAMPLE", 50)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE dateline_search_document SET document = document || 'zelvoragrad'::tsvector"
            " WHERE language <> 'en'"
        )
    assert read_shares("ru").within("zelvoragrad") == 1.0
    assert read_shares("en").within("zelvoragrad") == 0.0


def test_only_words_in_a_large_share_of_the_languages_stories_read_newest_first(
    monkeypatch,
):
    shares = Shares(terms={"harbour": 0.8, "ferri": 0.2})
    asked = []
    monkeypatch.setattr(
        services, "current_shares", lambda language: asked.append(language) or shares
    )
    assert shares.within("harbour") == pytest.approx(0.8)
    assert shares.within("quay") == 0.0  # not among the common terms
    pays = {
        query: SearchResults(parse_query(query), "en")._newest_first_pays()
        for query in ("harbour", "ferries", "harbour ferries", "harbour -ferries", '"harbour"')
    }
    assert pays == {
        "harbour": True,  # in 80% of English stories
        "ferries": False,  # 20%
        "harbour ferries": False,  # both: about 16%
        "harbour -ferries": True,  # 80% of the 80% without ferries
        '"harbour"': True,  # a phrase of one word is that word
    }
    assert set(asked) == {"en"}
    assert not SearchResults(parse_query('"harbour master"'), "en")._newest_first_pays()


def test_the_shares_are_counted_once_for_a_while(postgres, monkeypatch):
    from django.core.cache import caches
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(statistics, "_kept", {})
    caches["default"].clear()
    with CaptureQueriesContext(connection) as first:
        statistics.current_shares("en")
    with CaptureQueriesContext(connection) as again:
        statistics.current_shares("en")
    assert len(first) == 1 and len(again) == 0
    monkeypatch.setattr(statistics, "_kept", {})  # another process: the shared cache has it
    with CaptureQueriesContext(connection) as elsewhere:
        assert statistics.current_shares("en") == statistics.read_shares("en")
    assert len(elsewhere) == 1  # the comparison's own count only
    with CaptureQueriesContext(connection) as other_language:
        statistics.current_shares("ru")
    assert len(other_language) == 1
    caches["default"].clear()
    monkeypatch.setattr(statistics.time, "monotonic", lambda: 10**9)  # minutes later
    with CaptureQueriesContext(connection) as later:
        statistics.current_shares("en")
    assert len(later) == 1


@pytest.mark.parametrize("server_side_binding", [False, True], ids=["one trip", "three"])
def test_a_word_rare_in_the_language_is_found_through_the_index_alone(
    postgres, monkeypatch, server_side_binding
):
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(services, "_server_side_binding", lambda: server_side_binding)
    word = english_words_by_stories()[0]
    expected = ranked(word, Filters(sort="newest"), True, monkeypatch)
    with CaptureQueriesContext(connection) as asked:
        assert ranked(word, Filters(sort="newest"), False, monkeypatch) == expected
    [statement] = [q["sql"] for q in asked.captured_queries if "WITH found" in q["sql"]]
    statement = statement[statement.index("WITH found") :].removesuffix("; RESET enable_seqscan")
    with connection.cursor() as cursor:
        plan = services._rows_without_table_scans(cursor, "EXPLAIN " + statement, [])
    plan = "\n".join(row for (row,) in plan)
    assert "dateline_search_document_gin" in plan and "Seq Scan" not in plan
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")  # the next statements are planned as ever
        assert cursor.fetchone() == ("on",)


@pytest.mark.parametrize("server_side_binding", [False, True], ids=["one trip", "three"])
def test_a_failed_statement_leaves_the_planner_as_it_was(
    postgres, monkeypatch, server_side_binding
):
    from django.db import DatabaseError, transaction

    monkeypatch.setattr(services, "_server_side_binding", lambda: server_side_binding)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        services._rows_without_table_scans(cursor, "SELECT 1 / 0", [])
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone() == ("on",)
