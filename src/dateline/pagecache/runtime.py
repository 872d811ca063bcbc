"""The page cache assembled from settings: one per process."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.cache import caches

from .generation import FileGeneration, Generation, RedisGeneration
from .layer import PageCache, PageCacheConfig
from .store import LocalStore, RenderLocks, SharedStore


@functools.cache
def redis_client():
    import redis

    return redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=0.5, socket_timeout=0.5)


@functools.cache
def content_generation() -> Generation:
    """The shared number that every content change raises (see generation.py)."""
    if settings.REDIS_URL:
        return RedisGeneration(
            redis_client(),
            f"{settings.DATELINE_CACHE_PREFIX}:pagecache:generation",
            poll_seconds=settings.DATELINE_PAGE_CACHE_POLL_SECONDS,
        )
    return FileGeneration(Path(settings.DATELINE_PAGE_CACHE_DIR) / "generation")


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
