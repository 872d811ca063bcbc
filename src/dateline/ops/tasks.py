"""Upkeep of the task queue itself, queued by the worker's schedule."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

# Finished tasks are kept for a while to be looked at: failures longer than successes.
KEEP_SUCCESSFUL = timedelta(days=1)
KEEP_FAILED = timedelta(days=7)


@task()
def forget_finished_tasks() -> int:
    """Delete finished tasks' rows from the database queue (RQ expires its own); returns
    how many were deleted. A periodic job runs every few seconds: without this, the queue's
    table would grow by thousands of rows a day."""
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    deleted, _ = (
        DBTaskResult.objects.successful().filter(finished_at__lt=now - KEEP_SUCCESSFUL)
        | DBTaskResult.objects.failed().filter(finished_at__lt=now - KEEP_FAILED)
    ).delete()
    return deleted
