"""Content changes (news/events.py) feed the change log that app sync reads (see sync.py)."""

from __future__ import annotations

from wagtail.models import Page

from dateline.news import events
from dateline.news.models import ArticlePage

from . import sync


def _is_article(page: Page) -> bool:
    return issubclass(page.specific_class or Page, ArticlePage)


def _content_changed(sender, change: events.ContentChange, **kwargs) -> None:
    for page in change.pages:
        if change.kind in (events.PUBLISHED, events.UNPUBLISHED):
            if _is_article(page):
                sync.record_articles([(page.pk, page.locale.language_code)])
        elif change.kind in (events.MOVED, events.PRIVACY):
            sync.record_subtree(page)
        elif change.kind == events.DELETED and _is_article(page):
            sync.record_deleted(page.pk)


def connect() -> None:
    events.content_changed.connect(_content_changed, dispatch_uid="api-content-changed")
