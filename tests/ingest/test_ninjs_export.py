"""Every published story as IPTC ninjs 2.2, one at a time and as a per-language feed,
valid against the IPTC's own schema; and read back by a Dateline ninjs source."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from dateline.ingest import services
from dateline.ingest.models import Source, SourceFormat
from dateline.news import services as news

pytestmark = pytest.mark.django_db

SCHEMA = json.loads((Path(__file__).parent / "ninjs" / "ninjs-schema_2.2.json").read_text())
VALIDATOR = Draft202012Validator(SCHEMA, format_checker=FormatChecker())


def assert_valid(item: dict) -> None:
    errors = sorted(VALIDATOR.iter_errors(item), key=lambda error: error.path)
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


def test_one_story_as_ninjs(client, article):
    response = client.get(f"/api/v1/articles/{article.pk}.ninjs")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    item = response.json()
    assert_valid(item)
    assert item["uri"].endswith(f"/api/v1/articles/{article.pk}")
    assert item["headlines"] == [{"role": "main", "value": article.title}]
    assert item["descriptions"][0]["value"] == article.standfirst
    assert item["language"] == "en"
    html_body = next(b for b in item["bodies"] if b["contenttype"] == "text/html")
    assert html_body["value"].startswith("<") and html_body["wordcount"] > 10
    assert item["renditions"][0]["href"].endswith(article.url_path.split("/", 2)[-1])
    picture = item["associations"][0]
    assert picture["type"] == "picture" and picture["renditions"][0]["href"].startswith("http")
    assert {alt["role"] for alt in item["altids"]} == {"translation"}
    assert len(item["altids"]) == 3


def test_every_language_has_a_ninjs_feed_of_valid_items(client):
    for language in ("en", "ru", "hy", "az"):
        response = client.get("/api/v1/articles.ninjs", {"lang": language, "limit": 5})
        assert response.status_code == 200
        feed = response.json()
        assert len(feed["items"]) == 5 and feed["next"]
        for item in feed["items"]:
            assert_valid(item)
            assert item["language"] == language
    older = client.get(feed["next"]).json()
    assert older["items"][0]["uri"] != feed["items"][0]["uri"]


@pytest.mark.parametrize(
    "address, status",
    [
        ("/api/v1/articles/999999.ninjs", 404),
        ("/api/v1/articles/0.ninjs", 422),
        ("/api/v1/articles.ninjs?lang=xx", 400),
        ("/api/v1/articles.ninjs?lang=en&limit=100000", 422),
        ("/api/v1/articles.ninjs?lang=en&cursor=%00garbage", 400),
    ],
)
def test_bad_requests_get_a_problem_not_a_failure(client, address, status):
    response = client.get(address)
    assert response.status_code == status
    assert response.status_code < 500 and "detail" in response.json()


def test_a_draft_or_pulled_story_is_not_exported(client, article):
    news.unpublish(article)
    assert client.get(f"/api/v1/articles/{article.pk}.ninjs").status_code == 404


def test_a_dateline_ninjs_feed_is_read_by_a_dateline_ninjs_source(client, wire, locale):
    feed = client.get("/api/v1/articles.ninjs", {"lang": "ru", "limit": 3}).content
    wire.serve("/partner.ninjs", feed, content_type="application/json")
    source = Source.objects.create(
        name="Partner",
        format=SourceFormat.NINJS,
        url=wire.url("/partner.ninjs"),
        locale=locale("ru"),
    )
    result = services.poll(source)
    assert not result.error
    # The partner's stories are the site's own here, so they are recognised by their text.
    exported = [item["headlines"][0]["value"] for item in json.loads(feed)["items"]]
    assert len(result.new) == 3 and [item.headline for item in result.new] == exported
    assert all(item.url.startswith("http") and item.body_html for item in result.new)
