"""Beacons answered in front of Django follow the same rules as the API view."""

import json

import pytest
from django.test import RequestFactory

from dateline.analytics.fastpath import BeaconFastPath

from .conftest import BROWSER

pytestmark = [pytest.mark.django_db, pytest.mark.engine]


@pytest.fixture(autouse=True)
def keep_the_test_transaction():
    """As Django's test client does: a request must not close the test's connection."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


class Django:
    """Stands for the Django application behind the fast path."""

    def __init__(self):
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        start_response("299 Django", [])
        return [b"django"]


def send(path, body="{}", content_type="application/json", **extra):
    django = Django()
    extra.setdefault("HTTP_USER_AGENT", BROWSER)
    environ = RequestFactory().post(path, data=body, content_type=content_type, **extra).environ
    answer = {}

    def start_response(status, headers):
        answer["status"] = int(status.split()[0])
        answer["headers"] = dict(headers)

    content = b"".join(BeaconFastPath(django)(environ, start_response))
    return answer["status"], answer["headers"], content, django.calls


def test_a_beacon_is_counted_without_entering_django(article):
    status, headers, content, django_calls = send(f"/api/v1/articles/{article.pk}/views")
    assert (status, django_calls) == (200, 0)
    assert json.loads(content) == {"article": article.pk, "views": 1, "counted": True}
    assert headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "body, content_type, status",
    [
        ("nope", "application/json", 400),
        ("[]", "application/json", 400),
        ("{}", "text/plain", 415),
        ("{" + " " * 2000 + "}", "application/json", 413),
    ],
)
def test_bad_beacons_are_refused_with_problem_details(article, body, content_type, status):
    got, headers, content, _ = send(f"/api/v1/articles/{article.pk}/views", body, content_type)
    assert got == status
    assert headers["Content-Type"] == "application/problem+json"
    assert json.loads(content)["status"] == status


def test_unknown_articles_are_not_found(world):
    assert send("/api/v1/articles/987654321/views")[0] == 404
    assert send(f"/api/v1/articles/{world.pk}/views")[0] == 404


def test_a_flood_gets_429_with_retry_after(settings, article):
    settings.DATELINE_BEACON_RATE_LIMIT = 1
    path = f"/api/v1/articles/{article.pk}/views"
    assert send(path, REMOTE_ADDR="198.51.100.9")[0] == 200
    status, headers, _, _ = send(path, REMOTE_ADDR="198.51.100.9")
    assert status == 429 and 0 < int(headers["Retry-After"]) <= 65


def test_signed_in_readers_and_other_addresses_go_to_django(article):
    with_session = send(f"/api/v1/articles/{article.pk}/views", HTTP_COOKIE="sessionid=abc")
    assert with_session[3] == 1
    assert send("/en/world/", body="")[3] == 1
    assert send(f"/api/v1/articles/{article.pk}/views/extra")[3] == 1


def through_the_site(path: str, **extra):
    """A beacon sent to the fast path with the real Django application behind it, so a
    request the fast path hands on gets the answer every other route gives."""
    from django.core.handlers.wsgi import WSGIHandler

    environ = (
        RequestFactory()
        .post(path, data="{}", content_type="application/json", HTTP_USER_AGENT=BROWSER, **extra)
        .environ
    )
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"] = int(status.split()[0])
        answer["headers"] = dict(headers)

    content = b"".join(BeaconFastPath(WSGIHandler())(environ, start_response))
    return answer["status"], answer["headers"], content


def views_of(article) -> int:
    from dateline.analytics.services import view_count

    return view_count(article)


def test_a_beacon_for_a_host_the_site_does_not_serve_is_refused_and_not_counted(article):
    before = views_of(article)
    status, _headers, _content = through_the_site(
        f"/api/v1/articles/{article.pk}/views", HTTP_HOST="attacker.example"
    )
    assert status == 400
    assert views_of(article) == before


def test_a_plain_http_beacon_gets_the_https_redirect_of_every_other_route(settings, article):
    settings.SECURE_SSL_REDIRECT = True
    before = views_of(article)
    status, headers, _content = through_the_site(f"/api/v1/articles/{article.pk}/views")
    page_status, page_headers, _ = through_the_site("/en/search/")
    assert (status, page_status) == (301, 301)
    assert headers["Location"] == f"https://testserver/api/v1/articles/{article.pk}/views"
    assert page_headers["Location"].startswith("https://testserver/")
    assert views_of(article) == before


def test_a_forwarded_https_claim_from_an_untrusted_address_is_redirected(settings, article):
    settings.SECURE_SSL_REDIRECT = True
    status, _headers, _content = through_the_site(
        f"/api/v1/articles/{article.pk}/views", HTTP_X_FORWARDED_PROTO="https"
    )
    assert status == 301


def test_an_https_beacon_is_still_counted_without_entering_django(settings, article):
    settings.SECURE_SSL_REDIRECT = True
    before = views_of(article)
    status, _headers, content, django_calls = send(
        f"/api/v1/articles/{article.pk}/views", secure=True
    )
    assert (status, django_calls) == (200, 0)
    assert json.loads(content)["counted"] is True
    assert views_of(article) == before + 1


def test_twenty_browsers_at_one_address_add_only_the_daily_allowance(settings, article):
    path = f"/api/v1/articles/{article.pk}/views"
    answers = [
        json.loads(send(path, REMOTE_ADDR="198.51.100.20", HTTP_USER_AGENT=f"{BROWSER} v{n}")[2])
        for n in range(20)
    ]
    allowance = settings.DATELINE_VIEWS_PER_ADDRESS_PER_DAY
    assert 1 <= allowance <= 5
    assert sum(answer["counted"] for answer in answers) == allowance
    assert answers[-1]["views"] == allowance
