"""Ranking, phrases, exclusions, snippets, filters, paging, the index following
publishing, suggestions and popular searches."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from dateline.news import services as news
from dateline.search import services
from dateline.search.models import SearchEntry, SearchQueryLog
from dateline.search.services import Filters

from .conftest import write_article

pytestmark = [pytest.mark.django_db, pytest.mark.engine]


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def found(query: str, code: str = "en", **filters) -> list[int]:
    results = services.search(query, code, Filters(**filters))
    return [hit.article_id for hit in results[: results.count()]]


def test_a_headline_match_ranks_above_a_body_match(desk):
    section = desk("en")
    now = timezone.now()
    in_body = write_article(section, "b", "Port news", "Talk of quorvex at the port.", now)
    in_headline = write_article(
        section, "h", "Quorvex returns", "The ship came back.", now - timedelta(hours=3)
    )
    assert found("quorvex") == [in_headline.pk, in_body.pk]


def test_the_newer_of_two_equal_stories_ranks_first(desk):
    section = desk("en")
    now = timezone.now()
    old = write_article(section, "old", "Quorvex plan", "Quorvex plan.", now - timedelta(days=300))
    new = write_article(section, "new", "Quorvex plan", "Quorvex plan.", now - timedelta(days=1))
    assert found("quorvex") == [new.pk, old.pk]
    assert found("quorvex", sort="newest") == [new.pk, old.pk]


def test_sort_by_newest_ignores_relevance(desk):
    section = desk("en")
    now = timezone.now()
    strong = write_article(section, "s", "Quorvex quorvex", "Quorvex.", now - timedelta(days=2))
    weak = write_article(section, "w", "Port", "A word on quorvex.", now)
    assert found("quorvex", sort="newest") == [weak.pk, strong.pk]


def test_a_date_range_keeps_stories_of_those_days(desk):
    section = desk("en")
    now = timezone.now()
    recent = write_article(section, "r", "Quorvex now", "Quorvex.", now)
    older = write_article(section, "o", "Quorvex then", "Quorvex.", now - timedelta(days=10))
    today = timezone.localdate()
    assert found("quorvex", date_from=today - timedelta(days=3)) == [recent.pk]
    assert found("quorvex", date_to=today - timedelta(days=5)) == [older.pk]


def test_the_section_filter_keeps_one_section(client, desk):
    first, second = desk("en", "desk-one"), desk("en", "desk-two")
    one = write_article(first, "one", "Quorvex one", "Quorvex.")
    two = write_article(second, "two", "Quorvex two", "Quorvex.")
    assert found("quorvex", section_id=first.pk) == [one.pk]
    response = client.get("/en/search/", {"q": "quorvex", "section": second.pk})
    links = [a["href"] for a in soup(response).select("main .card-title a")]
    assert links == [two.url]


def test_the_filters_show_what_each_search_chose_and_a_new_section(client, desk):
    first = desk("en", "desk-one")
    write_article(first, "one", "Quorvex one", "Quorvex.")

    def chosen(**asked) -> dict[str, str]:
        html = soup(client.get("/en/search/", {"q": "quorvex", **asked}))
        section = html.select_one("select[name=section] option[selected]")
        sort = html.select_one("select[name=sort] option[selected]")
        return {
            "section": section["value"] if section else "",
            "sort": sort["value"] if sort else "",
            "date_from": html.select_one("input[name=date_from]").get("value", ""),
            "sections": [o["value"] for o in html.select("select[name=section] option")],
        }

    newest = chosen(section=first.pk, sort="newest", date_from="2026-01-01")
    assert (newest["section"], newest["sort"], newest["date_from"]) == (
        str(first.pk),
        "newest",
        "2026-01-01",
    )
    plain = chosen()
    assert (plain["section"], plain["sort"], plain["date_from"]) == ("", "", "")
    assert chosen(section=first.pk, sort="newest", date_from="2026-01-01") == newest
    second = desk("en", "desk-two")  # a new section is offered at once
    assert str(second.pk) in chosen()["sections"]


def test_a_result_shows_headline_section_time_and_a_highlighted_escaped_snippet(client, desk):
    section = desk("en")
    write_article(section, "x", "Quorvex & the <b>port</b>", "A <i>quorvex</i> <script>x</script>")
    response = client.get("/en/search/", {"q": "quorvex"})
    html = soup(response)
    result = html.select_one("main .search-result")
    assert result.select_one(".section-label").get_text(strip=True) == section.title
    assert result.select_one("time")["datetime"]
    assert result.select_one(".card-title mark").get_text() == "Quorvex"
    snippet = result.select_one(".snippet")
    assert snippet.select_one("mark").get_text() == "quorvex"
    assert snippet.select("script") == [] and snippet.select("i") == []
    raw = response.content.decode()
    assert "&lt;script&gt;" in raw and "<script>x" not in raw


def test_result_headlines_are_one_level_below_the_page_heading(client, desk):
    # Screen reader users move by headings: a jump from h1 to h3 reads as a missing part.
    section = desk("en")
    write_article(section, "q1", "Quorvex one", "Quorvex.")
    write_article(section, "q2", "Quorvex two", "Quorvex.")
    main = soup(client.get("/en/search/", {"q": "quorvex"})).select_one("main")
    levels = [int(h.name[1]) for h in main.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])]
    assert levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    assert [h.name for h in main.select(".search-result .card-title")] == ["h2", "h2"]


def test_results_are_paged_with_the_total_count(client, desk):
    section = desk("en")
    now = timezone.now()
    for i in range(23):
        write_article(section, f"q{i}", f"Quorvex {i}", "Quorvex.", now - timedelta(hours=i))
    first = soup(client.get("/en/search/", {"q": "quorvex", "sort": "newest"}))
    assert "23" in first.select_one(".result-count").get_text()
    assert len(first.select("main .search-result")) == 20
    next_link = first.select_one(".pagination a[rel=next]")["href"]
    assert "q=quorvex" in next_link and "sort=newest" in next_link and "page=2" in next_link
    second = soup(client.get("/en/search/" + next_link))
    assert len(second.select("main .search-result")) == 3


def test_the_second_page_of_results_links_back_in_the_pages_language(client, desk):
    section = desk("ru")
    now = timezone.now()
    for i in range(21):
        write_article(section, f"q{i}", f"Кворвекс {i}", "Кворвекс.", now - timedelta(hours=i))
    second = soup(client.get("/ru/search/", {"q": "кворвекс", "page": "2"}))
    back = second.select_one(".pagination a[rel=prev]")
    assert "q=" in back["href"] and "page=1" in back["href"]
    assert "Назад" in back.get_text()
    assert second.select_one(".pagination a[rel=next]") is None
    assert "2" in second.select_one(".pagination span").get_text()


def test_the_index_follows_publishing(desk):
    section, other = desk("en"), desk("en", "other-desk")
    story = write_article(section, "s", "Quorvex harbour", "Quorvex.")
    assert found("quorvex") == [story.pk]

    story.title = "Zentrafel harbour"
    story.standfirst = story.body = None
    story.standfirst = "Zentrafel."
    story.body = [("paragraph", "<p>Zentrafel.</p>")]
    story = news.publish(story)
    assert found("zentrafel") == [story.pk]
    assert found("quorvex") == []

    story.unpublish()
    assert found("zentrafel") == []
    story = news.publish(story)
    assert found("zentrafel") == [story.pk]

    story.move(other, pos="last-child")
    assert SearchEntry.objects.get(page_id=story.pk).section_id == other.pk
    assert found("zentrafel", section_id=other.pk) == [story.pk]

    story.delete()
    assert found("zentrafel") == []
    assert not SearchEntry.objects.filter(page_id=story.pk).exists()


def test_a_search_asked_again_is_answered_from_its_kept_ranking_yet_follows_publishing(desk):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def index_queries(queries) -> list[str]:
        return [q["sql"] for q in queries if "MATCH" in q["sql"] or "@@" in q["sql"]]

    section = desk("en")
    first = write_article(section, "k1", "Quorvex harbour", "Quorvex at dawn.")
    assert found("quorvex") == [first.pk]
    with CaptureQueriesContext(connection) as asked_again:
        assert found("quorvex") == [first.pk]
    assert index_queries(asked_again.captured_queries) == []

    second = write_article(section, "k2", "Quorvex returns", "Quorvex again.")
    assert found("quorvex") == [second.pk, first.pk]
    first.unpublish()
    assert found("quorvex") == [second.pk]
    # Another sort, filter or language is its own search.
    assert found("quorvex", sort="newest") == [second.pk]
    assert found("quorvex", section_id=desk("en", "elsewhere").pk) == []
    assert found("quorvex", "ru") == []


def test_a_story_is_found_only_in_its_own_language(client, desk):
    write_article(desk("ru"), "ru", "Кворвекс в порту", "Кворвекс.")
    assert found("Кворвекс", "ru")
    assert found("Кворвекс", "en") == []
    response = client.get("/en/search/", {"q": "Кворвекс"})
    assert soup(response).select("main .search-result") == []


def test_reindex_rebuilds_the_index(desk):
    story = write_article(desk("en"), "s", "Quorvex harbour", "Quorvex.")
    SearchEntry.objects.all().delete()
    assert found("quorvex") == []
    out = StringIO()
    call_command("search_reindex", stdout=out)
    assert "Indexed" in out.getvalue()
    assert found("quorvex") == [story.pk]
    call_command("search_reindex", "--language", "ru", stdout=out)
    assert found("quorvex") == [story.pk]


ODD = [
    "",
    " ",
    '"',
    '""',
    '"quorvex',
    'quorvex"',
    "-",
    "-quorvex",
    '-"',
    "quorvex -",
    "* OR NEAR(a b) ^ : AND NOT",
    "quorvex*",
    "{headline_terms}: x",
    "'); DROP TABLE dateline_search_entry;--",
    "%' OR 1=1 --",
    "😀 quorvex 🚢",
    "quorvex\x00harbour",
    "\x00",
    "Россия harbour Հայաստան Azərbaycan",
    "a" * 199,
    "ǅ̈̈̈̈ ﷽ \u200b\u202e",
]


@pytest.mark.parametrize("query", ODD)
@pytest.mark.parametrize("code", ["en", "ru", "hy", "az"])
def test_odd_input_is_answered_on_the_page_and_in_suggestions(client, query, code):
    client.raise_request_exception = False
    response = client.get(f"/{code}/search/", {"q": query})
    assert response.status_code == 200, query
    response = client.get(f"/{code}/search/suggest/", {"q": query})
    assert response.status_code == 200, query
    assert response.json()


def test_a_5000_character_search_is_refused_with_a_message(client):
    client.raise_request_exception = False
    response = client.get("/en/search/", {"q": "harbour " * 625})
    assert 400 <= response.status_code < 500
    assert client.get("/en/search/suggest/", {"q": "x" * 5000}).status_code < 500
    assert client.get("/en/search/suggest/", {"q": "x" * 1000}).status_code == 200


def test_a_bad_date_is_refused_with_a_message(client):
    response = client.get("/en/search/", {"q": "harbour", "date_from": "yesterday"})
    assert response.status_code == 400
    assert soup(response).select_one(".form-error[role=alert]").get_text(strip=True)
    response = client.get(
        "/en/search/", {"q": "harbour", "date_from": "2026-02-01", "date_to": "2026-01-01"}
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    "dates",
    [
        {"date_from": "0001-01-01"},
        {"date_to": "9999-12-31"},
        {"date_from": "0001-01-01", "date_to": "9999-12-31"},
        {"date_from": "1899-12-31"},
    ],
)
def test_a_date_out_of_the_searchable_range_is_refused_with_a_message(client, dates):
    client.raise_request_exception = False
    response = client.get("/en/search/", {"q": "news", **dates})
    assert response.status_code == 400
    note = soup(response).select_one(".form-error[role=alert]").get_text(strip=True)
    assert "1900" in note


@override_settings(TIME_ZONE="Asia/Yerevan")
def test_the_first_and_last_searchable_days_are_searched(client):
    response = client.get(
        "/en/search/", {"q": "news", "date_from": "1900-01-01", "date_to": "9000-12-31"}
    )
    assert response.status_code == 200


def test_an_only_excluding_search_finds_nothing_without_error(client):
    response = client.get("/en/search/", {"q": "-harbour"})
    assert response.status_code == 200
    assert soup(response).select("main .search-result") == []


def test_suggestions_are_headlines_of_the_language_that_start_with_the_typed_words(client, desk):
    story = write_article(desk("en"), "s", "Quorvex harbour reopens", "Quorvex.")
    write_article(desk("ru"), "r", "Quorvex в России", "Quorvex.")
    data = client.get("/en/search/suggest/", {"q": "quorv harb"}).json()
    assert [s["url"] for s in data["suggestions"]] == [story.url]
    assert data["suggestions"][0]["title"] == "Quorvex harbour reopens"
    assert client.get("/en/search/suggest/", {"q": "zzzq"}).json()["suggestions"] == []
    response = client.get("/en/search/suggest/", {"q": "quorv"})
    assert response["X-Robots-Tag"] == "noindex"


def test_suggestions_are_the_newest_headlines_whether_of_this_week_or_older(desk):
    section = desk("en")
    now = timezone.now()

    def written(slug: str, days_ago: float) -> int:
        headline = f"Quorvex harbour {slug}"
        return write_article(section, slug, headline, "Quorvex.", now - timedelta(days=days_ago)).pk

    def suggested(limit: int) -> list[str]:
        return [s.title for s in services.suggest("quorv", "en", limit=limit)]

    written("forty", 40)
    written("one", 1)
    written("twenty", 20)
    # One of this week: the older ones follow it, newest first.
    assert suggested(2) == ["Quorvex harbour one", "Quorvex harbour twenty"]
    assert suggested(6) == [f"Quorvex harbour {n}" for n in ("one", "twenty", "forty")]
    written("three", 3)
    assert suggested(2) == ["Quorvex harbour one", "Quorvex harbour three"]


def test_suggestions_asked_again_are_kept_until_a_story_is_pulled(desk, django_assert_num_queries):
    story = write_article(desk("en"), "kept", "Quorvex harbour kept", "Quorvex.")
    assert [s.title for s in services.suggest("quorv harb", "en")] == ["Quorvex harbour kept"]
    with django_assert_num_queries(0):
        assert [s.url for s in services.suggest("quorv harb", "en")] == [story.url]
    story.unpublish()
    assert services.suggest("quorv harb", "en") == []


def _search_as(client, query: str, reader: int, code: str = "en"):
    return client.get(
        f"/{code}/search/",
        {"q": query},
        REMOTE_ADDR=f"203.0.113.{reader}",
        HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0",
    )


@override_settings(DATELINE_SEARCH_POPULAR_MIN_READERS=3)
def test_popular_searches_need_enough_readers_and_results(client, desk):
    write_article(desk("en"), "s", "Quorvex harbour", "Quorvex.")
    for reader in range(3):
        _search_as(client, "Quorvex", reader)
    for reader in range(2):
        _search_as(client, "harbour quorvex", reader)
    for reader in range(5):
        _search_as(client, "zzqqxx nothing", reader)
    _search_as(client, "quorvex", 0)  # the same reader again counts once
    services.forget_popular_cache("en")
    popular = client.get("/en/search/suggest/", {"q": ""}).json()["popular"]
    assert popular == ["quorvex"]
    assert services.popular_searches("ru") == []
    page = soup(client.get("/en/search/"))
    assert [a.get_text() for a in page.select(".popular-searches a")] == ["quorvex"]
    assert SearchQueryLog.objects.filter(query="quorvex").count() == 3
    assert not SearchQueryLog.objects.filter(query__contains="nothing").exists()
    # No address or browser string is kept: only a hash made with the day's salt.
    assert all(
        "203.0.113" not in row.reader and len(row.reader) == 40
        for row in SearchQueryLog.objects.all()
    )


@override_settings(DATELINE_SEARCH_POPULAR_MIN_READERS=1)
def test_popular_searches_forget_searches_older_than_a_week(desk):
    SearchQueryLog.objects.create(
        day=timezone.localdate() - timedelta(days=8), language="en", query="old", reader="r"
    )
    services.forget_popular_cache("en")
    assert services.popular_searches("en") == []
    assert not SearchQueryLog.objects.filter(query="old").exists()


@override_settings(DATELINE_SEARCH_MAX_RESULTS=3)
def test_only_the_newest_matches_are_ranked_when_very_many_match(client, desk):
    section = desk("en")
    now = timezone.now()
    stories = [
        write_article(section, f"m{i}", f"Quorvex {i}", "Quorvex.", now - timedelta(days=i))
        for i in range(5)
    ]
    assert sorted(found("quorvex")) == sorted(story.pk for story in stories[:3])
    response = client.get("/en/search/", {"q": "quorvex"})
    html = soup(response)
    assert "3" in html.select_one(".result-count").get_text()
    assert "3" in html.select_one(".result-note").get_text()
    assert client.get("/en/search/", {"q": "quorvex", "page": "2"}).status_code == 404


def test_a_view_restriction_takes_its_stories_out_of_search_and_back(client, desk):
    from wagtail.models import PageViewRestriction

    section = desk("en")
    write_article(section, "members", "Quokkaland members story", "Only for members.")
    assert "Quokkaland" in client.get("/en/search/", {"q": "quokkaland"}).content.decode()
    restriction = PageViewRestriction.objects.create(
        page=section, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    assert "Quokkaland" not in client.get("/en/search/", {"q": "quokkaland"}).content.decode()
    restriction.delete()
    assert "Quokkaland" in client.get("/en/search/", {"q": "quokkaland"}).content.decode()


def test_the_section_choices_follow_new_and_restricted_sections(client, desk):
    from wagtail.models import PageViewRestriction

    def choices() -> list[str]:
        page = soup(client.get("/en/search/", {"q": "quorvex"}))
        return [option.get_text() for option in page.select("select[name=section] option")]

    before = choices()
    section = desk("en", "choice-desk")
    assert choices() == [*before, section.title]
    restriction = PageViewRestriction.objects.create(
        page=section, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    assert section.title not in choices()
    restriction.delete()
    assert section.title in choices()
