"""Every change to published content retires the shared template fragments (see
core/fragments.py) and raises the content generation, which retires every cached page on
every server; a CDN, when configured, is told to purge the addresses the change affects.

The fragments are retired at once, so the rest of the request that made the change sees
it, and again when the transaction commits, just before the pages: a request that read
the old rows in between must not keep them for the whole generation."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from dateline.core import fragments

logger = logging.getLogger(__name__)


def content_changed(*, structure: bool = True) -> None:
    """Retire the shared fragments (all of them, or when only stories changed, those that
    list stories) now, and again with every cached page once the current transaction (if
    any) commits."""
    fragments.retire_fragments(structure=structure)
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
    from .runtime import content_generation

    try:
        # Fragments first: a page rendered in between must not be rebuilt from old
        # fragments and then kept as the new generation's copy.
        fragments.retire_fragments(structure=structure)
        content_generation().advance()
    except Exception:
        logger.exception("cached pages could not be retired; they expire on their own")


def _page_changed(sender, instance: Page, **kwargs) -> None:
    content_changed(structure=not fragments.is_story(instance))
    if settings.WAGTAILFRONTENDCACHE:
        from .purge import purge_for_page

        transaction.on_commit(lambda: purge_for_page(instance))


def _settings_changed(sender, instance, **kwargs) -> None:
    content_changed()
    if settings.WAGTAILFRONTENDCACHE:
        from .purge import purge_everything

        transaction.on_commit(purge_everything)


def connect() -> None:
    for signal in (page_published, page_unpublished, page_slug_changed, post_page_move):
        signal.connect(_page_changed, dispatch_uid=f"pagecache-{id(signal)}")
    # Deleting any page deletes its row in Page's own table, which sends this.
    post_delete.connect(_page_changed, sender=Page, dispatch_uid="pagecache-page-deleted")
    for model in _models_shown_on_pages():
        post_save.connect(_settings_changed, sender=model, dispatch_uid=f"pagecache-{model}")
        post_delete.connect(_settings_changed, sender=model, dispatch_uid=f"pagecache-del-{model}")


def _models_shown_on_pages() -> list[type]:
    """Things that are not pages but appear on them."""
    from taggit.models import Tag
    from wagtail.contrib.redirects.models import Redirect

    from dateline.core.models import NewsImage, SiteSettings, SiteText
    from dateline.news.models import Author

    # A page made private must stop being served from the cache at once.
    return [
        SiteSettings,
        SiteText,
        Author,
        NewsImage,
        Tag,
        Locale,
        Site,
        Redirect,
        PageViewRestriction,
    ]
