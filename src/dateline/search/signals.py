"""The index follows content changes (news/events.py): a publish or an edit indexes the
page, an unpublish drops it, a move or a change of privacy reindexes the subtree; a
deleted page's entry goes with it (ON DELETE CASCADE)."""

from __future__ import annotations

from dateline.news import events

from . import index


def _content_changed(sender, change: events.ContentChange, **kwargs) -> None:
    for page in change.pages:
        if change.kind == events.PUBLISHED:
            index.index_page(page)
        elif change.kind == events.UNPUBLISHED:
            index.remove_page(page.pk)
        elif change.kind in (events.MOVED, events.PRIVACY):
            index.index_subtree(page)


def connect() -> None:
    events.content_changed.connect(_content_changed, dispatch_uid="search-content-changed")
