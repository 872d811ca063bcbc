"""A method the site does not know (TRACE, CONNECT, made-up ones) is answered 405 with
the methods it does know, on every kind of address, and never with a page."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def allowed(response) -> set[str]:
    return {method.strip() for method in response["Allow"].split(",")}


@pytest.mark.parametrize("method", ["TRACE", "CONNECT", "PROPFIND", "BREW"])
def test_an_unknown_method_on_a_story_is_refused_with_the_allowed_methods(client, article, method):
    response = client.generic(method, article.url)
    assert response.status_code == 405
    assert {"GET", "HEAD"} <= allowed(response)
    assert method not in allowed(response)
    assert article.title not in response.content.decode()


@pytest.mark.parametrize("path", ["/en/", "/en/search/?q=news", "/admin/", "/no-such-page/"])
def test_trace_is_refused_on_every_kind_of_page(client, path):
    response = client.generic("TRACE", path)
    assert response.status_code == 405
    assert "TRACE" not in allowed(response)


def test_trace_on_the_api_is_refused_with_problem_details(client):
    response = client.generic("TRACE", "/api/v1/articles")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 405
    assert "GET" in allowed(response)


def test_the_usual_methods_still_reach_the_page(client, article):
    assert client.get(article.url).status_code == 200
    assert client.head(article.url).status_code == 200
