"""Listing articles: newest first, filters, cursors, search, and one article in full."""

import re
from datetime import timedelta

import pytest
from ninja.renderers import JSONRenderer
from wagtail.rich_text import RichText

from dateline.analytics.models import ArticleViewTotal
from dateline.api.schemas import ArticleList
from dateline.news import services
from dateline.news.models import Author, published_articles

pytestmark = [pytest.mark.django_db, pytest.mark.engine]


def ids(response) -> list[int]:
    return [item["id"] for item in response.data["items"]]


def follow(api, response) -> list:
    """Every page of a listing, by its `next` links."""
    pages = [response]
    while pages[-1].data["next"]:
        pages.append(api(pages[-1].data["next"].removeprefix("/api/v1/")))
    return pages


def test_the_list_is_the_language_newest_first_twenty_at_a_time(api, locale):
    response = api("articles", lang="ru")
    expected = list(published_articles(locale("ru")).values_list("pk", flat=True)[:20])
    assert response.status_code == 200
    assert ids(response) == expected
    assert response.data["deleted"] == []
    item = response.data["items"][0]
    assert item["lang"] == "ru" and item["url"].startswith("http://127.0.0.1:8000/ru/")
    assert item["section"]["slug"] and item["authors"] and item["authors"][0]["url"]
    assert re.search(r"[+-]\d\d:\d\d$", item["published_at"])  # with the site's offset


def test_cursor_pages_cover_the_language_once_each_even_when_stories_arrive(api, desk, write):
    everything = list(published_articles(desk("en").locale).values_list("pk", flat=True))
    first = api("articles", lang="en", limit=7)
    write(desk("en", "late-desk"), "late-story")  # published between two pages
    pages = follow(api, first)
    seen = [pk for page in pages for pk in ids(page)]
    assert seen == everything
    assert all(len(ids(page)) == 7 for page in pages[:-1])
    assert pages[-1].data["next"] is None


def test_filters_by_section_tag_author_and_publish_time(api, world, article):
    by_section = api("articles", lang="en", section="world", limit=100)
    assert set(ids(by_section)) == set(world.articles().values_list("pk", flat=True))

    tag = article.tags.first()
    by_tag = api("articles", lang="en", tag=tag.slug, limit=100)
    assert article.pk in ids(by_tag)
    assert all(tag.slug in [t["slug"] for t in item["tags"]] for item in by_tag.data["items"])

    author = article.bylines.first().author
    russian_name = Author.objects.get(
        translation_key=author.translation_key, locale__language_code="ru"
    )
    by_author = api("articles", lang="ru", author=russian_name.slug, limit=100)
    assert by_author.data["items"]
    assert all(
        russian_name.name in [a["name"] for a in item["authors"]]
        for item in by_author.data["items"]
    )

    moment = article.first_published_at
    after = api("articles", lang="en", published_after=moment.isoformat(), limit=100)
    before = api("articles", lang="en", published_before=moment.isoformat(), limit=100)
    assert article.pk in ids(after) and article.pk not in ids(before)
    assert set(ids(after)).isdisjoint(ids(before))


def test_search_returns_the_hits_of_the_site_search_page(api, client):
    for lang, query in [("en", "ports"), ("ru", "выборы"), ("en", '"shared register"')]:
        page = client.get(f"/{lang}/search/", {"q": query}).content.decode()
        on_page = re.findall(r'<h2 class="card-title"><a href="([^"]+)"', page)
        from_api = api("articles", lang=lang, q=query, limit=20).data["items"]
        assert on_page, query
        assert [item["url"].removeprefix("http://127.0.0.1:8000") for item in from_api] == on_page


def test_search_pages_follow_the_ranking_and_take_section_and_sort(api):
    # "year" is in most demo stories and is no stop word on either engine.
    everything = api("articles", lang="en", q="year", limit=100)
    assert len(ids(everything)) > 20
    pages = follow(api, api("articles", lang="en", q="year", limit=7))
    assert [pk for page in pages for pk in ids(page)] == ids(everything)
    newest = api("articles", lang="en", q="year", sort="newest", limit=100).data["items"]
    times = [item["published_at"] for item in newest]
    assert times == sorted(times, reverse=True)
    in_world = api("articles", lang="en", q="year", section="world", limit=100).data["items"]
    assert in_world and {item["section"]["slug"] for item in in_world} == {"world"}


def test_an_article_in_full(api, article, locale, settings):
    ArticleViewTotal.objects.create(article=article, views=4321)
    response = api(f"articles/{article.pk}")
    assert response.status_code == 200
    data = response.data
    assert data["headline"] == article.title and data["standfirst"] == article.standfirst
    assert data["views"] == 4321
    assert data["canonical_url"] == "http://127.0.0.1:8000" + article.url
    assert data["share_links"]["telegram"].startswith("https://t.me/share/url?url=http%3A%2F%2F")
    assert data["body_text"] and "<" not in data["body_text"]
    assert data["body_html"].startswith("<") and "<script" not in data["body_html"]
    assert data["time_zone"] == "Asia/Yerevan" and data["published_at"].endswith("+04:00")
    assert [t["lang"] for t in data["translations"]] == ["ru", "hy", "az"]
    russian = article.get_translation(locale("ru"))
    assert data["translations"][0] == {
        "id": russian.pk,
        "lang": "ru",
        "headline": russian.title,
        "url": "http://127.0.0.1:8000" + russian.url,
    }
    picture = data["lead_image"]
    names = {r["name"]: r for r in picture["renditions"]}
    assert set(names) == {"thumbnail", "small", "medium", "large", "social"}
    assert (names["social"]["width"], names["social"]["height"]) == (1200, 630)
    assert names["medium"]["url"].startswith("http://127.0.0.1:8000/media/")


def test_the_body_is_sanitised_and_links_are_absolute(api, desk):
    hostile = (
        '<p>Read <a href="/en/world/" onclick="steal()">this</a> and '
        '<a href="javascript:alert(1)">that</a>.</p><script>alert(1)</script>'
        '<p><img src="x" onerror="alert(2)"></p><iframe src="https://evil.example"></iframe>'
    )
    section = desk()
    article = services.create_article(
        section, title="Hostile", slug="hostile", standfirst="s",
        body=[("paragraph", RichText(hostile)), ("heading", "A <b>heading</b>"),
              ("quote", {"quote": "Said <this>", "attribution": "Someone"})],
    )  # fmt: skip
    data = api(f"articles/{article.pk}").data
    body = data["body_html"]
    for bad in ("<script", "onclick", "javascript:", "onerror", "<iframe", "alert(1)"):
        assert bad not in body
    assert '<a href="http://127.0.0.1:8000/en/world/" rel="noopener">this</a>' in body
    assert "<h2>A &lt;b&gt;heading&lt;/b&gt;</h2>" in body
    assert "<blockquote><p>Said &lt;this&gt;</p><footer>Someone</footer></blockquote>" in body
    assert data["body_text"].splitlines() == ["Read this and that.", "A <b>heading</b>",
                                              "Said <this>", "Someone"]  # fmt: skip


def test_an_article_by_its_path_or_address(api, article, locale):
    russian = article.get_translation(locale("ru"))
    for path in (article.url, "http://127.0.0.1:8000" + article.url, article.url.rstrip("/")):
        response = api("articles/by-path", path=path)
        assert response.status_code == 200, path
        assert response.data["id"] == article.pk
    assert api("articles/by-path", path=russian.url).data["id"] == russian.pk
    # A link copied with a query or a fragment still names the article.
    for copied in (article.url + "?utm_source=app", "http://127.0.0.1:8000" + article.url + "#top"):
        assert api("articles/by-path", path=copied).data["id"] == article.pk, copied


@pytest.mark.parametrize(
    "path, status",
    [
        ("/en/world/no-such-story/", 404),
        ("/en/world/", 404),  # a section is not an article
        ("/de/world/story/", 400),
        ("world/story", 400),
        ("/", 400),
        ("/en/", 400),
        ("/en/?story", 400),
        ("ftp://127.0.0.1/en/world/story/", 400),
        ("http://[127.0.0.1/en/world/story/", 400),  # no host that an address can have
        ("/en/world/story\x00/", 422),
        ("/en/" + "x" * 400 + "/", 422),
    ],
)
def test_a_path_that_is_no_article_is_answered_with_a_problem(api, path, status):
    response = api("articles/by-path", path=path)
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert response.data["status"] == status and response.data["title"]


def test_a_path_of_the_wrong_shape_is_told_what_to_send(api):
    response = api("articles/by-path", path="world/story")
    assert response.data["errors"][0]["parameter"] == "path"
    assert "/en/world/some-story/" in response.data["detail"]
    assert "en, ru, hy, az" in response.data["detail"]


def test_the_document_declares_the_paths_the_server_looks_up(client, api, article):
    """The published pattern for `path` is the server's own rule: what it calls valid is
    looked up (found or 404), what it refuses is a 400."""
    (parameter,) = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/articles/by-path"][
        "get"
    ]["parameters"]
    pattern = re.compile(parameter["schema"]["pattern"])
    for path in (article.url, "https://news.example:8443" + article.url, "/hy//a", "/az/ x"):
        assert pattern.search(path), path
        assert api("articles/by-path", path=path).status_code in (200, 404), path
    for path in ("/de/world/story/", "/en", "/en//", "//en/world/story/", "en/world/story/"):
        assert not pattern.search(path), path
        assert api("articles/by-path", path=path).status_code == 400, path


def test_unknown_ids_are_404_and_other_pages_are_not_articles(api, world, home):
    for pk in (987654321, world.pk, home.pk):
        response = api(f"articles/{pk}")
        assert response.status_code == 404
        assert response.data["detail"] == f"No published article has the id {pk}."
    assert api("articles/0").status_code == 422
    assert api(f"articles/{2**70}").status_code == 422
    assert api("articles/abc").status_code == 422


@pytest.mark.parametrize(
    "params, parameter, status",
    [
        ({"limit": "1000"}, "limit", 422),
        ({"limit": "0"}, "limit", 422),
        ({"limit": "-5"}, "limit", 422),
        ({"limit": "ten"}, "limit", 422),
        ({"cursor": "not-a-cursor"}, "cursor", 400),
        ({"cursor": "eyJrIjoicCIsInQiOiJ4IiwiaSI6MX0"}, "cursor", 400),  # {"k":"p","t":"x","i":1}
        ({"cursor": "x" * 600}, "cursor", 422),
        ({"cursor": "\x00"}, "cursor", 400),
        ({"published_after": "yesterday"}, "published_after", 422),
        ({"published_before": "2024-13-45"}, "published_before", 422),
        ({"updated_since": "0001-01-01T00:00:00+01:00"}, "updated_since", 422),
        ({"updated_since": "9999-12-31T23:59:59-12:00"}, "updated_since", 422),
        ({"q": "news", "published_after": "0001-01-01"}, "published_after", 422),
        ({"q": "news", "published_before": "9999-12-31T23:59:59"}, "published_before", 422),
        ({"section": "no-such-section"}, "section", 400),
        ({"section": "world\x00"}, "section", 422),
        ({"section": "'; DROP TABLE x; --"}, "section", 422),
        ({"tag": "no-such-tag"}, "tag", 400),
        ({"author": "nobody-at-all"}, "author", 400),
        ({"q": "x" * 201}, "q", 422),
        ({"q": "ports", "tag": "economy"}, "tag", 400),
        ({"q": "ports", "updated_since": "2024-01-01"}, "updated_since", 400),
        ({"sort": "random"}, "sort", 422),
    ],
)
def test_bad_parameters_are_named_in_the_problem(api, params, parameter, status):
    response = api("articles", **params)
    assert response.status_code == status, response.data
    assert response["Content-Type"] == "application/problem+json"
    assert parameter in [error["parameter"] for error in response.data["errors"]]
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "q", ["\x00", '"', "ports\x00", "-", 'AND OR NOT "', "🙂", "ՀայաստանРоссия", "' OR 1=1 --"]
)
def test_odd_searches_are_answered_without_error(api, q):
    response = api("articles", lang="en", q=q)
    assert response.status_code == 200
    assert isinstance(response.data["items"], list)


def test_a_5000_character_search_is_refused(api):
    assert api("articles", q="x" * 5000).status_code in (414, 422)
    assert api("articles", q="word " * 40).status_code == 200


def test_the_list_pages_the_publish_window(api, article):
    moment = article.first_published_at
    window = api(
        "articles",
        lang="en",
        published_after=(moment - timedelta(seconds=1)).isoformat(),
        published_before=(moment + timedelta(seconds=1)).isoformat(),
    )
    assert article.pk in ids(window)


def test_a_time_with_any_valid_offset_is_taken(api):
    """ISO 8601 allows offsets up to ±23:59; the database takes the time in UTC."""
    for offset in ("+23:55", "-23:59"):
        found = api("articles", lang="en", published_before=f"2537-11-29T22:53:30{offset}")
        assert found.data["items"], offset


@pytest.mark.parametrize(
    "params",
    [
        {"lang": "en"},
        {"lang": "hy", "limit": 50},
        {"lang": "ru", "updated_since": "2000-01-01T00:00:00Z", "limit": 100},
        {"lang": "en", "q": "year", "limit": 30},
    ],
)
def test_every_kind_of_list_is_byte_for_byte_what_its_published_schema_renders(
    api, desk, write, params
):
    # The lists are not validated against the schema when answered; this is the check.
    gone = write(desk("ru", "schema-desk"), "pulled-story", "A pulled story")
    services.unpublish(gone)
    response = api("articles", **params)
    assert response.status_code == 200 and response.data["items"]

    shaped = ArticleList.model_validate(response.data).model_dump()
    rendered = JSONRenderer().render(None, shaped, response_status=200)
    assert response.content.decode() == rendered


def test_an_empty_list_is_what_its_published_schema_renders(api):
    response = api("articles", lang="en", q="qqqxqqq-nowhere")
    assert response.status_code == 200 and response.data["items"] == []

    shaped = ArticleList.model_validate(response.data).model_dump()
    assert response.content.decode() == JSONRenderer().render(None, shaped, response_status=200)


def test_a_list_keeps_summaries_yet_shows_every_change_at_once(api, desk, write):
    """A list read again reads only the ids of its stories; an edit, a renamed author and
    a story taken down show in the next list all the same."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    section = desk()
    first = write(section, "kept-first", "First headline")
    second = write(section, "kept-second", "Second headline")
    author = Author.objects.create(name="Ana Kept", slug="ana-kept", locale=first.locale)
    services.set_byline(first, [author])
    first = services.publish(first)

    def listed() -> dict[int, dict]:
        answer = api("articles", lang="en", section=section.slug)
        assert answer.status_code == 200
        return {item["id"]: item for item in answer.data["items"]}

    assert listed()[first.pk]["headline"] == "First headline"
    with CaptureQueriesContext(connection) as again:
        assert listed()[first.pk]["authors"][0]["name"] == "Ana Kept"
    assert not [query for query in again.captured_queries if "standfirst" in query["sql"]]

    first.title = "First headline, corrected"
    first = services.publish(first)
    assert listed()[first.pk]["headline"] == "First headline, corrected"

    author.name = "Ana Kept-Marr"
    author.save()
    assert listed()[first.pk]["authors"][0]["name"] == "Ana Kept-Marr"

    services.unpublish(second)
    assert set(listed()) == {first.pk}
    synced = api("articles", lang="en", updated_since="2000-01-01T00:00:00Z", limit=100).data
    assert second.pk in [removed["id"] for removed in synced["deleted"]]
    assert first.pk in [item["id"] for item in synced["items"]]


def test_an_article_read_again_shows_an_edit_and_its_latest_count_at_once(api, desk, write):
    from dateline.analytics.services import add_views

    story = write(desk(), "kept-whole", "Kept whole", text="The first text.")
    assert api(f"articles/{story.pk}").data["body_text"].strip() == "The first text."
    assert api(f"articles/{story.pk}").data["views"] == 0

    add_views(story, 41)  # counts are not content: no generation moves for them
    assert api(f"articles/{story.pk}").data["views"] == 41

    story.body = [("paragraph", RichText("<p>The second text.</p>"))]
    story = services.publish(story)
    answer = api("articles/by-path?path=/en/api-desk/kept-whole/").data
    assert answer["body_text"].strip() == "The second text."
    assert answer["views"] == 41

    services.unpublish(story)
    assert api(f"articles/{story.pk}").status_code == 404
