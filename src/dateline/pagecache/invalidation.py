"""Every change to published content raises the content generation once its transaction
commits, which retires every cached page on every server; a CDN, when configured, is
told to purge the addresses the change affects."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page

logger = logging.getLogger(__name__)


def content_changed(*, structure: bool = True) -> None:
    """Retire every cached page once the current transaction (if any) commits, with the
    shared fragments: all of them, or when only stories changed, those listing stories."""
    queued = {entry[1] for entry in transaction.get_connection().run_on_commit}
    if _advance_after_structure_change in queued:
        return  # one publish sends several signals; one raise is enough
    if structure:
        transaction.on_commit(_advance_after_structure_change)
    elif _advance_after_story_change not in queued:
        transaction.on_commit(_advance_after_story_change)


def _advance_after_structure_change() -> None:
    _advance_generation(structure=True)


def _advance_after_story_change() -> None:
    _advance_generation(structure=False)


def _advance_generation(*, structure: bool) -> None:
    from dateline.core.fragments import retire_fragments

    from .runtime import content_generation

    try:
        # Fragments first: a page rendered in between must not be rebuilt from old
        # fragments and then kept as the new generation's copy.
        retire_fragments(structure=structure)
        content_generation().advance()
    except Exception:
        logger.exception("cached pages could not be retired; they expire on their own")


def _page_changed(sender, instance: Page, **kwargs) -> None:
    from dateline.core.fragments import is_story

    content_changed(structure=not is_story(instance))
    if settings.WAGTAILFRONTENDCACHE:
        from .purge import purge_for_page

        transaction.on_commit(lambda: purge_for_page(instance))


def _settings_changed(sender, instance, **kwargs) -> None:
    content_changed()
    if settings.WAGTAILFRONTENDCACHE:
        from .purge import purge_everything

        transaction.on_commit(purge_everything)


def connect() -> None:
    from dateline.core.signals import PAGE_SIGNALS, models_shown_on_pages

    for signal in PAGE_SIGNALS:
        signal.connect(_page_changed, dispatch_uid=f"pagecache-{id(signal)}")
    post_delete.connect(_page_changed, sender=Page, dispatch_uid="pagecache-page-deleted")
    for model in models_shown_on_pages():
        post_save.connect(_settings_changed, sender=model, dispatch_uid=f"pagecache-{model}")
        post_delete.connect(_settings_changed, sender=model, dispatch_uid=f"pagecache-del-{model}")
