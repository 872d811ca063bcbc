"""What many pages share, cached across requests and retired together when content changes.

Template fragments (navigation, footer, most read, more from the section) are cached with
`{% fragment %}` (core/cached_fragments.py: never a preview) under keys that include
the generations they were made under (core/generations.py), so one change retires every
fragment on every server process at once. Two generations key them:

- the *structure* generation moves with what every page's frame shows: the site
  settings, sites, languages, authors, tags, and every page that is not a story
  (sections, home pages, the about pages), including moves and deletions;
- the *content* generation moves with all of that and with every publish, unpublish,
  move or delete of a story.

So a breaking story retires the listings, but not the navigation, footer and search
overlay that every page around those listings shares.

The site settings and the navigation are kept in each process for the generation they
were read under, so a request reads the generations instead of running queries."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.http.request import split_domain_port
from wagtail.models import Site

from . import generations

MAX_REMEMBERED = 1000

_local: dict[tuple[Any, ...], Any] = {}
_lock = threading.Lock()
_request = threading.local()


def begin_request() -> None:
    """Read the generations once for the request this thread is about to serve."""
    _request.generations = _read_generations()


def end_request() -> None:
    _request.generations = None


def generation() -> int:
    """The content generation (the same in every process): read once per request, or
    afresh outside one."""
    return _generations()[0]


def structure_generation() -> int:
    """The structure generation: it changes only with what frames every page."""
    return _generations()[1]


def _generations() -> tuple[int, int]:
    return getattr(_request, "generations", None) or _read_generations()


def _read_generations() -> tuple[int, int]:
    return (generations.current(generations.CONTENT), generations.current(generations.STRUCTURE))


def retire_fragments(*, structure: bool = True, pulled: bool = False) -> None:
    """Move the content generation on and, unless only stories changed, the structure
    generation: every fragment, cached page and per-process copy keyed by them is out of
    date (see core/generations.py for `pulled`)."""
    generations.retire(structure=structure, pulled=pulled)
    if getattr(_request, "generations", None):  # the rest of this request sees its change
        _request.generations = _read_generations()


def is_story(page: Any) -> bool:
    """Whether a page only appears in story listings, so that changing it leaves the
    structure generation alone."""
    return bool(getattr(page.specific_class, "changes_only_story_listings", False))


def remembered(key: tuple[Any, ...], build: Callable[[], Any]) -> Any:
    """`build()`'s result, kept in this process for as long as the content generation lasts."""
    return _remembered(generation(), key, build)


def remembered_structure(key: tuple[Any, ...], build: Callable[[], Any]) -> Any:
    """`build()`'s result, kept in this process for as long as the structure lasts."""
    return _remembered(structure_generation(), key, build)


def _remembered(current_generation: int, key: tuple[Any, ...], build: Callable[[], Any]) -> Any:
    full_key = (current_generation, *key)
    try:
        return _local[full_key]
    except KeyError:
        pass
    value = build()
    current = set(_generations())
    with _lock:
        stale = [k for k in _local if k[0] not in current]
        if len(_local) > MAX_REMEMBERED:  # e.g. a flood of made-up Host headers
            stale = list(_local)
        for k in stale:
            _local.pop(k, None)
        _local[full_key] = value
    return value


def site_settings():
    """The site settings with their texts, read once per generation per process."""
    from .models import SiteSettings

    def load() -> SiteSettings:
        loaded = SiteSettings.load()
        loaded.loaded_texts = list(loaded.texts.all())
        return loaded

    return remembered_structure(("site-settings",), load)


def site_for(request: HttpRequest) -> Site | None:
    """Wagtail's site for the request's host and port, looked up once per generation."""
    hostname = split_domain_port(request._get_raw_host())[0]
    return remembered_structure(
        ("site", hostname, request.get_port()), lambda: Site._find_for_request(request)
    )


_wagtail_site_root_paths = Site.get_site_root_paths


def site_root_paths() -> list:
    """Wagtail's site root paths (what page URLs are made from). Wagtail reads them from
    the shared cache once per page object whose URL it builds, some sixty reads for a home
    page; within a request they are kept in the process for the structure generation."""
    if getattr(_request, "generations", None) is None:
        return _wagtail_site_root_paths()
    return remembered_structure(("site-root-paths",), _wagtail_site_root_paths)


def keep_site_root_paths_per_request_generation() -> None:
    Site.get_site_root_paths = staticmethod(site_root_paths)
