"""The page cache around Django's own WSGI handler, called in this process and inside the
test's transaction, so tests see what a reader would get from `dateline serve`."""

from __future__ import annotations

import gzip
import io
import uuid
from dataclasses import dataclass
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from dateline.pagecache.layer import PageCache, PageCacheConfig
from dateline.pagecache.runtime import cache_control_header, content_generation
from dateline.pagecache.store import LocalStore, RenderLocks, SharedStore


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    raw: bytes

    @property
    def body(self) -> bytes:
        encoding = self.headers.get("content-encoding")
        if encoding == "gzip":
            return gzip.decompress(self.raw)
        if encoding == "br":
            import brotli

            return brotli.decompress(self.raw)
        return self.raw

    @property
    def text(self) -> str:
        return self.body.decode()

    @property
    def outcome(self) -> str | None:
        return self.headers.get("x-cache")


def call(app, path: str, method: str = "GET", headers: dict | None = None) -> Answer:
    path, _, query = path.partition("?")
    environ = {"PATH_INFO": path, "QUERY_STRING": query, "REQUEST_METHOD": method}
    environ["wsgi.input"] = io.BytesIO(b"")
    for name, value in (headers or {}).items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    setup_testing_defaults(environ)
    captured = {}

    def start_response(status, response_headers, exc_info=None):
        captured["status"] = int(status.split()[0])
        captured["headers"] = {name.lower(): value for name, value in response_headers}

    # As Django's test client does: the test's transaction must outlive the request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        result = app(environ, start_response)
        try:
            raw = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return Answer(captured["status"], captured["headers"], raw)


def build_page_cache(app, tmp_path, fresh_seconds: float = 300) -> PageCache:
    config = PageCacheConfig(
        fresh_seconds=fresh_seconds,
        stale_seconds=3600,
        cache_control=cache_control_header(),
        bypass_cookies=("sessionid=", "csrftoken=", "messages="),
    )
    shared = LocMemCache(f"pages-{uuid.uuid4().hex}", {})
    return PageCache(
        app,
        config,
        generation=content_generation(),
        local=LocalStore(64 * 1024 * 1024),
        shared=SharedStore(shared, keep_seconds=3600),
        locks=RenderLocks(tmp_path / "locks"),
        # A thread of its own could not see this test's uncommitted data.
        revalidate_in_background=False,
    )


@pytest.fixture
def site(db, tmp_path, django_capture_on_commit_callbacks):
    """A reader's view of the site through the page cache. Changes made inside
    `site.changes()` commit (as far as the cache can tell) when the block ends."""

    class Site:
        app = build_page_cache(WSGIHandler(), tmp_path)

        def get(self, path: str, **headers) -> Answer:
            return call(
                self.app, path, headers={k.replace("_", "-"): v for k, v in headers.items()}
            )

        def head(self, path: str) -> Answer:
            return call(self.app, path, method="HEAD")

        def changes(self):
            return django_capture_on_commit_callbacks(execute=True)

    return Site()
