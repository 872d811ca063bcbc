"""The daily digest is made at its time in the site's time zone from the editor's lead,
each section's new stories and the most read; it goes out once a day; a provider's word
on bounces and complaints takes addresses off the lists."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from anymail.signals import AnymailTrackingEvent, tracking
from django.utils import timezone

from dateline.core.models import SiteSettings
from dateline.newsletters import digests
from dateline.newsletters.models import Edition, Subscription
from dateline.newsletters.tasks import send_due_newsletters

pytestmark = pytest.mark.django_db


def test_a_digest_leads_with_the_lead_then_sections_then_most_read(newsletters, home):
    digest = digests.build_digest(newsletters[("en", "digest")])
    parts = [item["part"] for item in digest.stories]
    assert parts[0] == "lead"
    assert "section" in parts
    ids = [item["id"] for item in digest.stories]
    assert len(ids) == len(set(ids)), "a story appears once"
    assert digest.subject.startswith(newsletters[("en", "digest")].name)
    # Asked again the same day, the same edition.
    assert digests.build_digest(newsletters[("en", "digest")]).pk == digest.pk


def test_a_digest_is_due_at_its_time_in_the_newsroom_time_zone(newsletters, subscribers):
    digest_list = newsletters[("hy", "digest")]
    assert digest_list not in digests.due_digests(), "no one to send it to"
    subscribers(1, code="hy")
    digest_list.send_at = time(7, 0)
    digest_list.save()
    zone = ZoneInfo(SiteSettings.load().time_zone)
    before = datetime(2026, 12, 4, 6, 59, tzinfo=zone)
    after = datetime(2026, 12, 4, 7, 0, tzinfo=zone)
    assert digest_list not in digests.due_digests(before)
    assert digest_list in digests.due_digests(after)
    Edition.objects.create(
        newsletter=digest_list, day=after.date(), subject="sent", state=Edition.SENT
    )
    assert digest_list not in digests.due_digests(after + timedelta(hours=3))


def test_the_worker_sends_each_due_digest_once(
    mail_server, subscribers, newsletters, django_capture_on_commit_callbacks
):
    readers = subscribers(4)
    for newsletter in newsletters.values():
        newsletter.send_at = time(0, 0) if newsletter.kind == "digest" else None
        newsletter.save()
    with django_capture_on_commit_callbacks(execute=True):
        send_due_newsletters.call()
        send_due_newsletters.call()
    assert sorted(mail_server.recipients()) == sorted(reader.email for reader in readers)
    today = digests.newsroom_now().date()
    # Only the English list has readers: no digest is made for lists without any.
    assert Edition.objects.filter(day=today, state=Edition.SENT).count() == 1


def test_nothing_new_makes_no_digest(newsletters, monkeypatch):
    monkeypatch.setattr(digests, "LONGEST_GAP", timedelta(seconds=0))
    monkeypatch.setattr(digests, "most_read", lambda locale, limit: [])
    assert digests.build_digest(newsletters[("az", "digest")]) is None


@pytest.mark.parametrize(
    ("event_type", "stays"),
    [("bounced", False), ("complained", False), ("deferred", True), ("delivered", True)],
)
def test_bounces_and_complaints_from_the_provider_take_the_address_off(
    subscribers, event_type, stays
):
    (reader,) = subscribers(1)
    event = AnymailTrackingEvent(
        event_type=event_type,
        recipient=reader.email,
        message_id="<x@example.org>",
        timestamp=timezone.now(),
    )
    tracking.send(sender=object, event=event, esp_name="Postmark")
    assert Subscription.objects.filter(subscriber=reader).exists() == stays


def test_soft_bounces_take_the_address_off_after_the_limit(subscribers, settings):
    settings.DATELINE_NEWSLETTER_SOFT_BOUNCES = 3
    (reader,) = subscribers(1)
    event = AnymailTrackingEvent(event_type="deferred", recipient=reader.email.upper())
    for _ in range(2):
        tracking.send(sender=object, event=event, esp_name="Postmark")
    assert Subscription.objects.filter(subscriber=reader).exists()
    tracking.send(sender=object, event=event, esp_name="Postmark")
    assert not Subscription.objects.filter(subscriber=reader).exists()


@pytest.mark.urls("tests.newsletters.webhook_urls")
def test_a_providers_bounce_webhook_takes_the_address_off(client, subscribers, settings):
    """Postmark's own bounce webhook, read by django-anymail, with its basic auth."""
    import base64
    import json

    settings.ANYMAIL = {"WEBHOOK_SECRET": "hook:s3cret"}
    hard, soft = subscribers(2)
    body = {
        "RecordType": "Bounce",
        "Type": "HardBounce",
        "TypeCode": 1,
        "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
        "Email": hard.email,
        "BouncedAt": "2026-12-04T09:00:00Z",
        "Description": "The server was unable to deliver your message",
        "Details": "smtp;550 5.1.1 The email account does not exist.",
    }
    url = "/newsletters/webhooks/postmark/tracking/"
    refused = client.post(url, json.dumps(body), content_type="application/json")
    assert refused.status_code in (400, 401, 403)
    assert Subscription.objects.filter(subscriber=hard).exists()
    auth = "Basic " + base64.b64encode(b"hook:s3cret").decode()
    answered = client.post(
        url, json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=auth
    )
    assert answered.status_code == 200
    assert not Subscription.objects.filter(subscriber=hard).exists()
    assert Subscription.objects.filter(subscriber=soft).exists()
