"""A change of content (news/events.py) already retires every cached page through the
generations it moves on; what is left here is the CDN. When one is configured, it is told
to purge the addresses the change affects once the change commits: the page, its
translations and every listing, feed and sitemap of it, or, for a change shown on every
page, the front pages, sections, feeds and sitemaps."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)


def _content_changed(sender, change, **kwargs) -> None:
    if not settings.WAGTAILFRONTENDCACHE:
        return
    from .purge import affected_urls, purge_everything, purge_urls

    if not change.pages:
        transaction.on_commit(purge_everything)
        return
    for page in change.pages:
        # Read now: after a delete commits, the story's tags and authors are gone.
        try:
            urls = affected_urls(page)
        except Exception:
            logger.warning("purging everything: the addresses of page %s are unknown", page.pk)
            transaction.on_commit(purge_everything)
            continue
        transaction.on_commit(lambda urls=urls: purge_urls(urls))


def connect() -> None:
    from dateline.news.events import content_changed as news_content_changed

    news_content_changed.connect(_content_changed, dispatch_uid="pagecache-content-changed")
