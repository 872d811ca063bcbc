"""Changes that retire the shared fragments (see fragments.py).

The generation is replaced at once, so the rest of the request sees the change, and again
when the transaction commits: a request that read the old rows in between must not keep
them for the whole generation."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from taggit.models import Tag
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from . import fragments
from .models import SiteSettings, SiteText

SHARED_MODELS = (SiteSettings, SiteText, Site, Locale, Tag, PageViewRestriction)


def retire_fragments(*, structure: bool = True) -> None:
    fragments.retire_fragments(structure=structure)
    transaction.on_commit(lambda: fragments.retire_fragments(structure=structure))


@receiver(page_published)
@receiver(page_unpublished)
@receiver(page_slug_changed)
@receiver(post_page_move)
def page_changed(sender, instance: Page, **kwargs) -> None:
    retire_fragments(structure=not fragments.is_story(instance))


@receiver(post_save)
@receiver(post_delete)
def shared_row_changed(sender, instance, **kwargs) -> None:
    from dateline.news.models import Author

    if isinstance(instance, (*SHARED_MODELS, Author)):
        retire_fragments()
    elif kwargs.get("signal") is post_delete and isinstance(instance, Page):
        retire_fragments(structure=not fragments.is_story(instance))
