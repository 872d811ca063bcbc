"""A wire service on loopback for the ingest tests: it serves what a test puts in its
routes, records every request, and can misbehave (redirect forever, never answer, send
50 MB)."""

from __future__ import annotations

import io
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PIL import Image

from dateline.ingest.models import IncomingItem, Source, SourceFormat

SAMPLES = Path(__file__).parents[2] / "src" / "dateline" / "demo" / "content" / "wire"
FIXTURES = Path(__file__).parent / "fixtures"


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "application/xml"
    etag: str = ""
    location: str = ""  # answer 302 to here
    # "loop": redirect to itself; "hang": say nothing for a long time; "huge": 50 MB.
    behaviour: str = ""


@dataclass
class WireService:
    base: str
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[tuple[str, dict]] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def serve(self, path: str, body: bytes | str, **options) -> str:
        self.routes[path] = Route(body.encode() if isinstance(body, str) else body, **options)
        return self.url(path)

    def asked(self, path: str) -> list[dict]:
        return [headers for asked, headers in self.requests if asked == path]


def sample(name: str) -> bytes:
    return next(SAMPLES.glob(f"*/{name}")).read_bytes()


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def jpeg(width: int = 640, height: int = 360) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (30, 90, 150)).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def wire(settings):
    settings.DATELINE_INGEST_TIMEOUT = 1
    stop = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:
            service.requests.append((self.path, dict(self.headers)))
            route = service.routes.get(self.path)
            if route is None:
                self.send_error(404)
                return
            if route.behaviour == "loop" or route.location:
                self.send_response(302)
                self.send_header("Location", route.location or self.path)
                self.end_headers()
                return
            if route.behaviour == "hang":
                stop.wait(120)
                return
            if route.etag and self.headers.get("If-None-Match") == route.etag:
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            if route.etag:
                self.send_header("ETag", route.etag)
            if route.behaviour == "huge":
                self.end_headers()  # no length: the reader has to count
                chunk = b"<item><title>x</title></item>" * 2000
                try:
                    for _ in range(50 * 1024 * 1024 // len(chunk)):
                        self.wfile.write(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                return
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            self.wfile.write(route.body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    service = WireService(base=f"http://127.0.0.1:{server.server_port}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield service
    stop.set()
    server.shutdown()
    server.server_close()
    time.sleep(0)


@pytest.fixture
def feed_source(db, locale, world, wire):
    def make(path: str = "/feed.rss", **fields) -> Source:
        defaults = {
            "name": f"Source {path}",
            "format": SourceFormat.FEED,
            "url": wire.url(path),
            "locale": locale("en"),
            "section": world,
        }
        return Source.objects.create(**{**defaults, **fields})

    return make


@pytest.fixture(autouse=True)
def empty_wire(request):
    """The demo's own sources and items are not part of these tests."""
    if "db" in request.fixturenames or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
        IncomingItem.objects.all().delete()
        Source.objects.all().delete()
