"""Every expected hit of the test collection is found, on whichever engine the suite
runs (SQLite by default; PostgreSQL with DATABASE_URL)."""

from __future__ import annotations

import pytest

from dateline.search import services
from dateline.search.services import Filters

from .collection import COLLECTION

pytestmark = [pytest.mark.django_db, pytest.mark.engine]


@pytest.mark.parametrize("code", sorted(COLLECTION))
def test_every_expected_story_is_found(collection, code):
    section, articles = collection(code)
    key_of = {article.pk: key for key, article in articles.items()}
    failures = []
    for query, must, must_not in COLLECTION[code]["queries"]:
        results = services.search(query, code, Filters(section_id=section.pk))
        found = {key_of[hit.article_id] for hit in results[: results.count()]}
        missing = sorted(set(must) - found)
        unwanted = sorted(set(must_not) & found)
        if missing or unwanted:
            failures.append(f"{query!r}: missing {missing}, unwanted {unwanted}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    "code", [code for code in sorted(COLLECTION) if "ranked" in COLLECTION[code]]
)
def test_stories_with_the_words_as_typed_rank_above_those_sharing_only_a_stem(collection, code):
    section, articles = collection(code)
    key_of = {article.pk: key for key, article in articles.items()}
    for query, first, below in COLLECTION[code]["ranked"]:
        results = services.search(query, code, Filters(section_id=section.pk))
        order = [key_of[hit.article_id] for hit in results[: results.count()]]
        assert set(first + below) <= set(order), (query, order)
        assert max(order.index(key) for key in first) < min(order.index(key) for key in below)


@pytest.mark.parametrize("code", sorted(COLLECTION))
def test_the_collection_is_big_enough_to_prove_something(code):
    assert len(COLLECTION[code]["articles"]) >= 20
    assert len(COLLECTION[code]["queries"]) >= 15


def test_the_search_page_finds_an_inflected_russian_form(client, collection):
    section, articles = collection("ru")
    response = client.get("/ru/search/", {"q": "Россия", "section": section.pk})
    assert response.status_code == 200
    body = response.content.decode()
    for key in ("r03", "r04", "r05"):
        assert articles[key].url in body
