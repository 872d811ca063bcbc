"""The index follows content changes (news/events.py): a publish or an edit indexes the
page, an unpublish drops it, a move or a change of privacy reindexes the subtree; a
deleted page's entry goes with it (ON DELETE CASCADE). Hiding a search from the popular
list drops the cached lists."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from dateline.news import events

from . import index, services
from .models import HiddenSearchTerm


def _content_changed(sender, change: events.ContentChange, **kwargs) -> None:
    for page in change.pages:
        if change.kind == events.PUBLISHED:
            index.index_page(page)
        elif change.kind == events.UNPUBLISHED:
            index.remove_page(page.pk)
        elif change.kind in (events.MOVED, events.PRIVACY):
            index.index_subtree(page)


def _hidden_terms_changed(sender, instance, **kwargs):
    services.forget_popular_cache()


def connect() -> None:
    events.content_changed.connect(_content_changed, dispatch_uid="search-content-changed")
    for signal, name in ((post_save, "hidden"), (post_delete, "unhidden")):
        signal.connect(
            _hidden_terms_changed,
            sender=HiddenSearchTerm,
            dispatch_uid=f"dateline_search_term_{name}",
        )
