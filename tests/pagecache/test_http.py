"""What a reader's browser and a CDN get from the page cache."""

from __future__ import annotations

import dataclasses
import io
from email.utils import formatdate
from wsgiref.util import setup_testing_defaults

import pytest

from dateline.pagecache.store import Entry

pytestmark = [pytest.mark.django_db, pytest.mark.engine]


def test_a_second_request_is_answered_from_the_cache_with_the_same_bytes(site, article):
    first = site.get(article.url)
    second = site.get(article.url)
    assert (first.status, first.outcome) == (200, "miss")
    assert (second.status, second.outcome) == (200, "hit")
    assert second.body == first.body
    assert article.title in second.text


def test_the_etag_and_last_modified_give_a_304(site, article):
    page = site.get(article.url)
    assert page.headers["etag"].startswith('W/"')
    again = site.get(article.url, If_None_Match=page.headers["etag"])
    assert (again.status, again.raw) == (304, b"")
    assert again.headers["etag"] == page.headers["etag"]
    since = site.get(article.url, If_Modified_Since=page.headers["last-modified"])
    assert since.status == 304
    older = site.get(article.url, If_Modified_Since=formatdate(0, usegmt=True))
    assert older.status == 200
    other = site.get(article.url, If_None_Match='"something-else"')
    assert other.status == 200


def test_a_malformed_conditional_header_gets_the_page(site, article):
    site.get(article.url)
    answer = site.get(article.url, If_Modified_Since="yesterday-ish, 99 Foo")
    assert answer.status == 200 and article.title in answer.text


def test_a_head_request_gets_the_headers_without_the_body(site, home):
    site.get(home.url)
    answer = site.head(home.url)
    assert answer.status == 200
    assert answer.raw == b""
    assert int(answer.headers["content-length"]) > 1000


@pytest.mark.parametrize(
    "accept, coding",
    [
        ("gzip", "gzip"),
        ("gzip, br", "br"),
        ("br;q=0, gzip", "gzip"),
        ("*", "br"),
        ("identity", None),
        ("gzip;q=0", None),
    ],
)
def test_compressed_copies_are_the_same_page(site, home, accept, coding):
    plain = site.get(home.url)
    answer = site.get(home.url, Accept_Encoding=accept)
    assert answer.headers.get("content-encoding") == coding
    assert answer.body == plain.body
    assert answer.headers["vary"] == "Accept-Encoding"
    if coding:
        assert len(answer.raw) < len(plain.raw) / 3


def test_a_page_is_kept_compressed_and_plain_only_once_a_client_asks_for_it(site, home):
    compressed = site.get(home.url, Accept_Encoding="gzip, br")
    (kept,) = site.app.local._entries.values()
    assert set(kept.bodies) == {"gzip", "br"}
    assert kept.size < len(compressed.body) / 2
    plain = site.get(home.url)
    assert (plain.outcome, plain.headers.get("content-encoding")) == ("hit", None)
    assert plain.body == compressed.body
    assert int(plain.headers["content-length"]) == len(compressed.body)
    (kept,) = site.app.local._entries.values()
    assert set(kept.bodies) == {"identity", "gzip", "br"}
    assert site.get(home.url).body == compressed.body


def test_every_answer_from_a_copy_has_its_own_headers(site, home):
    """Servers and outer layers add to the header list they are given: a copy answered
    many times must not collect what they added."""
    site.get(home.url)
    given = []

    def start_response(status, headers, exc_info=None):
        given.append(list(headers))
        headers.append(("X-Request-ID", "added-by-an-outer-layer"))

    for accept in ("", "", "gzip", "gzip"):
        environ = {"PATH_INFO": home.url, "REQUEST_METHOD": "GET", "wsgi.input": io.BytesIO()}
        if accept:
            environ["HTTP_ACCEPT_ENCODING"] = accept
        setup_testing_defaults(environ)
        body = b"".join(site.app(environ, start_response))
        names = [name.lower() for name, _ in given[-1]]
        assert "x-request-id" not in names
        assert names.count("content-length") == names.count("x-cache") == 1
        assert int(dict(given[-1])["Content-Length"]) == len(body)
    assert given[0] == given[1] and given[2] == given[3]
    assert dict(given[2])["Content-Encoding"] == "gzip" and "Content-Encoding" not in dict(given[0])


def test_a_copy_kept_before_answers_were_prepared_is_still_served(site, home, monkeypatch):
    """The shared store outlives a deploy: a copy written by the previous version has no
    prepared answers and is served all the same."""
    site.get(home.url)
    (key,) = site.app.local._entries
    kept = site.app.local._entries[key]
    earlier = Entry.__new__(Entry)  # as unpickled from before the field existed
    for field in dataclasses.fields(Entry):
        if field.name != "answers":
            setattr(earlier, field.name, getattr(kept, field.name))
    monkeypatch.setattr(site.app.shared._cache, "get", lambda *args, **kwargs: earlier)
    site.app.local.clear()
    again = site.get(home.url)
    assert (again.status, again.outcome) == (200, "hit")
    assert int(again.headers["content-length"]) == len(again.raw)


def test_a_small_answer_is_kept_as_it_is(site):
    answer = site.get("/robots.txt", Accept_Encoding="gzip, br")
    assert answer.status == 200 and "content-encoding" not in answer.headers
    (kept,) = site.app.local._entries.values()
    assert set(kept.bodies) == {"identity"}


def test_pages_tell_a_cdn_how_long_to_keep_them(site, home, settings):
    cache_control = site.get(home.url).headers["cache-control"]
    assert "public" in cache_control
    assert f"s-maxage={settings.DATELINE_HTTP_S_MAXAGE}" in cache_control
    assert "stale-while-revalidate=" in cache_control


def test_feeds_and_sitemaps_are_served_from_the_cache(site):
    for path in ("/en/rss.xml", "/sitemap.xml", "/en/news-sitemap.xml", "/robots.txt"):
        first, second = site.get(path), site.get(path)
        assert first.status == 200, path
        assert second.outcome == "hit", path
        assert second.body == first.body


def test_the_api_reads_are_cached_but_not_the_view_beacon(site, article):
    assert site.get("/api/v1/most-read?lang=en").status == 200
    assert site.get("/api/v1/most-read?lang=en").outcome == "hit"
    from .conftest import call

    beacon = call(site.app, f"/api/v1/articles/{article.pk}/views", method="POST")
    assert "x-cache" not in beacon.headers


@pytest.mark.parametrize("cookie", ["sessionid=abc", "csrftoken=abc", "theme=dark; sessionid=abc"])
def test_a_reader_with_a_session_or_csrf_cookie_goes_to_django(site, home, cookie):
    site.get(home.url)
    answer = site.get(home.url, Cookie=cookie)
    assert answer.status == 200
    assert "x-cache" not in answer.headers


def test_other_cookies_still_get_the_cached_page(site, home):
    site.get(home.url)
    assert site.get(home.url, Cookie="theme=dark").outcome == "hit"


def test_the_admin_and_authorised_requests_are_never_cached(site, home):
    assert "x-cache" not in site.get("/admin/login/").headers
    site.get(home.url)
    assert "x-cache" not in site.get(home.url, Authorization="Basic eDp5").headers


def test_tracking_parameters_share_a_copy_and_page_numbers_do_not(site, world):
    site.get(world.url)
    assert site.get(world.url + "?utm_source=x&fbclid=1").outcome == "hit"
    second_page = site.get(world.url + "?page=2")
    assert second_page.outcome == "miss"
    assert second_page.body != site.get(world.url).body


def test_a_search_is_never_cached_but_the_empty_search_page_is(site):
    for _ in range(2):
        answer = site.get("/en/search/?q=harbour")
        assert answer.status == 200
        assert answer.outcome is None
        assert "private" in answer.headers["cache-control"]
    site.get("/en/search/")
    assert site.get("/en/search/").outcome == "hit"


def test_a_missing_page_is_cached_as_a_404(site):
    assert site.get("/en/no-such-page/").status == 404
    again = site.get("/en/no-such-page/")
    assert (again.status, again.outcome) == (404, "hit")


def test_a_too_long_address_is_refused_not_cached(site):
    answer = site.get("/en/?" + "q=" + "x" * 10_000)
    assert answer.status == 414
    assert "x-cache" not in answer.headers


def test_an_untrusted_forwarded_proto_cannot_file_a_page_under_https(site, home):
    spoofed = site.get(home.url, X_Forwarded_Proto="https")
    honest = site.get(home.url)
    assert spoofed.outcome == "miss"
    assert honest.outcome == "hit"  # the same copy: the header was not believed
