"""The newsroom's background work, queued by the worker's schedule."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def publish_scheduled() -> int | None:
    """Publish what is due and unpublish what has expired. Safe to run twice at once: a
    lease lets one runner in, and a revision published is no longer due. Returns how many
    revisions were published, or None when another runner held the lease."""
    return services.run_scheduled_publishing()
