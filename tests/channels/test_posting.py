"""A story's first publish posts it once to each channel of its language, against local
fakes of Telegram's, X's and Facebook's APIs: what each receives, what a refusal, a rate
limit, a failing or hanging network does, and that nothing ever posts twice."""

from __future__ import annotations

import logging
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from dateline.channels import networks, services
from dateline.channels.models import ChannelPost
from dateline.channels.tasks import post_to_channel
from dateline.news import breaking
from dateline.news import services as news
from tests.factories import story
from tests.fake_service import Answer

from .conftest import FACEBOOK_TOKEN, TELEGRAM_TOKEN, X_TOKEN

pytestmark = [pytest.mark.django_db, pytest.mark.engine]


@pytest.fixture
def publish(django_capture_on_commit_callbacks, world):
    """Publish a new story in World (posted at once: the test queue runs tasks in place)."""

    def publish_story(slug: str = "ferry-resumes", **fields):
        with django_capture_on_commit_callbacks(execute=True):
            return story(world, slug, title="Ferry resumes", **fields)

    return publish_story


def test_a_first_publish_posts_once_to_each_channel_of_its_language(
    networks, make_channel, publish
):
    telegram, x, facebook = (make_channel(network) for network in ("telegram", "x", "facebook"))
    make_channel("telegram", "ru", token="another-token-for-the-russian-bot")
    published = publish(standfirst="The morning crossing leaves at six again.")

    (sent,) = networks["telegram"].calls
    assert sent.path == f"/bot{TELEGRAM_TOKEN}/sendMessage"  # the story has no picture
    assert sent.json()["chat_id"] == "@dateline_news"
    assert sent.json()["parse_mode"] == "HTML"
    assert "<b>Ferry resumes</b>" in sent.json()["text"]
    assert "utm_source=telegram" in sent.json()["text"]
    (tweet,) = networks["x"].calls
    assert tweet.path == "/2/tweets" and tweet.headers["Authorization"] == f"Bearer {X_TOKEN}"
    assert tweet.json()["text"].startswith("Ferry resumes\n\nThe morning crossing")
    assert published.slug in tweet.json()["text"]
    (page_post,) = networks["facebook"].calls
    assert page_post.path == "/v21.0/1122334455/feed"
    form = page_post.form()
    assert form["access_token"] == FACEBOOK_TOKEN and "utm_source=facebook" in form["link"]

    posts = {post.channel: post for post in ChannelPost.objects.filter(story=published)}
    assert set(posts) == {telegram, x, facebook}  # not the Russian channel
    assert all(post.state == ChannelPost.POSTED for post in posts.values())
    assert posts[x].remote_url == "https://x.com/i/status/1850000000000000001"
    assert posts[telegram].remote_url.startswith("https://t.me/dateline_news/")


def test_the_lead_picture_goes_to_telegram_as_a_photo(networks, make_channel, publish):
    from wagtail.images.tests.utils import get_test_image_file

    from dateline.core.models import NewsImage

    picture = NewsImage.objects.create(title="Ferry", file=get_test_image_file(size=(800, 450)))
    make_channel("telegram")
    publish(lead_image=picture)
    (sent,) = networks["telegram"].calls
    assert sent.path == f"/bot{TELEGRAM_TOKEN}/sendPhoto"
    assert sent.headers["Content-Type"].startswith("multipart/form-data")
    assert b"\xff\xd8\xff" in sent.body  # a JPEG
    assert b"<b>Ferry resumes</b>" in sent.body


def test_edits_and_republishing_never_post_again(
    networks, make_channel, publish, django_capture_on_commit_callbacks
):
    make_channel("telegram")
    published = publish()
    with django_capture_on_commit_callbacks(execute=True):
        published.title = "Ferry resumes at six"
        news.publish(published)
        news.unpublish(published)
        news.publish(published)
    assert len(networks["telegram"].calls) == 1


def test_a_story_published_before_its_channel_existed_is_not_posted_on_an_edit(
    networks, make_channel, publish, django_capture_on_commit_callbacks
):
    published = publish()
    make_channel("telegram")
    with django_capture_on_commit_callbacks(execute=True):
        news.publish(published)
    assert networks["telegram"].calls == []


def test_unticked_or_off_means_no_post(networks, make_channel, publish):
    make_channel("telegram", enabled=False)
    publish()
    make_channel("x")
    publish("not-for-channels", post_to_channels=False)
    assert networks["telegram"].calls == [] and networks["x"].calls == []


def test_a_breaking_story_gets_the_channels_prefix(networks, make_channel, world):
    published = story(world, "quake", title="Quake shakes the coast")
    channel = make_channel("x", breaking_prefix="BREAKING:")
    post = ChannelPost.objects.create(story=published, channel=channel)
    breaking.mark_breaking(published, expires_at=timezone.now() + timedelta(hours=1))
    services.post(post.pk)
    assert networks["x"].calls[0].json()["text"].startswith("BREAKING: Quake shakes the coast")


@pytest.fixture
def waiting_post(make_channel, world):
    """A post waiting to go, as a first publish leaves it before its task runs."""

    def make(network: str = "telegram"):
        published = story(world, f"story-for-{network}", title="Harbour reopens")
        return ChannelPost.objects.create(story=published, channel=make_channel(network))

    return make


def test_telegrams_retry_after_is_honoured(telegram, waiting_post):
    post = waiting_post("telegram")
    telegram.then(
        Answer(
            429,
            {
                "ok": False,
                "error_code": 429,
                "description": "Too Many Requests: retry after 17",
                "parameters": {"retry_after": 17},
            },
        )
    )
    with pytest.raises(networks.RateLimited) as raised:
        services.post(post.pk)
    assert raised.value.seconds == 17
    post.refresh_from_db()
    assert post.state == ChannelPost.WAITING and "Too Many Requests" in post.error
    services.post(post.pk)
    post.refresh_from_db()
    assert post.state == ChannelPost.POSTED and len(telegram.calls) == 2


def test_xs_rate_limit_reset_is_honoured(x_api, waiting_post):
    post = waiting_post("x")
    reset = int(time.time()) + 600
    x_api.then(Answer(429, {"title": "Too Many Requests"}, {"x-rate-limit-reset": str(reset)}))
    with pytest.raises(networks.RateLimited) as raised:
        services.post(post.pk)
    assert 590 <= raised.value.seconds <= 600


def test_a_facebook_throttle_is_a_wait_not_a_refusal(facebook, waiting_post):
    post = waiting_post("facebook")
    facebook.then(
        Answer(400, {"error": {"message": "Application request limit reached", "code": 4}})
    )
    with pytest.raises(networks.RateLimited):
        services.post(post.pk)


def test_a_failing_network_is_tried_again_then_given_up(x_api, waiting_post):
    post = waiting_post("x")
    for attempt in range(1, services.ATTEMPTS):
        x_api.then(Answer(503, {"title": "Service Unavailable"}))
        with pytest.raises(networks.Unavailable):
            services.post(post.pk)
        post.refresh_from_db()
        assert post.state == ChannelPost.WAITING and post.attempts == attempt
    x_api.then(Answer(500, {}))
    with pytest.raises(networks.Refused):
        services.post(post.pk)
    post.refresh_from_db()
    assert post.state == ChannelPost.FAILED and "answered 500" in post.error


def test_a_hanging_network_times_out_and_waits(settings, telegram, waiting_post):
    settings.DATELINE_CHANNEL_TIMEOUT = 0.5
    post = waiting_post("telegram")
    telegram.then(Answer(delay=2))
    with pytest.raises(networks.Unavailable, match="no answer within 0.5 s"):
        services.post(post.pk)
    post.refresh_from_db()
    assert post.state == ChannelPost.WAITING


def test_a_refusal_stops_with_the_networks_reason(x_api, waiting_post):
    post = waiting_post("x")
    x_api.then(Answer(403, {"title": "Forbidden", "detail": "You are not permitted to post."}))
    with pytest.raises(networks.Refused):
        services.post(post.pk)
    post.refresh_from_db()
    assert post.state == ChannelPost.FAILED
    assert post.error == "X: You are not permitted to post."
    assert services.post(post.pk).state != ChannelPost.POSTED  # not tried by itself
    assert len(x_api.calls) == 1


def test_the_task_gives_up_on_a_refusal_and_the_jobs_report_has_it(
    telegram, make_channel, waiting_post
):
    post = waiting_post("telegram")
    post.channel.account = "@not_ours"
    post.channel.save()
    telegram.then(
        Answer(
            403,
            {
                "ok": False,
                "error_code": 403,
                "description": "Forbidden: bot is not a member of the channel chat",
            },
        )
    )
    result = post_to_channel.enqueue(post.pk)
    assert result.status == "FAILED"
    assert "bot is not a member" in str(result.errors[0].traceback)


def test_a_second_run_of_the_same_task_does_nothing(telegram, waiting_post):
    post = waiting_post("telegram")
    services.post(post.pk)
    services.post(post.pk)
    post_to_channel.enqueue(post.pk)
    assert len(telegram.calls) == 1


def test_a_post_left_posting_by_a_dead_worker_is_never_posted_by_itself(telegram, waiting_post):
    post = waiting_post("telegram")
    ChannelPost.objects.filter(pk=post.pk).update(
        state=ChannelPost.POSTING, attempted_at=timezone.now() - timedelta(minutes=30)
    )
    services.post(post.pk)
    assert telegram.calls == []
    post.refresh_from_db()
    assert services.is_uncertain(post) and services.may_retry(post)
    assert services.prepare_retry(post)
    services.post(post.pk)
    assert len(telegram.calls) == 1


def test_a_story_taken_down_before_its_post_is_not_posted(telegram, waiting_post):
    post = waiting_post("telegram")
    news.unpublish(post.story)
    services.post(post.pk)
    post.refresh_from_db()
    assert post.state == ChannelPost.SKIPPED and telegram.calls == []


def test_the_token_is_never_in_an_error_or_a_log_line(settings, caplog, make_channel, world):
    settings.DATELINE_TELEGRAM_API_URL = "http://127.0.0.1:9"  # nothing listens there
    quiet = story(world, "quiet")
    channel = make_channel("telegram")
    post = ChannelPost.objects.create(story=quiet, channel=channel)
    with caplog.at_level(logging.DEBUG), pytest.raises(networks.Unavailable) as raised:
        services.post(post.pk)
    post.refresh_from_db()
    assert "could not reach the network" in post.error
    for text in (str(raised.value), post.error, caplog.text, repr(raised.value.__context__)):
        assert TELEGRAM_TOKEN not in text
    assert TELEGRAM_TOKEN not in channel.sealed_token


def test_a_token_sealed_under_a_lost_key_asks_to_be_entered_again(settings, telegram, waiting_post):
    post = waiting_post("telegram")
    settings.SECRET_KEY = "a-new-secret-key-after-a-restore-" + "x" * 20
    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(networks.Refused, match="enter it again"):
        services.post(post.pk)
    assert telegram.calls == []


def test_a_rotated_secret_key_still_opens_the_token(settings, telegram, waiting_post):
    post = waiting_post("telegram")
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-rotated-secret-key-" + "y" * 30
    assert services.post(post.pk).state == ChannelPost.POSTED
