"""Feeds and sitemaps are cached per language and dropped when a change of content
reaches that language (news/events.py): a story published, unpublished, moved or deleted
there, or its settings, authors, tags or pictures changed.

Each language has a generation of its own (`feeds:<language>`, core/generations.py), and
a response is stored under a key that includes it, so moving it on retires every feed and
sitemap of the language at once, on every server. The sitemap index and robots.txt cover
all languages and use the generation of "all", which every change moves on too.

Each process keeps its own copies in front of the shared cache (the "feeds" cache,
core/fragment_cache.py): a key names its generation, so a copy is never older than the
content the generation stands for, and a copy lasts 30 seconds at most."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import caches

from dateline.core import generations

ALL_LANGUAGES = "all"


def _generation_name(language: str) -> str:
    return f"feeds:{language}"


def generation(language: str) -> int:
    return generations.current(_generation_name(language))


def invalidate(languages: Iterable[str]) -> None:
    """Retire the cached feeds and sitemaps of the languages (and the site-wide ones)."""
    generations.advance(*(_generation_name(name) for name in sorted({*languages, ALL_LANGUAGES})))


def key_for(language: str, name: str) -> str:
    """Where `name` in `language` is kept for the language's current generation."""
    digest = hashlib.sha1(name.encode(), usedforsecurity=False).hexdigest()
    return f"feeds:{language}:{generation(language)}:{digest}"


def cached(language: str, name: str, build: Callable[[], bytes]) -> bytes:
    """The cached bytes of `name` in `language`, built on a miss."""
    key = key_for(language, name)
    store = caches["feeds"]
    body = store.get(key)
    if body is None:
        body = build()
        store.set(key, body, settings.DATELINE_FEED_CACHE_SECONDS)
    return body
