"""The newsroom's background work, queued by the worker's schedule."""

from __future__ import annotations

from django_tasks import task

from dateline.core.retries import retrying

from . import machine_translation, services
from .models import ArticlePage


@task()
def publish_scheduled() -> int | None:
    """Publish what is due and unpublish what has expired. Safe to run twice at once: a
    lease lets one runner in, and a revision published is no longer due. Returns how many
    revisions were published, or None when another runner held the lease."""
    return services.run_scheduled_publishing()


@task()
@retrying(attempts=5, first_delay=60)
def machine_translate(page_id: int) -> bool:
    """Write the machine translation into a new translation's draft (news/
    machine_translation.py). Safe to run twice: a draft a person has saved, or one already
    translated, is left alone."""
    translation = ArticlePage.objects.filter(pk=page_id).first()
    if translation is None:
        return False
    return machine_translation.translate_draft(translation)
