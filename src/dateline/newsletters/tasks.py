"""Newsletter work on the background queue: sending editions and confirmation e-mails,
and (every minute, from the worker's schedule) the digests that are due and the sends
that a dead worker left half done."""

from __future__ import annotations

import os
import smtplib
import socket

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from dateline.core.retries import retrying

from . import digests, emails, sending
from .models import Edition, Subscriber


def _holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@task()
@retrying(attempts=8, first_delay=60, max_delay=3600)
def send_edition_task(edition_id: int) -> dict:
    """Send the edition to whoever on its list it has not reached; fails (and is tried
    again later) when the mail server is away, carrying on from where it stopped."""
    report = sending.send_edition(edition_id, _holder())
    return {"sent": report.sent, "failed": report.failed, "finished": report.finished}


@task()
@retrying(attempts=5, first_delay=60, max_delay=1800)
def send_confirmation(subscriber_id: int, link: str, language: str) -> bool:
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:
        return False
    try:
        emails.confirmation_message(subscriber, link, language).send()
    except smtplib.SMTPRecipientsRefused:
        return False  # the address does not exist: nothing to try again
    return True


def request_send(edition: Edition) -> bool:
    """Queue the edition's sending once; False when it was queued or sent already."""
    with transaction.atomic():
        updated = Edition.objects.filter(pk=edition.pk, state=Edition.DRAFT).update(
            state=Edition.SENDING, send_requested_at=timezone.now()
        )
        if updated:
            transaction.on_commit(lambda: send_edition_task.enqueue(edition.pk))
    return bool(updated)


@task()
def send_due_newsletters() -> int:
    """Queue the digests whose time has come, and sends left half done by a worker that
    died (their lease has run out). Returns how many sends were queued."""
    queued = 0
    for newsletter in digests.due_digests():
        edition = digests.build_digest(newsletter)
        if edition is not None and request_send(edition):
            queued += 1
    for edition in Edition.objects.filter(state=Edition.SENDING):
        if sending.is_abandoned(edition):
            send_edition_task.enqueue(edition.pk)
            queued += 1
    return queued
