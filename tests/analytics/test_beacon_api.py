"""POST /api/v1/articles/<id>/views and GET /api/v1/most-read, as a browser or app calls them."""

import json

import pytest
from django.core.cache import cache

from dateline.analytics.models import ArticleViewsByHour
from dateline.analytics.services import flush_views

from .conftest import BROWSER

pytestmark = [pytest.mark.django_db, pytest.mark.engine]


def beacon(client, article_id, body="{}", content_type="application/json", **headers):
    headers.setdefault("HTTP_USER_AGENT", BROWSER)
    return client.post(
        f"/api/v1/articles/{article_id}/views", data=body, content_type=content_type, **headers
    )


def test_the_beacon_answers_with_the_new_count_and_is_never_cached(client, article):
    response = beacon(client, article.pk)
    assert response.status_code == 200
    assert response.json() == {"article": article.pk, "views": 1, "counted": True}
    assert response["Cache-Control"] == "no-store"
    assert beacon(client, article.pk).json()["views"] == 1


def test_the_article_page_shows_the_stored_count(client, article):
    beacon(client, article.pk, REMOTE_ADDR="192.0.2.1")
    beacon(client, article.pk, REMOTE_ADDR="192.0.2.2")
    page = client.get(article.url).content.decode()
    assert "data-view-count>2<" in page
    assert f'data-view-beacon="/api/v1/articles/{article.pk}/views"' in page


def test_large_counts_are_formatted_for_the_page_language(client, article, locale):
    from dateline.analytics.models import ArticleViewTotal

    russian = article.get_translation(locale("ru"))
    ArticleViewTotal.objects.create(article=russian, views=1234567)
    ArticleViewTotal.objects.create(article=article, views=1234567)
    assert "data-view-count>1,234,567<" in client.get(article.url).content.decode()
    russian_page = client.get(russian.url).content.decode()
    assert "data-view-count>1\xa0234\xa0567<" in russian_page


@pytest.mark.parametrize(
    "body, content_type, status",
    [
        ("not json", "application/json", 400),
        ("[1, 2]", "application/json", 400),
        ('"text"', "application/json", 400),
        ("{}", "text/plain", 415),
        ("{}", "application/x-www-form-urlencoded", 415),
        ('{"pad": "' + "x" * 1100 + '"}', "application/json", 413),
        (b"\xff\xfe{}", "application/json", 400),
    ],
)
def test_a_malformed_beacon_is_refused_with_a_reason(client, article, body, content_type, status):
    response = beacon(client, article.pk, body=body, content_type=content_type)
    assert response.status_code == status
    problem = response.json()
    assert problem["status"] == status and problem["title"]
    assert response["Content-Type"] == "application/problem+json"


def test_unknown_or_unpublished_articles_are_not_found(client, article, world):
    assert beacon(client, 987654321).status_code == 404
    article.unpublish()
    assert beacon(client, article.pk).status_code == 404
    assert beacon(client, world.pk).status_code == 404  # a section is not an article
    assert beacon(client, "abc").status_code == 422


def test_only_post_is_allowed(client, article):
    url = f"/api/v1/articles/{article.pk}/views"
    assert client.get(url).status_code == 405
    assert client.put(url, "{}", content_type="application/json").status_code == 405


def test_a_flooding_client_gets_429_with_retry_after(client, settings, article):
    settings.DATELINE_BEACON_RATE_LIMIT = 2
    addr = {"REMOTE_ADDR": "198.51.100.77"}
    assert beacon(client, article.pk, **addr).status_code == 200
    assert beacon(client, article.pk, **addr).status_code == 200
    limited = beacon(client, article.pk, **addr)
    assert limited.status_code == 429
    assert 0 < int(limited["Retry-After"]) <= 60
    assert beacon(client, article.pk, REMOTE_ADDR="198.51.100.78").status_code == 200


def test_forwarded_addresses_are_believed_only_from_trusted_proxies(client, settings, article):
    from dateline.core.clients import trusted_proxies

    forwarded = {"HTTP_X_FORWARDED_FOR": "203.0.113.1"}
    beacon(client, article.pk, REMOTE_ADDR="192.0.2.200", **forwarded)
    # Untrusted sender: the forwarded header is ignored, so this is the same reader.
    spoofed = beacon(client, article.pk, REMOTE_ADDR="192.0.2.200", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert spoofed.json()["counted"] is False

    settings.DATELINE_TRUSTED_PROXIES = ["10.0.0.0/8"]
    trusted_proxies.cache_clear()
    try:
        via_proxy = {"REMOTE_ADDR": "10.1.1.1"}
        first = beacon(client, article.pk, HTTP_X_FORWARDED_FOR="203.0.113.5", **via_proxy)
        second = beacon(client, article.pk, HTTP_X_FORWARDED_FOR="203.0.113.6", **via_proxy)
        assert first.json()["counted"] and second.json()["counted"]
    finally:
        settings.DATELINE_TRUSTED_PROXIES = []
        trusted_proxies.cache_clear()


def test_signed_in_editors_are_not_counted(client, editor, article):
    client.force_login(editor)
    assert beacon(client, article.pk).json()["counted"] is False


def test_previews_do_not_send_the_beacon(client, editor, article):
    client.force_login(editor)
    preview = client.get(f"/admin/pages/{article.pk}/edit/preview/?mode=")
    assert preview.status_code == 200
    assert "data-view-beacon" not in preview.content.decode()


def test_most_read_lists_the_language_s_most_read_articles(client, article, world, locale):
    cache.clear()
    stories = list(world.articles()[:3])
    for reader, story in enumerate([stories[1], stories[1], stories[2]]):
        beacon(client, story.pk, REMOTE_ADDR=f"192.0.2.{reader + 10}")
    flush_views()  # most read is computed from the database
    response = client.get("/api/v1/most-read?lang=en&window=24h")
    assert response.status_code == 200
    items = response.json()["items"]
    assert [item["id"] for item in items[:2]] == [stories[1].pk, stories[2].pk]
    assert items[0]["views"] == 2
    assert client.get("/api/v1/most-read?lang=ru").json()["items"] == []
    section = client.get("/api/v1/most-read?lang=en&section=sport&window=7d").json()
    assert section["items"] == []


def test_most_read_is_shown_on_the_home_page(client, article):
    cache.clear()
    beacon(client, article.pk)
    flush_views()
    home = client.get("/en/").content.decode()
    assert 'class="most-read"' in home and article.title in home


def test_the_7_day_window_covers_older_views(client, article):
    from datetime import timedelta

    from django.utils import timezone

    cache.clear()
    ArticleViewsByHour.objects.create(
        article=article, hour=timezone.now() - timedelta(days=3), views=7
    )
    day = client.get("/api/v1/most-read?lang=en&window=24h").json()["items"]
    week = client.get("/api/v1/most-read?lang=en&window=7d").json()["items"]
    assert article.pk not in [item["id"] for item in day]
    assert week[0] == {
        "id": article.pk,
        "title": article.title,
        "url": week[0]["url"],
        "views": 7,
    }


@pytest.mark.parametrize(
    "query, status",
    [
        ("lang=xx", 400),
        ("lang=en&window=1y", 422),
        ("lang=en&section=no-such-section", 400),
        ("lang=" + "a" * 1000, 400),
        ("lang=" + "a" * 5000, 414),
    ],
)
def test_bad_most_read_parameters_are_refused(client, query, status):
    response = client.get(f"/api/v1/most-read?{query}")
    assert response.status_code == status
    assert json.loads(response.content)["status"] == status


def test_a_live_blog_counts_its_readers_like_any_story(client):
    from dateline.news.models import LiveBlogPage

    blog = LiveBlogPage.objects.live().first()
    page = client.get(blog.url).content.decode()
    assert f'data-view-beacon="/api/v1/articles/{blog.pk}/views"' in page
    first = beacon(client, blog.pk, REMOTE_ADDR="192.0.2.77")
    assert first.status_code == 200, first.content
    assert first.json()["counted"] is True
    second = beacon(client, blog.pk, REMOTE_ADDR="192.0.2.78")
    assert second.json()["views"] == first.json()["views"] + 1
