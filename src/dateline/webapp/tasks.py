"""Web push on the background queue: an alert split into batches, each batch a task (so
that several workers share a large alert), and batches left by a dead worker."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django_tasks import task

from dateline.core.retries import RetryLater, retrying
from dateline.news.models import published_articles

from . import services


@task()
def push_story(story_id: int, subscribed_by: str | None = None) -> int:
    """Alert the story's language's subscribers (those subscribed by `subscribed_by`, an
    ISO time), once per story; returns the number of batches."""
    story = published_articles().filter(pk=story_id).select_related("locale").first()
    if story is None:
        return 0
    by = datetime.fromisoformat(subscribed_by) if subscribed_by else None
    alert = services.make_alert(story, subscribed_by=by)
    if alert is None:
        return 0
    with transaction.atomic():
        batches = services.start_alert(alert)
        for batch in batches:
            transaction.on_commit(lambda batch_id=batch.pk: send_push_batch.enqueue(batch_id))
    return len(batches)


@task()
@retrying(attempts=services.PASSES + 1, first_delay=60, max_delay=900)
def send_push_batch(batch_id: int) -> dict:
    report = services.send_batch(batch_id)
    if report.to_retry:
        raise RetryLater(60, f"{report.to_retry} pushes met a 429 or 5xx; sent again later")
    return {"sent": report.sent, "removed": report.removed, "failed": report.failed}


@task()
def resume_push_batches() -> int:
    """Queue again the batches whose worker stopped halfway (their lease ran out)."""
    abandoned = services.abandoned_batches()
    for batch_id in abandoned:
        send_push_batch.enqueue(batch_id)
    return len(abandoned)
