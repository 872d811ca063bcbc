"""The page cache in front of Django: anonymous GET and HEAD requests for public pages,
feeds, sitemaps and API reads are answered from cached bytes without entering Django.

A cached copy is fresh while the content generation it was rendered at is current and
it is younger than `fresh_seconds`. When it goes stale, readers get the stale copy while
one render (the holder of the page's render lock, in a background thread) makes the new
one; when there is no copy at all, one reader renders and the others wait for it. A copy
made before a story was taken down (the generation's floor) is never served, not even
stale: the first reader after the takedown waits for a new render."""

from __future__ import annotations

import hashlib
import io
import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime

from dateline.core.generations import FOLLOWS_HEADER, Named, parse_follows

from . import policy
from .compression import encodings_for
from .store import Entry, LocalStore, RenderLocks, SharedStore

logger = logging.getLogger(__name__)
render_log = logging.getLogger("dateline.pagecache.renders")

MAX_CACHED_BODY = 4 * 1024 * 1024
WAIT_FOR_RENDER_SECONDS = 10.0
# Addresses whose answers may not be cached go straight to Django for a while.
UNCACHEABLE_SECONDS = 60.0
MAX_UNCACHEABLE_REMEMBERED = 10_000
REASONS = {200: "OK", 301: "Moved Permanently", 304: "Not Modified", 404: "Not Found"}
_FOLLOWS = FOLLOWS_HEADER.lower()
# Headers that belong to one response on one connection, never to a stored copy.
_NOT_STORED = frozenset(
    {"date", "connection", "keep-alive", "content-length", "transfer-encoding", "vary"}
)


@dataclass(frozen=True)
class PageCacheConfig:
    fresh_seconds: float
    stale_seconds: float
    cache_control: str
    bypass_cookies: tuple[str, ...]


class PageCache:
    def __init__(
        self,
        app: Callable,
        config: PageCacheConfig,
        generation: Named,
        local: LocalStore,
        shared: SharedStore | None,
        locks: RenderLocks,
        revalidate_in_background: bool = True,
    ) -> None:
        self.app = app
        self.config = config
        self.generation = generation
        self.local = local
        self.shared = shared
        self.locks = locks
        self.uncacheable: dict[str, float] = {}
        self.revalidator = Revalidator(self) if revalidate_in_background else None

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if not policy.is_cacheable_request(environ, self.config.bypass_cookies):
            return self.app(environ, start_response)
        key = policy.request_key(environ)
        if self.uncacheable and self._passes_through(key):
            return self.app(environ, start_response)
        generation = self.generation.current()
        # Most answers: this process holds a fresh copy, and the shared store is not asked.
        entry = self.local.get(key)
        if entry is not None and entry.is_fresh(
            generation, time.time(), self.config.fresh_seconds, self._current_of
        ):
            return self._serve(key, entry, environ, start_response, "hit")
        entry = self._lookup(key, generation)
        if entry is not None and entry.is_fresh(
            generation, time.time(), self.config.fresh_seconds, self._current_of
        ):
            return self._serve(key, entry, environ, start_response, "hit")
        if self.revalidator is not None and self._usable(entry):
            # Stale while revalidating: this reader gets the copy at once, and a thread of
            # this process renders the new one unless another render is under way.
            if self.locks.try_acquire(key) and not self.revalidator.submit(key, environ, entry):
                self.locks.release(key)
            return self._serve(key, entry, environ, start_response, "stale")
        if self.locks.try_acquire(key):
            try:
                return self._refresh(key, environ, start_response, entry)
            finally:
                self.locks.release(key)
        if self._usable(entry):
            return self._serve(key, entry, environ, start_response, "stale")
        return self._wait_for_render(key, environ, start_response, entry)

    @property
    def fresh_seconds(self) -> float:
        return self.config.fresh_seconds

    def _current_of(self, name: str) -> int:
        return self.generation.backend.current(name)

    def _usable(self, entry: Entry | None) -> bool:
        return (
            entry is not None
            and time.time() - entry.stored_at < self.config.stale_seconds
            and entry.generation >= self.generation.floor()
        )

    def _lookup(self, key: str, generation: int | None = None) -> Entry | None:
        """This process's copy, or the shared store's when it is newer; `generation` is
        the current one when the caller has just read it."""
        entry = self.local.get(key)
        if generation is None:
            generation = self.generation.current()
        if entry is not None and entry.is_fresh(generation, 0.0, float("inf"), self._current_of):
            return entry
        if self.shared is not None:
            shared_entry = self.shared.get(key)
            if shared_entry is not None and (
                entry is None or shared_entry.stored_at > entry.stored_at
            ):
                self.local.put(key, shared_entry)
                return shared_entry
        return entry

    def _wait_for_render(self, key, environ, start_response, entry):
        """No usable copy and someone else is rendering: wait for theirs, briefly."""
        deadline = time.monotonic() + WAIT_FOR_RENDER_SECONDS
        while time.monotonic() < deadline:
            candidate = self._lookup(key)
            if self._newer(candidate, entry) and candidate.generation >= self.generation.floor():
                return self._serve(key, candidate, environ, start_response, "waited")
            if self._passes_through(key):
                return self.app(environ, start_response)
            if self.locks.try_acquire(key):
                try:
                    return self._refresh(key, environ, start_response, entry)
                finally:
                    self.locks.release(key)
            time.sleep(0.01)
        return self._refresh(key, environ, start_response, entry)

    @staticmethod
    def _newer(candidate: Entry | None, entry: Entry | None) -> bool:
        return candidate is not None and (entry is None or candidate.stored_at > entry.stored_at)

    def _passes_through(self, key: str) -> bool:
        """Whether this address recently answered with something that may not be kept."""
        until = self.uncacheable.get(key)
        if until is None:
            return False
        if until < time.monotonic():
            self.uncacheable.pop(key, None)
            return False
        return True

    def _remember_uncacheable(self, key: str) -> None:
        if len(self.uncacheable) >= MAX_UNCACHEABLE_REMEMBERED:
            self.uncacheable.clear()
        self.uncacheable[key] = time.monotonic() + UNCACHEABLE_SECONDS

    def _refresh(self, key: str, environ: dict, start_response, previous: Entry | None):
        # Another process may have rendered it while this one waited for the lock.
        generation = self.generation.current()
        current = self._lookup(key)
        if current is not None and current.is_fresh(
            generation, time.time(), self.fresh_seconds, self._current_of
        ):
            return self._serve(key, current, environ, start_response, "hit")
        status, headers, body, entry = self._render_and_store(key, environ, previous, generation)
        if entry is not None:
            return self._serve(key, entry, environ, start_response, "miss")
        if int(status.split(" ", 1)[0]) >= 500 and self._usable(previous):
            logger.warning("serving a stale copy of %s after a %s", key, status)
            return self._serve(key, previous, environ, start_response, "stale")
        start_response(status, headers)
        return [] if environ.get("REQUEST_METHOD") == "HEAD" else body

    def revalidate(self, key: str, environ: dict, previous: Entry) -> None:
        """Render a stale page again outside any reader's request (see Revalidator)."""
        generation = self.generation.current()
        current = self._lookup(key)
        if current is not None and current.is_fresh(
            generation, time.time(), self.fresh_seconds, self._current_of
        ):
            return  # a reader saw the stale copy just before the last render stored its own
        status, _headers, _body, entry = self._render_and_store(key, environ, previous, generation)
        if entry is None and status.startswith("5"):
            logger.warning("%s failed to render (%s); its previous copy stays", key, status)

    def _render_and_store(self, key: str, environ: dict, previous, generation: int):
        """Render the page; keep it if it may be kept. Returns Django's status, headers
        and body, and the new entry (None when nothing was kept)."""
        status, headers, body, complete = self._render(environ)
        code = int(status.split(" ", 1)[0])
        if not complete or not policy.is_cacheable_response(code, headers):
            if complete and code < 500:
                self._remember_uncacheable(key)
            return status, headers, body, None
        entry = self._make_entry(generation, status, headers, b"".join(body), previous)
        self.local.put(key, entry)
        if self.shared is not None:
            self.shared.put(key, entry)
        render_log.info("rendered %s at generation %s", key, generation)
        return status, headers, body, entry

    def _render(self, environ: dict):
        """Django's answer, fully read: the status, headers, body chunks, and whether the
        whole body fit in what may be cached."""
        inner = dict(environ)
        inner["REQUEST_METHOD"] = "GET"  # a HEAD is answered from the GET's copy
        for name in ("HTTP_ACCEPT_ENCODING", "HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE"):
            inner.pop(name, None)
        captured: list = []

        def capture(status, headers, exc_info=None):
            captured[:] = [status, list(headers)]
            return lambda data: None

        result = self.app(inner, capture)
        chunks: list[bytes] = []
        size = 0
        complete = True
        try:
            for chunk in result:
                chunks.append(chunk)
                size += len(chunk)
                if size > MAX_CACHED_BODY:
                    complete = False
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        return captured[0], captured[1], chunks, complete

    def _make_entry(self, generation, status, headers, body, previous) -> Entry:
        given = {name.lower(): value for name, value in headers}
        stored = [
            (name, value)
            for name, value in headers
            if name.lower() not in _NOT_STORED
            and name.lower() not in {"etag", "last-modified", _FOLLOWS}
        ]
        content_type = given.get("content-type", "")
        etag = given.get("etag") or (
            'W/"' + hashlib.sha1(body, usedforsecurity=False).hexdigest()[:20] + '"'
        )
        now = time.time()
        # The same bytes as before keep their date, so conditional requests still match.
        if "last-modified" in given:
            last_modified = given["last-modified"]
        elif previous is not None and previous.etag == etag:
            last_modified = previous.last_modified
        else:
            last_modified = formatdate(now, usegmt=True)
        if not any(name.lower() == "cache-control" for name, _ in stored):
            stored.append(("Cache-Control", self.config.cache_control))
        stored += [("ETag", etag), ("Last-Modified", last_modified)]
        return Entry(
            follows=parse_follows(given.get(_FOLLOWS, "")),
            generation=generation,
            stored_at=now,
            status=status,
            headers=stored,
            bodies=encodings_for(body, policy.is_compressible(content_type)),
            etag=etag,
            last_modified=last_modified,
        )

    def _serve(self, key: str, entry: Entry, environ: dict, start_response, outcome: str):
        if (
            "HTTP_IF_NONE_MATCH" in environ or "HTTP_IF_MODIFIED_SINCE" in environ
        ) and _not_modified(entry, environ):
            headers = [
                (name, value)
                for name, value in entry.headers
                if name.lower() in {"cache-control", "etag", "last-modified", "expires"}
            ]
            start_response("304 Not Modified", [*headers, ("X-Cache", outcome)])
            return []
        accept_encoding = environ.get("HTTP_ACCEPT_ENCODING")
        encoding = (
            policy.preferred_encoding(accept_encoding, entry.bodies)
            if accept_encoding
            else "identity"
        )
        if encoding not in entry.bodies:
            # Kept for the next such client: the copy grows by its plain body only
            # where one asked for it.
            plain = entry.with_identity()
            self.local.replace(key, entry, plain)
            entry = plain
        start_response(entry.status, entry.headers_for(encoding, outcome))
        return [] if environ.get("REQUEST_METHOD") == "HEAD" else [entry.bodies[encoding]]


def _not_modified(entry: Entry, environ: dict) -> bool:
    if not entry.status.startswith("200"):
        return False
    if_none_match = environ.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or entry.etag.removeprefix("W/") in tags
    if_modified_since = environ.get("HTTP_IF_MODIFIED_SINCE")
    if if_modified_since:
        try:
            since = parsedate_to_datetime(if_modified_since)
            return parsedate_to_datetime(entry.last_modified) <= since
        except (TypeError, ValueError, IndexError):
            return False
    return False


class Revalidator:
    """One thread per process that renders stale pages again, so no reader waits for a
    page that has a copy to give. Its queue is bounded; when full, readers still get the
    stale copy and a later request tries again."""

    def __init__(self, page_cache: PageCache, max_waiting: int = 256) -> None:
        self.page_cache = page_cache
        self.queue: queue.Queue = queue.Queue(maxsize=max_waiting)
        self.thread = threading.Thread(target=self._run, name="page-revalidator", daemon=True)
        self.thread.start()

    def submit(self, key: str, environ: dict, previous: Entry) -> bool:
        request = {name: value for name, value in environ.items() if name != "wsgi.input"}
        request["wsgi.input"] = io.BytesIO(b"")
        try:
            self.queue.put_nowait((key, request, previous))
        except queue.Full:
            return False
        return True

    def _run(self) -> None:
        while True:
            key, environ, previous = self.queue.get()
            try:
                self.page_cache.revalidate(key, environ, previous)
            except Exception:
                logger.exception("rendering %s again failed", key)
            finally:
                self.page_cache.locks.release(key)
                self.queue.task_done()
