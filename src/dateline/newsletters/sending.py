"""Sending an edition to its list: one worker at a time per edition (a lease), in
batches over one mail-server connection, at most DATELINE_NEWSLETTER_RATE messages a
second, each recipient's delivery written before its message goes out and again once
the server took it. Run again after a crash or restart, it carries on with the
recipients not yet done; a message caught mid-send is sent again with the same
Message-ID, which receiving servers take as one message."""

from __future__ import annotations

import contextlib
import logging
import smtplib
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from dateline.core.leases import acquire_lease, release_lease

from . import emails
from .models import Delivery, Edition, Subscriber

logger = logging.getLogger("dateline.newsletters")

BATCH = 200
LEASE = timedelta(minutes=2)


class MailServerUnavailable(Exception):
    """The mail server could not be reached or dropped the connection twice in a row: the
    send stops here and resumes later, from where it stopped."""


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    finished: bool = False
    busy: bool = False


def recipients(edition: Edition, after: int = 0):
    """Confirmed subscribers on the edition's list that it has not reached yet (nothing
    recorded, or caught mid-send), in address order from `after`, so that batches go on
    from the last one instead of reading the done ones again."""
    done = Delivery.objects.filter(edition=edition, subscriber=OuterRef("pk")).exclude(
        state=Delivery.SENDING
    )
    return (
        Subscriber.objects.filter(
            subscription__newsletter=edition.newsletter_id,
            confirmed_at__isnull=False,
            pk__gt=after,
        )
        .exclude(Exists(done))
        .select_related("locale")
        .order_by("pk")
    )


def is_abandoned(edition: Edition) -> bool:
    """Whether an edition being sent has had no worker on it for a while: one died, or the
    mail server was away and the retry is still waiting, or the queue lost the task."""
    from dateline.core.models import WorkerLease

    quiet_since = timezone.now() - LEASE
    lease = WorkerLease.objects.filter(name=f"newsletter-edition-{edition.pk}").first()
    if lease is None:
        return edition.send_requested_at is None or edition.send_requested_at <= quiet_since
    return lease.expires_at <= quiet_since


def send_edition(edition_id: int, holder: str, limit: int | None = None) -> SendReport:
    """Send the edition to everyone on its list it has not reached (at most `limit`)."""
    report = SendReport()
    lease = f"newsletter-edition-{edition_id}"
    if not acquire_lease(lease, holder, LEASE):
        report.busy = True
        return report
    try:
        edition = Edition.objects.select_related("newsletter__locale", "story").get(pk=edition_id)
        if edition.state == Edition.SENT:
            report.finished = True
            return report
        if edition.state == Edition.DRAFT:
            Edition.objects.filter(pk=edition.pk).update(
                state=Edition.SENDING, send_requested_at=timezone.now()
            )
        rendered = emails.render_edition(edition)
        pace = _Pace(settings.DATELINE_NEWSLETTER_RATE)
        after = 0
        while limit is None or report.sent + report.failed < limit:
            size = BATCH if limit is None else min(BATCH, limit - report.sent - report.failed)
            batch = list(recipients(edition, after)[:size])
            if not batch:
                break
            _send_batch(edition, rendered, batch, report, pace)
            after = batch[-1].pk
            acquire_lease(lease, holder, LEASE)
        else:
            return report
        Edition.objects.filter(pk=edition.pk).update(state=Edition.SENT, finished_at=timezone.now())
        report.finished = True
        return report
    finally:
        release_lease(lease, holder)


def _send_batch(edition, rendered, batch, report: SendReport, pace: _Pace) -> None:
    connection = get_connection(fail_silently=False)
    try:
        _open(connection)
        for subscriber in batch:
            delivery = _claim(edition, subscriber)
            message = emails.message_for(edition, rendered, subscriber, connection)
            pace.wait()
            try:
                _send_one(connection, message)
            except smtplib.SMTPRecipientsRefused as error:
                # Refused for good (5xx) is final; a 4xx answer means "later".
                codes = [code for code, _text in error.recipients.values()]
                if any(code < 500 for code in codes):
                    raise MailServerUnavailable(_reason(error)) from error
                _finish(delivery, Delivery.FAILED, _reason(error))
                report.failed += 1
            except smtplib.SMTPResponseException as error:
                if error.smtp_code >= 500:
                    _finish(delivery, Delivery.FAILED, _reason(error))
                    report.failed += 1
                else:
                    raise MailServerUnavailable(_reason(error)) from error
            else:
                _finish(delivery, Delivery.SENT)
                report.sent += 1
    finally:
        # A dropped connection cannot be closed politely.
        with contextlib.suppress(Exception):
            connection.close()


def _open(connection) -> None:
    try:
        connection.open()
    except (OSError, smtplib.SMTPException) as error:
        raise MailServerUnavailable(_reason(error)) from error


def _send_one(connection, message) -> None:
    """Send one message, reconnecting once if the server dropped the connection."""
    for attempt in (1, 2):
        try:
            connection.send_messages([message])
            return
        except (TimeoutError, smtplib.SMTPServerDisconnected, ConnectionError) as error:
            with contextlib.suppress(Exception):
                connection.close()
            connection.connection = None
            if attempt == 2:
                raise MailServerUnavailable(_reason(error)) from error
            _open(connection)


def _claim(edition: Edition, subscriber: Subscriber) -> Delivery:
    delivery, _created = Delivery.objects.get_or_create(
        edition=edition,
        subscriber=subscriber,
        defaults={"message_id": emails.message_id(edition, subscriber)},
    )
    Delivery.objects.filter(pk=delivery.pk).update(
        state=Delivery.SENDING, attempts=delivery.attempts + 1, updated_at=timezone.now()
    )
    delivery.attempts += 1
    return delivery


def _finish(delivery: Delivery, state: str, error: str = "") -> None:
    Delivery.objects.filter(pk=delivery.pk).update(
        state=state, error=error[:300], updated_at=timezone.now()
    )


def _reason(error: BaseException) -> str:
    if isinstance(error, smtplib.SMTPResponseException):
        message = error.smtp_error
        if isinstance(message, bytes):
            message = message.decode("utf-8", "replace")
        return f"{error.smtp_code} {message}"
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{code} {text.decode('utf-8', 'replace') if isinstance(text, bytes) else text}"
            for code, text in error.recipients.values()
        )
    return f"{type(error).__name__}: {error}"


class _Pace:
    """At most `rate` messages a second (0: as fast as the server takes them)."""

    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.next_at = time.monotonic()

    def wait(self) -> None:
        if not self.interval:
            return
        now = time.monotonic()
        if now < self.next_at:
            time.sleep(self.next_at - now)
        self.next_at = max(now, self.next_at) + self.interval


def numbers(edition: Edition) -> dict[str, int]:
    """Sent, failed, bounced and waiting recipients of the edition, and unsubscribes."""
    counts = dict(
        Delivery.objects.filter(edition=edition)
        .values_list("state")
        .annotate(count=Count("pk"))
        .values_list("state", "count")
    )
    return {
        "sent": counts.get(Delivery.SENT, 0) + counts.get(Delivery.BOUNCED, 0),
        "failed": counts.get(Delivery.FAILED, 0),
        "bounced": counts.get(Delivery.BOUNCED, 0),
        "in_flight": counts.get(Delivery.SENDING, 0),
        "unsubscribed": edition.unsubscribed,
    }
