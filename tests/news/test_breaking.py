"""Breaking news: an editor marks a published story, and every page of its language shows
a banner linking to it (filled from /<lang>/breaking.json), the API and a feed carry it,
until it expires or is cleared; the apps that alert readers hear of each marking once."""

from __future__ import annotations

import json
from datetime import timedelta
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import Locale

from dateline.core.newsroom_time import site_time_zone
from dateline.news import breaking, services
from dateline.news.events import story_marked_breaking
from dateline.news.models import ArticlePage, BreakingNews
from dateline.pagecache.policy import is_cacheable_request
from tests.factories import story

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def nothing_breaking(db):
    """The demo marks a story in every language: each test starts from none, in English
    (refusals speak the editor's language)."""
    BreakingNews.objects.all().delete()
    with translation.override("en"):
        yield


def banner(client, language: str = "en") -> list[dict]:
    response = client.get(f"/{language}/breaking.json")
    assert response.status_code == 200
    return response.json()["items"]


def test_a_marked_story_is_in_its_languages_banner_only(client, article):
    breaking.mark_breaking(article, label="Live")
    items = banner(client)
    assert [(item["title"], item["label"]) for item in items] == [(article.title, "Live")]
    assert items[0]["url"] == "/en/" + article.url_path.split("/", 2)[2]
    assert banner(client, "ru") == []


def test_the_banner_is_kept_by_a_cdn_for_seconds_and_never_by_the_page_cache(client):
    response = client.get("/en/breaking.json")
    assert response["Cache-Control"] == "public, max-age=10, s-maxage=10"
    for path in ("/en/breaking.json", "/ru/breaking.xml", "/api/v1/breaking"):
        environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path}
        assert not is_cacheable_request(environ, ())
    assert is_cacheable_request({"REQUEST_METHOD": "GET", "PATH_INFO": "/en/"}, ())


def test_without_a_label_the_banner_says_breaking_in_the_pages_language(client, article):
    russian = article.get_translation(Locale.objects.get(language_code="ru"))
    breaking.mark_breaking(russian)
    assert banner(client, "ru")[0]["label"] == "Срочно"


def test_several_stories_are_listed_newest_first(client, world):
    older, newer = world.articles()[1], world.articles()[2]
    breaking.mark_breaking(older)
    breaking.mark_breaking(newer)
    assert [item["title"] for item in banner(client)] == [newer.title, older.title]


def test_a_cleared_story_leaves_the_banner_and_clearing_again_is_harmless(client, article):
    breaking.mark_breaking(article)
    assert banner(client)
    assert breaking.clear_breaking(article) == 1
    assert banner(client) == []
    assert breaking.clear_breaking(article) == 0


def test_an_expired_marking_leaves_the_banner_when_its_time_comes(client, article, monkeypatch):
    mark = breaking.mark_breaking(article, expires_at=timezone.now() + timedelta(minutes=5))
    assert banner(client)
    BreakingNews.objects.filter(pk=mark.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    # The server's copy lasts until the first item's time; move the clock past it.
    later = breaking.time.time() + 301
    monkeypatch.setattr(breaking.time, "time", lambda: later)
    assert banner(client) == []


def test_a_story_taken_down_leaves_the_banner_at_once(client, article):
    breaking.mark_breaking(article)
    assert banner(client)
    services.unpublish(article)
    assert banner(client) == []


def test_marking_again_changes_the_label_and_time_without_a_second_marking(client, article):
    first = breaking.mark_breaking(article, label="Breaking")
    later = timezone.now() + timedelta(hours=5)
    second = breaking.mark_breaking(article, label="Update", expires_at=later)
    assert second.pk == first.pk
    assert BreakingNews.objects.count() == 1
    assert banner(client)[0]["label"] == "Update"


def test_each_marking_is_announced_once_when_it_commits(
    article, django_capture_on_commit_callbacks
):
    heard = []

    def listener(sender, story, **kwargs):
        heard.append(story.pk)

    story_marked_breaking.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            breaking.mark_breaking(article)
            assert heard == []  # not before the marking has committed
        with django_capture_on_commit_callbacks(execute=True):
            breaking.mark_breaking(article, label="Still")
        breaking.clear_breaking(article)
        with django_capture_on_commit_callbacks(execute=True):
            breaking.mark_breaking(article)
    finally:
        story_marked_breaking.disconnect(listener)
    assert heard == [article.pk, article.pk]


@pytest.mark.parametrize(
    ("label", "expires_in", "message"),
    [
        ("", timedelta(minutes=-1), "already passed"),
        ("", timedelta(days=8), "at most 7 days"),
        ("x" * 41, timedelta(hours=1), "at most 40 characters"),
        ("x" * 1_000_000, timedelta(hours=1), "at most 40 characters"),
    ],
)
def test_an_unusable_marking_is_refused_with_the_reason(article, label, expires_in, message):
    with pytest.raises(breaking.BreakingRefused, match=message):
        breaking.mark_breaking(article, label=label, expires_at=timezone.now() + expires_in)
    assert not BreakingNews.objects.exists()


def test_a_draft_cannot_be_marked(world):
    draft = story(world, "embargoed-draft", publish=False)
    with pytest.raises(breaking.BreakingRefused, match="published story"):
        breaking.mark_breaking(draft)


def test_control_characters_and_runs_of_space_leave_the_label(client, article):
    breaking.mark_breaking(article, label=" Live\x00\x1b  now\n")
    assert banner(client)[0]["label"] == "Live now"


def test_script_in_a_label_stays_text_in_the_json(client, article):
    breaking.mark_breaking(article, label="<script>x</script>")
    body = client.get("/en/breaking.json").content.decode()
    assert "<script>" not in body
    assert json.loads(body)["items"][0]["label"] == "<script>x</script>"


def test_the_api_lists_a_languages_breaking_stories(client, article):
    breaking.mark_breaking(article, label="Live")
    response = client.get("/api/v1/breaking?lang=en")
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=10, s-maxage=10"
    data = response.json()
    assert data["lang"] == "en"
    [item] = data["items"]
    assert item["article_id"] == article.pk
    assert item["url"].startswith("http") and item["url"].endswith(article.slug + "/")
    assert client.get("/api/v1/breaking?lang=ru").json()["items"] == []


@pytest.mark.parametrize(
    "query", ["lang=xx", "lang=" + "e" * 5000, "lang=%00"], ids=["unknown", "long", "nul"]
)
def test_the_api_refuses_an_unknown_language_with_a_400(client, query):
    response = client.get(f"/api/v1/breaking?{query}")
    assert response.status_code in {400, 414, 422}
    assert response["Content-Type"] == "application/problem+json"


def test_the_breaking_feed_lists_the_marked_stories(client, article):
    empty = client.get("/en/breaking.xml")
    assert empty.status_code == 200
    assert ElementTree.fromstring(empty.content).findall("./channel/item") == []
    breaking.mark_breaking(article)
    feed = ElementTree.fromstring(client.get("/en/breaking.xml").content)
    assert [item.findtext("title") for item in feed.findall("./channel/item")] == [article.title]


# The newsroom's screens


def mark_url(article: ArticlePage) -> str:
    return reverse("news_breaking_mark", args=[article.pk])


def until(delta: timedelta) -> str:
    """A time as an editor types it: in the site's time zone, which the admin uses."""
    zone = ZoneInfo(site_time_zone())
    return timezone.localtime(timezone.now() + delta, zone).strftime("%Y-%m-%d %H:%M")


def test_an_editor_marks_a_story_and_sees_it_listed(client, editor, article):
    client.force_login(editor)
    form = client.get(mark_url(article))
    assert form.status_code == 200
    assert "the site’s time zone" in form.content.decode()
    response = client.post(
        mark_url(article), {"label": "Live", "expires_at": until(timedelta(hours=3))}
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert BreakingNews.objects.get().marked_by == editor
    listing = client.get(reverse("news_breaking")).content.decode()
    assert article.title in listing and "data-breaking-shown" in listing
    cleared = client.post(reverse("news_breaking_clear", args=[article.pk]))
    assert cleared.status_code == 302
    assert BreakingNews.objects.get().cleared_by == editor


@pytest.mark.parametrize(
    ("label", "expires_at", "message"),
    [
        ("", "yesterday", "Enter a valid date/time"),
        ("", timedelta(hours=-1), "already passed"),
        ("x" * 100_000, timedelta(hours=1), "at most 40"),
    ],
    ids=["not-a-time", "past", "huge-label"],
)
def test_the_mark_form_says_what_is_wrong(client, editor, article, label, expires_at, message):
    client.force_login(editor)
    if isinstance(expires_at, timedelta):
        expires_at = until(expires_at)
    response = client.post(mark_url(article), {"label": label, "expires_at": expires_at})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not BreakingNews.objects.exists()


def test_marking_an_unpublished_story_is_refused_in_the_admin(client, editor, world):
    draft = story(world, "not-yet", publish=False)
    client.force_login(editor)
    assert "data-breaking-not-live" in client.get(mark_url(draft)).content.decode()
    response = client.post(mark_url(draft), {"expires_at": until(timedelta(hours=1))})
    assert response.status_code == 400
    assert "data-breaking-refused" in response.content.decode()


def test_a_contributor_can_neither_mark_nor_clear(client, contributor, article):
    client.force_login(contributor)

    def refused(response) -> bool:
        # The admin sends whoever may not do something back to its dashboard, with a note.
        return response.status_code == 302 and response.url == reverse("wagtailadmin_home")

    assert refused(client.get(mark_url(article)))
    assert refused(client.post(mark_url(article), {"expires_at": until(timedelta(hours=1))}))
    assert refused(client.get(reverse("news_breaking")))
    assert not BreakingNews.objects.exists()
    breaking.mark_breaking(article)
    assert refused(client.post(reverse("news_breaking_clear", args=[article.pk])))
    assert banner(client)


def test_clearing_is_post_only(client, editor, article):
    client.force_login(editor)
    assert client.get(reverse("news_breaking_clear", args=[article.pk])).status_code == 405


def test_the_story_editor_and_the_listing_offer_the_marking(client, editor, article, world):
    client.force_login(editor)
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content.decode()
    assert mark_url(article) in edit
    listing = client.get(reverse("wagtailadmin_explore", args=[world.pk])).content.decode()
    assert mark_url(article) in listing
    section_edit = client.get(reverse("wagtailadmin_pages:edit", args=[world.pk])).content.decode()
    assert reverse("news_breaking_mark", args=[world.pk]) not in section_edit


def test_the_demo_shows_a_breaking_story_in_every_language(settings):
    from dateline.demo.loader import mark_demo_breaking

    assert mark_demo_breaking() == len(settings.LANGUAGES)
    assert mark_demo_breaking() == 0  # shown already: not marked twice
