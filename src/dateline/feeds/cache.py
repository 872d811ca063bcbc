"""Feeds and sitemaps are cached per language and dropped when that language's content
is published, unpublished, moved or deleted.

Each language has a generation number in the cache; a response is stored under a key
that includes it, so bumping the number retires every feed and sitemap of the language
at once, on every server that shares the cache. The sitemap index and robots.txt cover
all languages and use the generation of "all", which every change bumps too."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache

ALL_LANGUAGES = "all"


def _generation_key(language: str) -> str:
    return f"feeds:generation:{language}"


def generation(language: str) -> int:
    key = _generation_key(language)
    value = cache.get(key)
    if value is None:
        cache.add(key, 1, timeout=None)
        value = cache.get(key) or 1
    return value


def invalidate(language: str | None) -> None:
    """Retire the cached feeds and sitemaps of a language (and the site-wide ones)."""
    for name in {language or ALL_LANGUAGES, ALL_LANGUAGES}:
        key = _generation_key(name)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 2, timeout=None)


def cached(language: str, name: str, build: Callable[[], bytes]) -> bytes:
    """The cached bytes of `name` in `language`, built on a miss."""
    digest = hashlib.sha1(name.encode(), usedforsecurity=False).hexdigest()
    key = f"feeds:{language}:{generation(language)}:{digest}"
    body = cache.get(key)
    if body is None:
        body = build()
        cache.set(key, body, settings.DATELINE_FEED_CACHE_SECONDS)
    return body
