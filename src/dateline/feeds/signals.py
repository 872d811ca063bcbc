"""A change of content retires the cached feeds and sitemaps of the languages it reaches,
at once and again when its transaction commits (a feed rebuilt in between from the old
rows must not be kept)."""

from __future__ import annotations

from django.db import transaction

from dateline.news.events import ContentChange, content_changed, languages_of

from .cache import invalidate
from .content import site_languages


def _content_changed(sender, change: ContentChange, **kwargs) -> None:
    languages = languages_of(change, site_languages())
    invalidate(languages)
    transaction.on_commit(lambda: invalidate(languages))


def connect() -> None:
    content_changed.connect(_content_changed, dispatch_uid="feeds-content-changed")
