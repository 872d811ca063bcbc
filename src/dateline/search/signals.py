"""The index follows publishing: publish and edit index, unpublish drops, a move
reindexes the subtree; a deleted page's entry goes with it (ON DELETE CASCADE)."""

from __future__ import annotations

import logging

from wagtail.signals import page_published, page_unpublished, post_page_move

from . import index

logger = logging.getLogger(__name__)


def _published(sender, instance, **kwargs):
    index.index_page(instance)


def _unpublished(sender, instance, **kwargs):
    index.remove_page(instance.pk)


def _moved(sender, instance, **kwargs):
    index.index_subtree(instance)


def connect() -> None:
    page_published.connect(_published, dispatch_uid="dateline_search_published")
    page_unpublished.connect(_unpublished, dispatch_uid="dateline_search_unpublished")
    post_page_move.connect(_moved, dispatch_uid="dateline_search_moved")
