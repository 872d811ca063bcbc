"""Searching the stories of one language."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Locale

from dateline.search.services import MAX_QUERY_LENGTH

pytestmark = [pytest.mark.django_db, pytest.mark.engine]

LANGUAGES = ["en", "ru", "hy", "az"]


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def result_links(response) -> list[str]:
    return [a["href"] for a in soup(response).select("main .card-title a")]


def distinctive_word(title: str) -> str:
    """The longest word of a headline: specific enough to find the story."""
    return max(re.findall(r"\w+", title), key=len)


@pytest.fixture
def translation(article):
    return lambda code: article.get_translation(Locale.objects.get(language_code=code))


def test_searching_a_word_from_an_english_headline_finds_the_story(client, article):
    word = distinctive_word(article.title)
    response = client.get("/en/search/", {"q": word})
    assert response.status_code == 200
    assert article.url in result_links(response)


def test_search_finds_the_story_in_each_language(client, translation):
    for code in LANGUAGES:
        story = translation(code)
        response = client.get(f"/{code}/search/", {"q": distinctive_word(story.title)})
        assert story.url in result_links(response), code


def test_search_is_not_case_sensitive(client, translation):
    story = translation("ru")
    word = distinctive_word(story.title)
    for query in (word.upper(), word.lower()):
        assert story.url in result_links(client.get("/ru/search/", {"q": query}))


def test_search_only_returns_stories_of_the_pages_language(client, article):
    word = distinctive_word(article.title)
    english = result_links(client.get("/en/search/", {"q": word}))
    assert english
    assert all(link.startswith("/en/") for link in english)
    for code in ("ru", "hy", "az"):
        response = client.get(f"/{code}/search/", {"q": word})
        assert response.status_code == 200
        links = result_links(response)
        assert all(link.startswith(f"/{code}/") for link in links), code
        assert article.url not in links


def test_the_search_page_is_not_indexed(client):
    response = client.get("/en/search/", {"q": "harbour"})
    assert soup(response).select_one('meta[name="robots"]')["content"] == "noindex"
    assert response["X-Robots-Tag"] == "noindex"


def test_an_empty_search_shows_the_form_without_results(client):
    response = client.get("/en/search/")
    assert response.status_code == 200
    html = soup(response)
    assert html.select_one("main form[role=search] input[name=q]")
    assert html.select(".result-count") == []
    assert html.select("main .card") == []


def test_a_search_without_matches_says_so(client):
    response = client.get("/en/search/", {"q": "zyxwvutsrq"})
    assert response.status_code == 200
    html = soup(response)
    assert html.select("main .card") == []
    assert html.select_one("main .empty").get_text(strip=True)


def test_the_search_box_keeps_the_query(client):
    html = soup(client.get("/en/search/", {"q": "fishing nets"}))
    assert html.select_one("#search-page-input")["value"] == "fishing nets"


def test_a_search_longer_than_allowed_is_refused_with_a_message(client):
    response = client.get("/en/search/", {"q": "news " * (MAX_QUERY_LENGTH // 5 + 20)})
    assert response.status_code == 400
    error = soup(response).select_one(".form-error[role=alert]")
    assert str(MAX_QUERY_LENGTH) in error.get_text()


def test_a_10kb_search_is_refused_with_a_message_not_a_server_error(client):
    client.raise_request_exception = False
    response = client.get("/en/search/", {"q": "a" * 10_240})
    # The request-size guard answers before the search view does: 414 URI Too Long.
    assert 400 <= response.status_code < 500
    html = soup(response)
    assert html.h1.get_text(strip=True)
    assert ("a" * 300) not in response.content.decode()


ODD_QUERIES = [
    "'",
    "%",
    "AND OR",
    "NOT",
    "a NOT",
    "NEAR(",
    "(",
    "*",
    "-",
    "+",
    "^",
    "a:b",
    '""',
    "😀",
    "news 😀",
    "<script>alert(1)</script>",
    "<b>bold</b>",
    "Robert'); DROP TABLE wagtailcore_page;--",
]


@pytest.mark.parametrize("query", ODD_QUERIES)
def test_odd_characters_in_a_search_are_answered_and_not_echoed_unescaped(client, query):
    client.raise_request_exception = False
    response = client.get("/en/search/", {"q": query})
    assert response.status_code == 200
    body = response.content.decode()
    if "<" in query:
        assert query not in body
        assert "&lt;" in body


@pytest.mark.parametrize("query", ['"', 'fishing "nets', "\x00"])
def test_a_search_with_an_unbalanced_quote_is_answered_not_a_server_error(client, query):
    client.raise_request_exception = False
    response = client.get("/en/search/", {"q": query})
    assert response.status_code == 200


@pytest.mark.parametrize("number", ["abc", "0", "999", "-1", "1" * 20])
def test_a_bad_result_page_number_is_not_found(client, article, number):
    word = distinctive_word(article.title)
    response = client.get("/en/search/", {"q": word, "page": number})
    assert response.status_code == 404
