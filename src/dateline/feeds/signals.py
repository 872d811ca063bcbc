"""Publishing, unpublishing, moving or deleting a page retires its language's feeds."""

from __future__ import annotations

from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from .cache import invalidate


def _language(page: Page) -> str | None:
    try:
        return page.locale.language_code
    except Exception:  # the locale may already be gone in a cascade
        return None


@receiver(page_published)
@receiver(page_unpublished)
@receiver(page_slug_changed)
def content_changed(sender, instance: Page, **kwargs) -> None:
    invalidate(_language(instance))


@receiver(post_page_move)
def page_moved(sender, instance: Page, **kwargs) -> None:
    invalidate(_language(instance))


@receiver(post_delete)
def page_deleted(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page):
        invalidate(_language(instance))
