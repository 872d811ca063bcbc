"""Every change to published content (news/events.py) raises the content generation once
its transaction commits, which retires every cached page on every server; a CDN, when
configured, is told to purge the addresses the change affects."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction

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


def _content_changed(sender, change, **kwargs) -> None:
    content_changed(structure=change.structure)
    if settings.WAGTAILFRONTENDCACHE:
        from .purge import purge_everything, purge_for_page

        if not change.pages:
            transaction.on_commit(purge_everything)
        for page in change.pages:
            transaction.on_commit(lambda page=page: purge_for_page(page))


def connect() -> None:
    from dateline.news.events import content_changed as news_content_changed

    news_content_changed.connect(_content_changed, dispatch_uid="pagecache-content-changed")
