"""Feeds and sitemaps are cached per language and dropped when a change of content
reaches that language (news/events.py): a story published, unpublished, moved or deleted
there, or its settings, authors, tags or pictures changed.

Each language has a generation in the cache: a random token, replaced by every change. A
response is stored under a key that includes it, so replacing the token retires every
feed and sitemap of the language at once, on every server that shares the cache. A token
is never reused, so a generation that the cache lost or let expire cannot bring old
copies back (a counter kept with the file cache's incr would restart from 1). The
sitemap index and robots.txt cover all languages and use the generation of "all", which
every change replaces too."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache

ALL_LANGUAGES = "all"


def _generation_key(language: str) -> str:
    # Not the key that held the old counter: during a rolling upgrade, processes that
    # still increment it must not find a token there.
    return f"feeds:generation-token:{language}"


def generation(language: str) -> str:
    key = _generation_key(language)
    value = cache.get(key)
    if value is None:
        cache.add(key, uuid.uuid4().hex, timeout=None)  # another process may add it first
        value = cache.get(key) or "0"
    return value


def invalidate(languages: Iterable[str]) -> None:
    """Retire the cached feeds and sitemaps of the languages (and the site-wide ones)."""
    cache.set_many(
        {_generation_key(name): uuid.uuid4().hex for name in {*languages, ALL_LANGUAGES}},
        timeout=None,
    )


def cached(language: str, name: str, build: Callable[[], bytes]) -> bytes:
    """The cached bytes of `name` in `language`, built on a miss."""
    digest = hashlib.sha1(name.encode(), usedforsecurity=False).hexdigest()
    key = f"feeds:{language}:{generation(language)}:{digest}"
    body = cache.get(key)
    if body is None:
        body = build()
        cache.set(key, body, settings.DATELINE_FEED_CACHE_SECONDS)
    return body
