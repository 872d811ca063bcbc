"""When a search finds nothing: near spellings drawn from the words of the language's
stories (only those that do find something), and the popular searches."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from dateline.search import services, vocabulary
from dateline.search.models import SearchWord
from dateline.search.vocabulary import edit_distance, nearest_words

pytestmark = [pytest.mark.django_db, pytest.mark.engine]


def search_page(client, lang: str, query: str) -> BeautifulSoup:
    response = client.get(f"/{lang}/search/", {"q": query})
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


@pytest.mark.parametrize(
    "first, second, distance",
    [
        ("harbour", "harbour", 0),
        ("harbuor", "harbour", 1),  # neighbours swapped
        ("harbor", "harbour", 1),  # a letter dropped
        ("harbours", "harbour", 1),  # a letter added
        ("hxrbour", "harbour", 1),  # a letter changed
        ("наводнене", "наводнение", 1),
        ("hrabuor", "harbour", 2),
        ("ship", "harbour", 3),  # beyond the bound: bound + 1
    ],
)
def test_edit_distance(first, second, distance):
    assert edit_distance(first, second, 2) == min(distance, 3)


def test_publishing_a_story_adds_its_words(world, lang="en"):
    from tests import factories

    assert not vocabulary.is_known("quokkas", "en")
    factories.story(world, "quokka-census", title="Quokkas counted on the island")
    assert vocabulary.is_known("Quokkas", "en")
    assert not SearchWord.objects.filter(word="on").exists()  # too short to suggest


def test_a_misspelled_search_offers_the_spelling_that_finds_stories(client):
    html = search_page(client, "en", "fisihng")
    assert html.select_one(".empty")
    offered = [a.get_text() for a in html.select(".search-spellings a")]
    assert offered and offered[0] == "fishing"
    assert services.search(offered[0], "en").count() > 0
    follow = html.select_one(".search-spellings a")["href"]
    assert not search_page(client, "en", follow.removeprefix("?q=")).select_one(".empty")


@pytest.mark.parametrize(
    "lang, typed, meant",
    [
        ("ru", "рыбакм", "рыбакам"),
        ("hy", "ձկնորսնեին", "ձկնորսներին"),
        ("az", "balıqçlıq", "balıqçılıq"),
    ],
)
def test_spellings_are_offered_in_every_language(lang, typed, meant):
    assert vocabulary.is_known(meant, lang)  # a word of the demo's stories
    assert meant in services.did_you_mean(typed, lang)


def test_only_the_unknown_word_of_a_search_is_corrected_and_operators_are_kept(client):
    offered = services.did_you_mean('"fishing gear" -storm harbuor', "en")
    assert all(text.startswith('"fishing gear" -storm ') for text in offered)


def test_nothing_near_offers_no_spelling_but_the_popular_searches(client, monkeypatch):
    monkeypatch.setattr(services, "popular_searches", lambda language, limit=8: ["harbour"])
    html = search_page(client, "en", "zzqxv")
    assert html.select_one(".empty")
    assert not html.select(".search-spellings")
    assert [a.get_text() for a in html.select(".popular-searches a")] == ["harbour"]


def test_a_long_search_of_unknown_words_is_answered_without_spellings(client):
    query = " ".join(f"qz{n}xw" for n in range(12))
    html = search_page(client, "en", query)
    assert html.select_one(".empty") and not html.select(".search-spellings")


def test_near_words_come_from_the_language_asked_only():
    assert nearest_words("рыбакм", "ru")[0] == "рыбакам"
    assert nearest_words("рыбакм", "en") == []
