"""Generated addresses, query strings and form inputs against the public site, through
Django's test client: whatever a reader or a crawler sends, the answer is never a 500.
Bounded to a few hundred requests so it runs in well under a minute."""

from __future__ import annotations

from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = [pytest.mark.django_db, pytest.mark.engine]

FUZZ = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,  # the same cases on every run: a failure is reproducible
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Any text at all, including control characters, other scripts, emoji and markup.
any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
# What a person types into a search box, and the tricks parsers stumble over.
search_text = st.one_of(
    any_text,
    st.sampled_from(
        [
            '"',
            '"unclosed phrase',
            "NEAR(a b)",
            "a OR",
            "* AND -",
            "^",
            "col:value",
            "'; DROP TABLE news_articlepage; --",
            "\x00",
            "%",
            "_",
            "ё" * 200,
            "Հայաստան",
            "iqtisadiyyat",
            "a" * 5000,
        ]
    ),
)
languages = st.sampled_from(["en", "ru", "hy", "az", "", "fr", "EN", "zz-ZZ", "en-us", ".."])
# Segments of the site's own shapes, and anything else.
segments = st.one_of(
    st.sampled_from(
        ["search", "tags", "authors", "world", "economy", "sport", "rss.xml", "page", ".", ".."]
    ),
    any_text,
)
query_keys = st.sampled_from(
    ["q", "page", "section", "tag", "author", "lang", "sort", "from", "to", "next", "format"]
)
page_numbers = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.sampled_from(["last", "0", "1e9", "NaN", "", " 1", "٣", "1.5"]),
    any_text,
)


def quoted(text: str) -> str:
    return quote(text, safe="")


def assert_no_server_error(response, url: str) -> None:
    assert response.status_code < 500, f"{response.status_code} for {url!r}"


@FUZZ
@given(
    language=languages,
    parts=st.lists(segments, max_size=4),
    trailing_slash=st.booleans(),
)
def test_any_address_gets_an_answer_not_a_500(client, language, parts, trailing_slash):
    path = "/" + "/".join(quoted(part) for part in [language, *parts] if part)
    if trailing_slash:
        path += "/"
    assert_no_server_error(client.get(path), path)


@FUZZ
@given(
    language=st.sampled_from(["en", "ru", "hy", "az"]),
    query=search_text,
    extra=st.dictionaries(query_keys, any_text, max_size=3),
    page=page_numbers,
    suggest=st.booleans(),
)
def test_search_and_suggestions_take_any_input(client, language, query, extra, page, suggest):
    params = {**extra, "q": query, "page": page}
    path = f"/{language}/search/{'suggest/' if suggest else ''}?{urlencode(params)}"
    assert_no_server_error(client.get(path), path)


@FUZZ
@given(
    language=st.sampled_from(["en", "ru", "hy", "az"]),
    kind=st.sampled_from(["tags", "authors"]),
    slug=st.one_of(any_text, st.sampled_from(["economy", "mila-hakobyan", "x" * 300])),
    page=page_numbers,
)
def test_tag_and_author_pages_take_any_slug_and_page(client, language, kind, slug, page):
    path = f"/{language}/{kind}/{quoted(slug) or 'x'}/?{urlencode({'page': page})}"
    assert_no_server_error(client.get(path), path)


@FUZZ
@given(
    section=st.sampled_from(["world", "politics", "economy", "region", "analytics", "sport"]),
    params=st.dictionaries(query_keys, page_numbers, max_size=4),
    feed=st.booleans(),
)
def test_section_listings_and_feeds_take_any_query(client, section, params, feed):
    path = f"/en/{section}/{'rss.xml' if feed else ''}?{urlencode(params)}"
    assert_no_server_error(client.get(path), path)


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(username=any_text, password=any_text, next_url=any_text)
def test_the_sign_in_form_takes_any_input(client, username, password, next_url):
    response = client.post(
        "/admin/login/", {"username": username, "password": password, "next": next_url}
    )
    assert_no_server_error(response, f"sign in as {username!r}")
