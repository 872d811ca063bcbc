"""Every write about web push: a browser subscribing or leaving, an alert made once per
story, and the batches that send it.

An alert is fanned out in batches of subscription ids, each a task of its own, so that
several workers share it. A batch sends to its subscriptions in id order and notes how
far it got every NOTE_EVERY pushes, under a lease; a batch whose worker died is taken up
again once the lease runs out and carries on after the last note. The few pushes between
that note and the crash are sent twice: a browser shows two pushes with the same tag as
one, and a push service keeps only the newest undelivered push of a topic."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dateline.core.addresses import absolute
from dateline.core.images import SOCIAL_SPEC, rendition
from dateline.news.models import ArticlePage, published_articles

from . import push
from .models import PushAlert, PushBatch, PushSubscription

BATCH = 500
NOTE_EVERY = 50
LEASE = timedelta(minutes=5)
# Passes over a batch: the first to all, then to those that met a 429 or 5xx.
PASSES = 4
STANDFIRST_LENGTH = 300
# Pushes of one subscription that may meet a 429 or 5xx in a row before it is dropped.
MAX_FAILURES = 5


# Subscribing


def _decoded(value: object, length: int, name: str) -> str:
    if not isinstance(value, str) or len(value) > 200:
        raise ValidationError(_("The browser's %(name)s key is missing.") % {"name": name})
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        raise ValidationError(
            _("The browser's %(name)s key is not base64url.") % {"name": name}
        ) from None
    if len(raw) != length:
        raise ValidationError(
            _("The browser's %(name)s key has the wrong length.") % {"name": name}
        )
    return value


def _allowed_endpoint(endpoint: object) -> str:
    """Only the push services browsers use: the server posts to whatever address is
    stored, so a made-up one must not point it at another machine."""
    if not isinstance(endpoint, str) or len(endpoint) > 1000:
        raise ValidationError(_("The push address is missing or too long."))
    parts = urlsplit(endpoint)
    host = (parts.hostname or "").lower()
    allowed = settings.DATELINE_PUSH_SERVICES
    trusted = any(host == known or host.endswith("." + known) for known in allowed)
    if parts.scheme != "https" and not (parts.scheme == "http" and host in allowed):
        raise ValidationError(_("The push address must be an https address."))
    if not trusted:
        raise ValidationError(_("The push address is not a known push service."))
    return endpoint


def subscribe(data: object, language: str) -> PushSubscription:
    """Keep the browser's subscription (a PushSubscription's JSON) for `language`; the
    same browser subscribing again only changes its language and keys."""
    if not isinstance(data, dict) or not isinstance(data.get("keys"), dict):
        raise ValidationError(_("Send the browser's push subscription as JSON."))
    endpoint = _allowed_endpoint(data.get("endpoint"))
    p256dh = _decoded(data["keys"].get("p256dh"), 65, "p256dh")
    auth = _decoded(data["keys"].get("auth"), 16, "auth")
    fields = {"p256dh": p256dh, "auth": auth, "language": language, "failures": 0}
    try:
        with transaction.atomic():
            subscription, _created = PushSubscription.objects.update_or_create(
                endpoint=endpoint, defaults=fields
            )
    except IntegrityError:  # the same browser twice at once
        subscription = PushSubscription.objects.get(endpoint=endpoint)
    return subscription


def unsubscribe(endpoint: object) -> bool:
    if not isinstance(endpoint, str):
        return False
    deleted, _counts = PushSubscription.objects.filter(endpoint=endpoint[:1000]).delete()
    return bool(deleted)


# Alerts


def _payload(story: ArticlePage, alert: PushAlert) -> bytes:
    picture = rendition(story.lead_image, SOCIAL_SPEC)
    standfirst = story.standfirst
    if len(standfirst) > STANDFIRST_LENGTH:
        standfirst = standfirst[: STANDFIRST_LENGTH - 1].rsplit(" ", 1)[0] + "…"
    url = story.get_url() or ""
    data = {
        "title": story.title,
        "body": standfirst,
        "url": url,
        "image": absolute(picture.url) if picture and picture.url.startswith("/") else "",
        "tag": f"story-{story.pk}",
        "alert": alert.pk,
    }
    return json.dumps(data, ensure_ascii=False).encode()


def make_alert(story: ArticlePage, subscribed_by: datetime | None = None) -> PushAlert | None:
    """The story's alert to its language's subscribers (those subscribed by
    `subscribed_by`, when the story was marked: a reader who subscribes later is not sent
    older news), made once; None when it was made already, or nobody is to get it."""
    language = story.locale.language_code
    subscribers = PushSubscription.objects.filter(language=language)
    if subscribed_by is not None:
        subscribers = subscribers.filter(created_at__lte=subscribed_by)
    last_id = subscribers.aggregate(last=Max("id"))["last"]
    if last_id is None:
        return None
    try:
        with transaction.atomic():
            alert = PushAlert.objects.create(
                story=story,
                language=language,
                title=story.title[:300],
                last_subscription_id=last_id,
            )
    except IntegrityError:
        return None
    return alert


def start_alert(alert: PushAlert) -> list[PushBatch]:
    """Split the alert into batches of BATCH subscriptions of its language."""
    ids = (
        PushSubscription.objects.filter(language=alert.language, id__lte=alert.last_subscription_id)
        .order_by("id")
        .values_list("id", flat=True)
    )
    batches, after, count = [], 0, 0
    for subscription_id in ids.iterator(chunk_size=5000):
        count += 1
        if count == BATCH:
            batches.append(PushBatch(alert=alert, after_id=after, up_to_id=subscription_id))
            after, count = subscription_id, 0
    if count:
        batches.append(PushBatch(alert=alert, after_id=after, up_to_id=alert.last_subscription_id))
    for batch in batches:
        batch.done_up_to = batch.after_id
    made = PushBatch.objects.bulk_create(batches)
    if not made:
        _finish_if_done(alert.pk)
    return list(PushBatch.objects.filter(alert=alert).order_by("after_id"))


@dataclass
class BatchReport:
    sent: int = 0
    removed: int = 0
    failed: int = 0
    to_retry: int = 0
    taken: bool = True


def _claim(batch_id: int) -> PushBatch | None:
    now = timezone.now()
    lease = now + LEASE
    waiting = Q(state=PushBatch.WAITING)
    abandoned = Q(state=PushBatch.SENDING, leased_until__lt=now)
    claimed = PushBatch.objects.filter(waiting | abandoned, pk=batch_id).update(
        state=PushBatch.SENDING, leased_until=lease
    )
    if not claimed:
        return None
    return PushBatch.objects.select_related("alert").get(pk=batch_id)


def send_batch(batch_id: int, session: requests.Session | None = None) -> BatchReport:
    """Push the batch's alert to its subscriptions not reached yet. When some met a 429 or
    5xx, the batch waits for a second pass to those only (`to_retry` says how many)."""
    batch = _claim(batch_id)
    if batch is None:
        return BatchReport(taken=False)
    report = BatchReport()
    alert = batch.alert
    story = published_articles().filter(pk=alert.story_id).first()
    if story is None:  # taken down meanwhile: not another push of it
        _close(batch)
        return report
    payload = _payload(story, alert)
    signatures = push.new_signatures()
    session = session or requests.Session()
    subscriptions = PushSubscription.objects.filter(
        language=alert.language, id__gt=batch.done_up_to, id__lte=batch.up_to_id
    ).order_by("id")
    if batch.only_failing:
        subscriptions = subscriptions.filter(failures__gt=0)
    since_note = 0
    noted = BatchReport()
    for subscription in subscriptions.iterator(chunk_size=BATCH):
        outcome = push.send(
            session,
            signatures,
            subscription.as_subscription_info(),
            payload,
            ttl=settings.DATELINE_PUSH_TTL,
            urgency="high",
            topic=f"story-{story.pk}",
        )
        _record(subscription, outcome, report)
        since_note += 1
        if since_note == NOTE_EVERY:
            _note_progress(batch, subscription.pk, report, noted)
            since_note = 0
    _note_progress(batch, batch.up_to_id, report, noted)
    if report.to_retry and batch.passes + 1 < PASSES:
        PushBatch.objects.filter(pk=batch.pk).update(
            state=PushBatch.WAITING,
            only_failing=True,
            done_up_to=batch.after_id,
            passes=F("passes") + 1,
            leased_until=None,
        )
    else:
        _close(batch)
    return report


def _record(subscription: PushSubscription, outcome: str, report: BatchReport) -> None:
    if outcome == push.SENT:
        report.sent += 1
        if subscription.failures:
            PushSubscription.objects.filter(pk=subscription.pk).update(failures=0)
    elif outcome == push.GONE:
        report.removed += 1
        subscription.delete()
    elif outcome == push.RETRY:
        failures = subscription.failures + 1
        if failures >= MAX_FAILURES:
            report.removed += 1
            subscription.delete()
        else:
            PushSubscription.objects.filter(pk=subscription.pk).update(failures=failures)
            report.to_retry += 1
    else:
        report.failed += 1


def _note_progress(
    batch: PushBatch, done_up_to: int, report: BatchReport, noted: BatchReport
) -> None:
    """Keep how far the batch got, and add what happened since the last note (`noted`
    holds what was added before) to the alert's numbers."""
    with transaction.atomic():
        PushBatch.objects.filter(pk=batch.pk).update(
            done_up_to=done_up_to, leased_until=timezone.now() + LEASE
        )
        PushAlert.objects.filter(pk=batch.alert_id).update(
            sent=F("sent") + report.sent - noted.sent,
            removed=F("removed") + report.removed - noted.removed,
            failed=F("failed") + report.failed - noted.failed,
        )
    noted.sent, noted.removed, noted.failed = report.sent, report.removed, report.failed


def _close(batch: PushBatch) -> None:
    PushBatch.objects.filter(pk=batch.pk).update(state=PushBatch.DONE, leased_until=None)
    _finish_if_done(batch.alert_id)


def _finish_if_done(alert_id: int) -> None:
    if not PushBatch.objects.filter(alert_id=alert_id).exclude(state=PushBatch.DONE).exists():
        PushAlert.objects.filter(pk=alert_id, state=PushAlert.SENDING).update(
            state=PushAlert.SENT, finished_at=timezone.now()
        )


def abandoned_batches() -> list[int]:
    """Batches whose worker stopped halfway (their lease ran out)."""
    return list(
        PushBatch.objects.filter(
            state=PushBatch.SENDING, leased_until__lt=timezone.now()
        ).values_list("pk", flat=True)
    )


def note_opened(alert_id: int) -> bool:
    return bool(PushAlert.objects.filter(pk=alert_id).update(opened=F("opened") + 1))
