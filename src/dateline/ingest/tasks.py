"""Ingest's background work: the worker's schedule queues `poll_due_sources` every minute;
it queues one poll per source that is due, so a slow source holds up no other."""

from __future__ import annotations

from django_tasks import task

from . import services
from .models import Source


@task()
def poll_due_sources() -> int:
    """Queue a poll of every source whose time has come; returns how many were queued."""
    queued = 0
    for source in services.due_sources():
        if services.claim(source):
            poll_source.enqueue(source.pk)
            queued += 1
    return queued


@task()
def poll_source(source_id: int) -> int:
    """Poll one source now; returns how many new items it brought. Errors are kept on the
    source (shown in the admin), so this task itself does not fail on a bad feed."""
    source = Source.objects.select_related("locale", "section").filter(pk=source_id).first()
    if source is None or not source.enabled:
        return 0
    return len(services.poll(source).new)


@task()
def forget_old_items() -> int:
    return services.forget_old_items()
