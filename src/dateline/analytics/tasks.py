"""View counting's background work, queued by the worker's schedule. Each may run twice
for one slot without harm: a flushed batch is committed once (its id is a key), and
forgetting what is already forgotten changes nothing."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def flush_view_counts() -> int:
    """Move the views buffered in Redis into the database; returns how many moved."""
    return services.flush_views()


@task()
def forget_past_readers() -> None:
    """Forget past days' readers and hour buckets older than the longest window."""
    services.prune_counts()
