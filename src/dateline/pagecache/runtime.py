"""The page cache assembled from settings: one per process."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.cache import caches

from dateline.core import generations

from .layer import PageCache, PageCacheConfig
from .store import LocalStore, RenderLocks, SharedStore


def redis_client():
    return generations.redis_client()


@functools.cache
def content_generation() -> generations.Named:
    """The content generation, below which nothing is served: the pulled one (see
    core/generations.py)."""
    return generations.Named(generations.CONTENT, floor=generations.PULLED)


def cache_control_header() -> str:
    return (
        f"public, max-age={settings.DATELINE_HTTP_MAX_AGE}, "
        f"s-maxage={settings.DATELINE_HTTP_S_MAXAGE}, "
        f"stale-while-revalidate={settings.DATELINE_HTTP_STALE_WHILE_REVALIDATE}"
    )


def wrap(app: Callable) -> Callable:
    """`app` behind the page cache, or `app` itself when the cache is switched off."""
    if not settings.DATELINE_PAGE_CACHE:
        return app
    config = PageCacheConfig(
        fresh_seconds=settings.DATELINE_PAGE_CACHE_SECONDS,
        stale_seconds=settings.DATELINE_PAGE_CACHE_STALE_SECONDS,
        cache_control=cache_control_header(),
        bypass_cookies=(
            f"{settings.SESSION_COOKIE_NAME}=",
            f"{settings.CSRF_COOKIE_NAME}=",
            "messages=",
        ),
    )
    return PageCache(
        app,
        config,
        generation=content_generation(),
        local=LocalStore(settings.DATELINE_PAGE_CACHE_MEMORY_MB * 1024 * 1024),
        shared=SharedStore(caches["pages"], keep_seconds=int(config.stale_seconds)),
        locks=RenderLocks(
            Path(settings.DATELINE_PAGE_CACHE_DIR) / "locks",
            redis_client=redis_client() if settings.REDIS_URL else None,
            prefix=settings.DATELINE_CACHE_PREFIX,
        ),
    )
