"""Finding the page for a URL in one query.

Wagtail routes a URL one segment at a time (a query per segment, and another for each
page's specific type). Every page's full URL path is stored on its row, so the page can
be found by that path directly: the home page of the language comes from this process's
memory (see core/fragments.py), an article (always /<section>/<slug>/) is one query
with its fields, anything else two. Addresses that match no page go through Wagtail's
own routing, so its behaviour (404s, custom routes) is kept.

Stories read for readers the page cache passes by (signed in, or the page cache off) are
kept in this process, up to a few megabytes, for as long as the content generation lasts
(every publish, unpublish, move or delete of a story moves it on, in every process:
core/generations.py), so a story read again costs no query; each request gets its own
copy of the row."""

from __future__ import annotations

import json
import threading

from django.db.models.base import ModelState
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from wagtail import views as wagtail_views
from wagtail.models import Page, Site
from wagtail.url_routing import RouteResult

from dateline.core import fragments
from dateline.core.prepared import PreparedFirst

from .models import ArticlePage, HomePage, SectionPage

# Asked on every uncached page view: compiled once (see core/prepared.py). A URL path
# names one page, so no order is needed.
_article_at = PreparedFirst(
    ArticlePage,
    lambda url_path: (
        ArticlePage.objects.filter(url_path=url_path).select_related("lead_image").order_by()
    ),
)
_page_at = PreparedFirst(Page, lambda url_path: Page.objects.filter(url_path=url_path).order_by())

# What the stories kept per process (by URL path, for one content generation) may take,
# counted by their text: a story is a few to some tens of kilobytes, so a few hundred.
KEPT_STORIES_BYTES = 4 * 1024 * 1024
# A story larger than this is read every time rather than crowd out the others.
LARGEST_KEPT_STORY_BYTES = KEPT_STORIES_BYTES // 16


def text_size(story: ArticlePage) -> int:
    """About what the row takes in memory: its text fields and its body as stored."""
    body = json.dumps(list(story.body.raw_data), default=str)
    return len(body) + sum(
        len(value) for value in story.__dict__.values() if isinstance(value, str)
    )


class _KeptStories:
    """Live stories as read from the database, for one content generation; the oldest
    kept goes first when full. Reads take no lock."""

    def __init__(self, max_bytes: int, largest: int) -> None:
        self.max_bytes = max_bytes
        self.largest = largest
        self._generation: int | None = None
        self._stories: dict[str, tuple[ArticlePage, int]] = {}
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, generation: int, url_path: str) -> ArticlePage | None:
        if generation != self._generation:
            return None
        kept = self._stories.get(url_path)
        return _copy_of(kept[0]) if kept is not None else None

    def keep(self, generation: int, url_path: str, story: ArticlePage) -> ArticlePage:
        """Keep `story` as read (unless it is too large) and hand back a copy for the
        request to use."""
        size = text_size(story)
        if size <= self.largest:
            with self._lock:
                if generation != self._generation:
                    self._generation, self._stories, self._bytes = generation, {}, 0
                previous = self._stories.pop(url_path, None)
                if previous is not None:
                    self._bytes -= previous[1]
                while self._stories and self._bytes + size > self.max_bytes:
                    self._bytes -= self._stories.pop(next(iter(self._stories)))[1]
                self._stories[url_path] = (story, size)
                self._bytes += size
        return _copy_of(story)


def _copy_of(story: ArticlePage) -> ArticlePage:
    """A copy of the kept row that one request may annotate (its parent, its fragment
    state, what its properties cache) without touching the kept one or another request's."""
    copy = ArticlePage.__new__(ArticlePage)
    copy.__dict__.update(story.__dict__)
    state = copy._state = ModelState()
    state.db, state.adding = story._state.db, False
    state.fields_cache = dict(story._state.fields_cache)
    return copy


kept_stories = _KeptStories(KEPT_STORIES_BYTES, LARGEST_KEPT_STORY_BYTES)


def _live_story_at(url_path: str) -> Page | None:
    generation = fragments.generation()
    story = kept_stories.get(generation, url_path)
    if story is not None:
        return story
    page = _article_at(url_path)
    if page is None or not page.live:
        return page
    if page.specific_class is not ArticlePage:
        return page.specific  # a live blog: its own fields and template, read every time
    return kept_stories.keep(generation, url_path, page)


def _homes_and_sections() -> tuple[dict[str, HomePage], dict[str, SectionPage]]:
    homes = {home.locale.language_code: home for home in HomePage.objects.select_related("locale")}
    sections = {section.path: section for section in SectionPage.objects.all()}
    return homes, sections


def route(request: HttpRequest, path: str) -> RouteResult | None:
    site = Site.find_for_request(request)
    if site is None:
        return None
    homes, sections = fragments.remembered_structure(("homes-and-sections",), _homes_and_sections)
    home = homes.get(get_language())
    components = [component for component in path.split("/") if component]
    if home is None or home.translation_key != site.root_page.translation_key:
        return None  # not this site's home: Wagtail routes it
    if not components:
        return RouteResult(home) if home.live else None
    url_path = f"{home.url_path}{'/'.join(components)}/"
    page: Page | None = None
    if len(components) == 2:
        page = _live_story_at(url_path)
    if page is None:
        found = _page_at(url_path)
        page = found.specific if found is not None else None
    if page is None or not page.live:
        return None
    parent = sections.get(page.path[: -Page.steplen]) if page.depth > home.depth + 1 else home
    if parent is not None:
        page._cached_parent_obj = parent  # treebeard's get_parent() uses it: no query
    return RouteResult(page)


def serve(request: HttpRequest, path: str) -> HttpResponse:
    """Wagtail's serve view, with the route found by `route` where it can be."""
    if not hasattr(request, "_wagtail_route_for_request"):
        found = route(request, path)
        if found is not None:
            request._wagtail_route_for_request = found
    return wagtail_views.serve(request, path)
