"""HTTP done right for apps and caches: ETag and 304, Cache-Control, CORS, gzip and a
per-client rate limit."""

import gzip
import json
import re

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.engine]


def test_an_etag_answers_a_repeat_with_304(api, article):
    first = api(f"articles/{article.pk}")
    etag = first["ETag"]
    assert etag.startswith('"')
    again = api(f"articles/{article.pk}", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag and again["Access-Control-Allow-Origin"] == "*"
    assert again["Cache-Control"] == first["Cache-Control"]
    other = api(f"articles/{article.pk}", headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200


def test_the_etag_changes_with_the_content(api, article):
    from dateline.news import services

    before = api(f"articles/{article.pk}")["ETag"]
    article.standfirst = "Corrected standfirst."
    services.publish(article)
    assert api(f"articles/{article.pk}")["ETag"] != before


def test_gzip_for_clients_that_accept_it_and_its_etag_still_matches(api):
    plain = api("articles", limit=50)
    zipped = api("articles", limit=50, headers={"Accept-Encoding": "gzip"})
    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]
    assert json.loads(gzip.decompress(zipped.content)) == plain.json()
    assert len(zipped.content) < len(plain.content) / 2
    etag = zipped["ETag"]
    assert etag.startswith('W/"')
    repeat = api("articles", limit=50, headers={"Accept-Encoding": "gzip", "If-None-Match": etag})
    assert repeat.status_code == 304


def test_reads_are_cacheable_for_the_configured_time_errors_and_beacons_are_not(
    api, client, article, settings
):
    settings.DATELINE_API_MAX_AGE = 30
    settings.DATELINE_API_SHARED_MAX_AGE = 300
    settings.DATELINE_API_STALE_WHILE_REVALIDATE = 15
    for endpoint in ("articles", f"articles/{article.pk}", "sections", "most-read"):
        response = api(endpoint)
        assert response["Cache-Control"] == (
            "public, max-age=30, s-maxage=300, stale-while-revalidate=15"
        ), endpoint
        assert "Cookie" not in response.get("Vary", "")
    assert api("articles/987654321")["Cache-Control"] == "no-store"
    assert api("articles", lang="xx")["Cache-Control"] == "no-store"
    beacon = client.post(
        f"/api/v1/articles/{article.pk}/views", "{}", content_type="application/json"
    )
    assert beacon["Cache-Control"] == "no-store"


def test_any_origin_may_read_and_preflight(api, client):
    response = api("articles", headers={"Origin": "https://partner.example"})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options(
        "/api/v1/articles",
        headers={
            "Origin": "https://partner.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]


def test_a_client_over_its_limit_gets_429_with_retry_after(api, settings):
    settings.DATELINE_API_RATE_LIMIT = 3
    statuses = [api("languages").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = api("languages")
    assert refused["Content-Type"] == "application/problem+json"
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused["Cache-Control"] == "no-store"
    assert refused["Access-Control-Allow-Origin"] == "*"
    assert refused.json()["status"] == 429


def test_clients_are_limited_apart(client, settings):
    settings.DATELINE_API_RATE_LIMIT = 2
    for _ in range(2):
        client.get("/api/v1/languages", REMOTE_ADDR="192.0.2.1")
    assert client.get("/api/v1/languages", REMOTE_ADDR="192.0.2.1").status_code == 429
    assert client.get("/api/v1/languages", REMOTE_ADDR="192.0.2.2").status_code == 200


def test_the_openapi_document_and_docs_are_published(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    for path in (
        "/api/v1/articles",
        "/api/v1/articles/{article_id}",
        "/api/v1/articles/by-path",
        "/api/v1/languages",
        "/api/v1/site",
        "/api/v1/sections",
        "/api/v1/authors",
        "/api/v1/tags",
        "/api/v1/most-read",
    ):
        assert path in schema["paths"], path
    not_found = schema["paths"]["/api/v1/articles/{article_id}"]["get"]["responses"]["404"]
    assert "application/problem+json" in not_found["content"]
    assert client.get("/api/v1/docs").status_code == 200


def test_the_docs_page_runs_only_scripts_from_the_site(client):
    """The site's Content Security Policy runs no inline script and nothing from
    elsewhere: Swagger UI and its start-up script are the site's own static files."""
    response = client.get("/api/v1/docs")
    html = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>", html)
    sources = [re.search(r'src="([^"]+)"', attributes) for attributes in scripts]
    assert [found.group(1) for found in sources if found] == [
        "/static/ninja/swagger-ui-bundle.js",
        "/static/api/docs.js",
    ]
    # The one script element without a source is data that the start-up script reads.
    assert [a for a, found in zip(scripts, sources, strict=True) if not found] == [
        ' id="swagger-settings" type="application/json"'
    ]
    assert '"url": "/api/v1/openapi.json"' in html
    directives = [part.strip() for part in response["Content-Security-Policy"].split(";")]
    assert "script-src 'self'" in directives


def test_the_document_declares_the_site_languages_for_lang(client):
    document = client.get("/api/v1/openapi.json").json()
    declared = [
        (path, parameter["schema"].get("enum"))
        for path, methods in document["paths"].items()
        for operation in methods.values()
        for parameter in operation.get("parameters", [])
        if parameter["name"] == "lang"
    ]
    # site, sections, authors, tags, articles, articles.ninjs, most-read, breaking
    assert len(declared) == 8
    assert {tuple(enum) for _path, enum in declared} == {("en", "ru", "hy", "az")}


def test_the_document_declares_the_beacon_body_the_server_wants(client, article):
    document = client.get("/api/v1/openapi.json").json()
    body = document["paths"]["/api/v1/articles/{article_id}/views"]["post"]["requestBody"]
    assert body["required"] is True
    (content_type,) = body["content"]
    assert content_type == "application/json"
    url = f"/api/v1/articles/{article.pk}/views"
    example = json.dumps(body["content"][content_type]["example"])
    assert client.post(url, example, content_type=content_type).status_code == 200
    missing = client.generic("POST", url)
    assert missing.status_code == 415
    assert missing.json()["detail"] == "Send the beacon as application/json."
