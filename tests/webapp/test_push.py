"""Web push end to end against a local fake push service: a browser's subscription kept
(and hostile ones refused), a breaking story pushed once to its language's subscribers,
encrypted so that only the subscriber's own key opens it, and what the push service's
answers do: 404/410 remove the subscription, 429/5xx wait for a second pass, and a
batch left by a dead worker carries on where it stopped."""

from __future__ import annotations

import base64
import json
import os
from datetime import timedelta

import http_ece
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.utils import timezone

from dateline.news import breaking
from dateline.webapp import push, services
from dateline.webapp.models import PushAlert, PushBatch, PushSubscription
from tests.fake_service import Answer, FakeService

pytestmark = [pytest.mark.django_db, pytest.mark.engine]


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Browser:
    """A reader's browser: its own key pair and secret, as a push subscription has."""

    def __init__(self, endpoint: str) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)
        self.endpoint = endpoint

    def subscription(self) -> dict:
        public = self.key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {"endpoint": self.endpoint, "keys": {"p256dh": b64(public), "auth": b64(self.auth)}}

    def read(self, body: bytes) -> dict:
        return json.loads(http_ece.decrypt(body, private_key=self.key, auth_secret=self.auth))


@pytest.fixture
def push_service(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.DATELINE_PUSH_TIMEOUT = 2
    service = FakeService(lambda call: Answer(201, b""))
    yield service
    service.close()


@pytest.fixture
def readers(push_service):
    """`readers(n, language)`: n browsers subscribed in that language."""
    made = []

    def subscribe(count: int, language: str = "en") -> list[Browser]:
        browsers = []
        for _ in range(count):
            browser = Browser(f"{push_service.url}/push/{len(made)}")
            services.subscribe(browser.subscription(), language)
            made.append(browser)
            browsers.append(browser)
        return browsers

    return subscribe


def mark(story) -> None:
    breaking.mark_breaking(story, expires_at=timezone.now() + timedelta(hours=1))


def pushed_to(push_service) -> list[str]:
    return sorted(call.path for call in push_service.calls)


def test_a_breaking_story_reaches_its_languages_subscribers_once_encrypted(
    push_service, readers, article, django_capture_on_commit_callbacks
):
    english = readers(3, "en")
    readers(2, "ru")
    with django_capture_on_commit_callbacks(execute=True):
        mark(article)
    assert pushed_to(push_service) == sorted(f"/push/{n}" for n in range(3))
    call = push_service.calls[0]
    assert call.headers["TTL"] == "14400" and call.headers["Urgency"] == "high"
    assert call.headers["Topic"] == f"story-{article.pk}"
    assert call.headers["Content-Encoding"] == "aes128gcm"
    assert f"k={push.application_server_key()}" in call.headers["Authorization"]
    browser = next(b for b in english if b.endpoint.endswith(call.path))
    alert = browser.read(call.body)
    assert alert["title"] == article.title and alert["url"] == article.get_url()
    assert alert["tag"] == f"story-{article.pk}"
    sent = PushAlert.objects.get(story=article)
    assert sent.state == PushAlert.SENT and sent.sent == 3
    # Marked again later: no second alert.
    breaking.clear_breaking(article)
    with django_capture_on_commit_callbacks(execute=True):
        mark(article)
    assert len(push_service.calls) == 3


def test_a_gone_subscription_is_removed_and_a_busy_service_gets_a_second_pass(
    push_service, readers, article
):
    readers(5)
    push_service.then(
        Answer(201, b""), Answer(410, b""), Answer(429, b""), Answer(201, b""), Answer(503, b"")
    )
    alert = services.make_alert(article)
    (batch,) = services.start_alert(alert)
    report = services.send_batch(batch.pk)
    assert (report.sent, report.removed, report.to_retry) == (2, 1, 2)
    assert PushSubscription.objects.count() == 4
    batch.refresh_from_db()
    assert batch.state == PushBatch.WAITING and batch.only_failing
    services.send_batch(batch.pk)
    assert [call.path for call in push_service.calls[-2:]] == ["/push/2", "/push/4"]
    alert.refresh_from_db()
    assert (alert.state, alert.sent, alert.removed) == (PushAlert.SENT, 4, 1)


def test_a_batch_left_by_a_dead_worker_carries_on_where_it_stopped(push_service, readers, article):
    readers(6)
    alert = services.make_alert(article)
    (batch,) = services.start_alert(alert)
    ids = list(PushSubscription.objects.order_by("id").values_list("id", flat=True))
    PushBatch.objects.filter(pk=batch.pk).update(
        state=PushBatch.SENDING,
        done_up_to=ids[3],
        leased_until=timezone.now() - timedelta(minutes=1),
    )
    assert services.abandoned_batches() == [batch.pk]
    services.send_batch(batch.pk)
    assert pushed_to(push_service) == ["/push/4", "/push/5"]
    # A batch still under its lease is not taken by a second worker.
    PushBatch.objects.filter(pk=batch.pk).update(
        state=PushBatch.SENDING, leased_until=timezone.now() + timedelta(minutes=5)
    )
    assert not services.send_batch(batch.pk).taken


def test_a_large_alert_is_split_into_batches(push_service, readers, article, settings):
    readers(7)
    services_batch = services.BATCH
    services.BATCH = 3
    try:
        batches = services.start_alert(services.make_alert(article))
    finally:
        services.BATCH = services_batch
    assert len(batches) == 3
    for batch in batches:
        services.send_batch(batch.pk)
    assert len(push_service.calls) == 7 and len(set(pushed_to(push_service))) == 7
    assert PushAlert.objects.get(story=article).state == PushAlert.SENT


def test_a_story_taken_down_is_not_pushed(push_service, readers, article):
    from dateline.news import services as news

    readers(2)
    alert = services.make_alert(article)
    (batch,) = services.start_alert(alert)
    news.unpublish(article)
    services.send_batch(batch.pk)
    assert push_service.calls == []


def test_no_subscribers_no_alert(push_service, article):
    assert services.make_alert(article) is None


def test_a_reader_who_subscribes_after_the_marking_is_not_sent_it(push_service, readers, article):
    readers(1)
    marked_at = timezone.now()
    readers(1)
    alert = services.make_alert(article, subscribed_by=marked_at)
    for batch in services.start_alert(alert):
        services.send_batch(batch.pk)
    assert pushed_to(push_service) == ["/push/0"]


def test_the_lead_story_setting_pushes_a_new_lead(
    push_service, readers, article, home, settings, django_capture_on_commit_callbacks
):
    from dateline.news import services as news

    readers(1)
    settings.DATELINE_PUSH_LEAD_STORIES = True
    home.lead_article = article
    with django_capture_on_commit_callbacks(execute=True):
        news.publish(home)
    assert len(push_service.calls) == 1


# The browser's calls


def post(client, path: str, data: object, **headers):
    body = data if isinstance(data, bytes | str) else json.dumps(data)
    return client.post(path, body, content_type="application/json", **headers)


def test_a_browser_subscribes_and_leaves(client, push_service):
    browser = Browser(f"{push_service.url}/push/x")
    response = post(client, "/ru/push/subscribe/", browser.subscription())
    assert response.status_code == 201 and response.json()["language"] == "ru"
    # The same browser again, from an English page: one subscription, now in English.
    post(client, "/en/push/subscribe/", browser.subscription())
    assert list(PushSubscription.objects.values_list("language", flat=True)) == ["en"]
    response = post(client, "/en/push/unsubscribe/", {"endpoint": browser.endpoint})
    assert response.json() == {"subscribed": False, "removed": True}
    assert not PushSubscription.objects.exists()


def test_the_key_browsers_subscribe_with(client, push_service):
    key = client.get("/en/push/key/").json()["key"]
    assert key == push.application_server_key()
    assert len(base64.urlsafe_b64decode(key + "=")) == 65
    assert (push_service and (push._key_file().stat().st_mode & 0o777)) == 0o600


def test_a_key_from_the_environment_is_used(settings, push_service):
    pair = ec.generate_private_key(ec.SECP256R1())
    pem = pair.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    settings.DATELINE_VAPID_PRIVATE_KEY = pem
    public = pair.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    assert push.application_server_key() == b64(public)
    assert push.ensure_keys() is None and not push._key_file().exists()


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ("not json", 400, "Send JSON"),
        (b"{" + b" " * 5000 + b"}", 413, "too large"),
        ({"endpoint": "http://169.254.169.254/latest/", "keys": {}}, 400, "https"),
        ("[]", 400, "as JSON"),
    ],
)
def test_bad_subscriptions_are_refused_with_a_message(client, push_service, body, status, message):
    response = post(client, "/en/push/subscribe/", body)
    assert response.status_code == status
    assert message in response.json()["error"]
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize(
    ("endpoint", "message"),
    [
        ("http://169.254.169.254/latest/meta-data/", "https"),
        ("https://intranet.example.org/push/1", "not a known push service"),
        ("https://fcm.googleapis.com.evil.example/push", "not a known push service"),
        ("x" * 2000, "too long"),
    ],
)
def test_only_real_push_services_are_kept(client, push_service, endpoint, message):
    browser = Browser(endpoint)
    response = post(client, "/en/push/subscribe/", browser.subscription())
    assert response.status_code == 400 and message in response.json()["error"]


def test_keys_of_the_wrong_shape_are_refused(client, push_service):
    subscription = Browser(f"{push_service.url}/push/1").subscription()
    subscription["keys"]["auth"] = b64(b"short")
    response = post(client, "/en/push/subscribe/", subscription)
    assert response.status_code == 400 and "wrong length" in response.json()["error"]


def test_another_site_cannot_subscribe_a_reader(client, push_service):
    browser = Browser(f"{push_service.url}/push/1")
    response = post(
        client, "/en/push/subscribe/", browser.subscription(), HTTP_ORIGIN="https://evil.example"
    )
    assert response.status_code == 403
    assert client.get("/en/push/subscribe/").status_code == 405


def test_an_opened_alert_is_counted_and_nothing_else(client, push_service, readers, article):
    readers(1)
    alert = services.make_alert(article)
    assert client.post(f"/push/opened/{alert.pk}/").status_code == 204
    alert.refresh_from_db()
    assert alert.opened == 1


def test_editors_see_each_alerts_numbers_and_cannot_make_one(
    client, editor, push_service, readers, article
):
    from django.urls import reverse

    readers(2)
    alert = services.make_alert(article)
    for batch in services.start_alert(alert):
        services.send_batch(batch.pk)
    client.force_login(editor)
    page = client.get(reverse("push_alerts:index")).content.decode()
    assert article.title in page and "data-push-subscriptions" in page
    assert "<strong>en</strong> 2" in page
    assert client.get(reverse("push_alerts:add")).status_code in (302, 403)
    assert client.post(reverse("push_alerts:delete", args=[alert.pk])).status_code in (302, 403)
    assert PushAlert.objects.filter(pk=alert.pk).exists()
