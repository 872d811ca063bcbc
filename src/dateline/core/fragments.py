"""What many pages share, cached across requests and retired together when content changes.

Template fragments (navigation, footer, most read, more from the section) are cached with
`{% wagtailcache %}` (which never serves a preview from the cache) under keys that include
the *content generation*: a token in the shared cache that every publish, unpublish,
move or delete of a page, and every save of the site settings, an author or a site,
replaces. One new token retires every fragment on every server process at once.

The site settings and the navigation are kept in each process for the generation they
were read under, so a request reads one small cache entry instead of running queries."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest
from django.http.request import split_domain_port
from wagtail.models import Site

GENERATION_KEY = "fragments:generation"
MAX_REMEMBERED = 1000

_local: dict[tuple[Any, ...], Any] = {}
_lock = threading.Lock()
_request = threading.local()


def begin_request() -> None:
    """Read the generation once for the request this thread is about to serve."""
    _request.generation = _read_generation()


def end_request() -> None:
    _request.generation = None


def generation() -> str:
    """The current content generation (the same in every process sharing the cache):
    read once per request, or from the cache outside one."""
    return getattr(_request, "generation", None) or _read_generation()


def _read_generation() -> str:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        value = cache.get(GENERATION_KEY) or "0"
    return value


def retire_fragments() -> None:
    """Start a new generation: every cached fragment and per-process copy is out of date."""
    value = uuid.uuid4().hex
    cache.set(GENERATION_KEY, value, timeout=None)
    if getattr(_request, "generation", None):
        _request.generation = value  # the rest of this request sees its own change


def remembered(key: tuple[Any, ...], build: Callable[[], Any]) -> Any:
    """`build()`'s result, kept in this process for as long as the generation lasts."""
    current_generation = generation()
    full_key = (current_generation, *key)
    try:
        return _local[full_key]
    except KeyError:
        pass
    value = build()
    with _lock:
        stale = [k for k in _local if k[0] != current_generation]
        if len(_local) > MAX_REMEMBERED:  # e.g. a flood of made-up Host headers
            stale = list(_local)
        for k in stale:
            del _local[k]
        _local[full_key] = value
    return value


def site_settings():
    """The site settings with their texts, read once per generation per process."""
    from .models import SiteSettings

    def load() -> SiteSettings:
        loaded = SiteSettings.load()
        loaded.loaded_texts = list(loaded.texts.all())
        return loaded

    return remembered(("site-settings",), load)


def site_for(request: HttpRequest) -> Site | None:
    """Wagtail's site for the request's host and port, looked up once per generation."""
    hostname = split_domain_port(request._get_raw_host())[0]
    return remembered(
        ("site", hostname, request.get_port()), lambda: Site._find_for_request(request)
    )


def site_root_paths() -> list:
    """Wagtail's site root paths (what page URLs are made from), once per generation."""
    return remembered(("site-root-paths",), Site.get_site_root_paths)
