"""The index follows publishing: publish and edit index, unpublish drops, a move or a
view restriction reindexes the subtree; a deleted page's entry goes with it (ON DELETE
CASCADE). Hiding a search from the popular list drops the cached lists."""

from __future__ import annotations

import logging

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import index, services
from .models import HiddenSearchTerm

logger = logging.getLogger(__name__)


def _published(sender, instance, **kwargs):
    index.index_page(instance)


def _unpublished(sender, instance, **kwargs):
    index.remove_page(instance.pk)


def _moved(sender, instance, **kwargs):
    index.index_subtree(instance)


def _restriction_changed(sender, instance, **kwargs):
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        index.index_subtree(page)


def _hidden_terms_changed(sender, instance, **kwargs):
    services.forget_popular_cache()


def connect() -> None:
    page_published.connect(_published, dispatch_uid="dateline_search_published")
    page_unpublished.connect(_unpublished, dispatch_uid="dateline_search_unpublished")
    post_page_move.connect(_moved, dispatch_uid="dateline_search_moved")
    for signal, name in ((post_save, "restricted"), (post_delete, "unrestricted")):
        signal.connect(
            _restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"dateline_search_{name}",
        )
    for signal, name in ((post_save, "hidden"), (post_delete, "unhidden")):
        signal.connect(
            _hidden_terms_changed,
            sender=HiddenSearchTerm,
            dispatch_uid=f"dateline_search_term_{name}",
        )
