"""Changes that retire the shared fragments (see fragments.py).

The generations are replaced at once, so the rest of the request sees the change, and
again when the transaction commits: a request that read the old rows in between must not
keep them for the whole generation."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from . import fragments

PAGE_SIGNALS = (page_published, page_unpublished, page_slug_changed, post_page_move)


# Models of the apps above core whose rows appear on pages (news' authors): they add
# themselves with show_on_pages() when they are ready, before the page cache connects.
_shown_by_apps: list[type] = []


def models_shown_on_pages() -> list[type]:
    """Things that are not pages but appear on them: saving or deleting one retires every
    cached fragment and page."""
    from taggit.models import Tag
    from wagtail.contrib.redirects.models import Redirect

    from .models import NewsImage, SiteSettings, SiteText

    # A page made private must stop being served from the cache at once.
    return [
        SiteSettings,
        SiteText,
        NewsImage,
        Tag,
        Locale,
        Site,
        Redirect,
        PageViewRestriction,
        *_shown_by_apps,
    ]


def show_on_pages(model: type) -> None:
    """For an app above core: saving or deleting a row of `model` retires the fragments
    and (the page cache connects it too) every cached page."""
    _shown_by_apps.append(model)
    _connect_shown_row(model)


def retire_fragments(*, structure: bool = True) -> None:
    fragments.retire_fragments(structure=structure)
    transaction.on_commit(lambda: fragments.retire_fragments(structure=structure))


def page_changed(sender, instance: Page, **kwargs) -> None:
    retire_fragments(structure=not fragments.is_story(instance))


def shown_row_changed(sender, instance, **kwargs) -> None:
    retire_fragments()


def connect() -> None:
    for signal in PAGE_SIGNALS:
        signal.connect(page_changed, dispatch_uid=f"fragments-{id(signal)}")
    # Deleting any page deletes its row in Page's own table, which sends this.
    post_delete.connect(page_changed, sender=Page, dispatch_uid="fragments-page-deleted")
    for model in models_shown_on_pages():
        _connect_shown_row(model)


def _connect_shown_row(model: type) -> None:
    post_save.connect(shown_row_changed, sender=model, dispatch_uid=f"fragments-{model}")
    post_delete.connect(shown_row_changed, sender=model, dispatch_uid=f"fragments-del-{model}")
