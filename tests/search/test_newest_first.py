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


def test_the_shares_come_from_the_databases_statistics(postgres):
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE dateline_search_document")
    shares = read_shares()
    assert set(shares.languages) == {"en", "ru", "hy", "az"}
    assert sum(shares.languages.values()) == pytest.approx(1.0, abs=0.01)
    assert shares.terms and all(0 < share <= 1 for share in shares.terms.values())


def test_only_words_in_a_large_share_of_the_languages_stories_read_newest_first(
    monkeypatch,
):
    shares = Shares(terms={"harbour": 0.2, "ferri": 0.05}, languages={"en": 0.25, "ru": 0.75})
    monkeypatch.setattr(services, "current_shares", lambda: shares)
    assert shares.within("harbour", "en") == pytest.approx(0.8)
    assert shares.within("harbour", "az") == 0.0  # no statistics for the language
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
    assert not SearchResults(parse_query('"harbour master"'), "en")._newest_first_pays()


def test_the_statistics_are_read_once_for_a_while(postgres, monkeypatch):
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(statistics, "_kept", None)
    with CaptureQueriesContext(connection) as first:
        statistics.current_shares()
    with CaptureQueriesContext(connection) as again:
        statistics.current_shares()
    assert len(first) == 1 and len(again) == 0
    monkeypatch.setattr(statistics.time, "monotonic", lambda: 10**9)  # minutes later
    with CaptureQueriesContext(connection) as later:
        statistics.current_shares()
    assert len(later) == 1
