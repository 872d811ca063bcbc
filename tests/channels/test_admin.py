"""Channels in the admin: adding one (the token typed once, sealed, never shown back),
bad input refused with a message, the test post, and on a story the posts' state with a
Retry for a failed one."""

from __future__ import annotations

import pytest
from django.urls import reverse
from wagtail.models import Locale

from dateline.channels.models import Channel, ChannelPost
from tests.factories import story
from tests.fake_service import Answer

from .conftest import TELEGRAM_TOKEN

pytestmark = pytest.mark.django_db


def form_data(**overrides) -> dict:
    return {
        "name": "Telegram in English",
        "network": "telegram",
        "locale": Locale.objects.get(language_code="en").pk,
        "enabled": "on",
        "account": "@dateline_news",
        "breaking_prefix": "🔴",
        "token": TELEGRAM_TOKEN,
        **overrides,
    }


def test_the_empty_list_says_what_a_channel_is_and_how_to_add_one(client, editor):
    client.force_login(editor)
    page = client.get(reverse("channels:index")).content.decode()
    assert "data-channels-help" in page and "Send a test post" in page


def test_an_editor_adds_a_channel_and_its_token_is_never_shown_back(client, editor):
    client.force_login(editor)
    response = client.post(reverse("channels:add"), form_data())
    assert response.status_code == 302, response.content.decode()[-2000:]
    channel = Channel.objects.get()
    assert TELEGRAM_TOKEN not in channel.sealed_token and channel.token_hint == "…cdef"
    edit = client.get(reverse("channels:edit", args=[channel.pk])).content.decode()
    assert TELEGRAM_TOKEN not in edit and "…cdef" in edit
    # Saving without typing the token keeps it.
    client.post(reverse("channels:edit", args=[channel.pk]), form_data(token="", name="TG"))
    channel.refresh_from_db()
    assert channel.name == "TG" and channel.token_hint == "…cdef"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"token": ""}, "token", "needs an access token"),
        ({"token": "x" * 5000}, "token", "at most 1000"),
        ({"token": "two words"}, "token", "no spaces"),
        ({"network": "facebook", "account": "our-page"}, "account", "is a number"),
        ({"account": ""}, "account", "needs the channel"),
        ({"network": "myspace"}, "network", "valid choice"),
    ],
)
def test_bad_input_is_refused_with_a_message(client, editor, overrides, field, message):
    client.force_login(editor)
    response = client.post(reverse("channels:add"), form_data(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Channel.objects.exists()


def test_readers_and_contributors_cannot_reach_channels(client, contributor):
    client.force_login(contributor)
    assert client.get(reverse("channels:index")).status_code in (302, 403)
    assert client.post(reverse("channels_test_post", args=[1])).status_code in (302, 403, 404)


def test_the_test_post_button_posts_and_shows_the_result(
    client, editor, telegram, make_channel, django_capture_on_commit_callbacks
):
    channel = make_channel("telegram")
    client.force_login(editor)
    client.post(reverse("channels_test_post", args=[channel.pk]))
    (sent,) = telegram.calls
    assert "Test post from" in sent.json()["text"]
    page = client.get(reverse("channels:edit", args=[channel.pk])).content.decode()
    assert 'data-test-result="ok"' in page
    telegram.then(Answer(400, {"ok": False, "description": "Bad Request: chat not found"}))
    client.post(reverse("channels_test_post", args=[channel.pk]))
    page = client.get(reverse("channels:edit", args=[channel.pk])).content.decode()
    assert 'data-test-result="failed"' in page and "chat not found" in page


def test_a_failed_post_shows_on_the_story_and_an_editor_retries_it(
    client, editor, telegram, make_channel, world, django_capture_on_commit_callbacks
):
    telegram.then(Answer(401, {"ok": False, "error_code": 401, "description": "Unauthorized"}))
    make_channel("telegram")
    with django_capture_on_commit_callbacks(execute=True):
        published = story(world, "harbour-reopens", title="Harbour reopens")
    post = ChannelPost.objects.get(story=published)
    assert post.state == ChannelPost.FAILED
    client.force_login(editor)
    editor_page = client.get(reverse("wagtailadmin_pages:edit", args=[published.pk]))
    html = editor_page.content.decode()
    assert "Telegram: Unauthorized" in html and 'data-state="failed"' in html
    assert reverse("channels_retry", args=[post.pk]) in html

    confirm = client.get(reverse("channels_retry", args=[post.pk]))
    assert confirm.status_code == 200 and "Harbour reopens" in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("channels_retry", args=[post.pk]))
    post.refresh_from_db()
    assert post.state == ChannelPost.POSTED and len(telegram.calls) == 2
    # A posted story is not posted again by a second press.
    client.post(reverse("channels_retry", args=[post.pk]))
    assert len(telegram.calls) == 2


def test_the_story_editor_has_the_post_to_channels_box(client, editor, world):
    published = story(world, "with-box")
    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[published.pk])).content.decode()
    assert 'name="post_to_channels"' in html and "Nothing posted to channels yet." in html
