"""Wire ingest: how fast a 1,000-item feed comes into Incoming, what a poll that finds
nothing new costs, and how fast items become drafts, on SQLite (the README's default),
in one process as the worker runs it.

The feed is served from loopback with an ETag, as agencies' feeds are. Baseline: reading
the same feed (feedparser alone, no database), so the ratio shows what taking the items
costs on top of understanding them."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from common import write_section

ITEMS = int(os.environ.get("BENCH_INGEST_ITEMS", "1000"))
DRAFTS = int(os.environ.get("BENCH_INGEST_DRAFTS", "100"))
RUNS = 5


def feed(items: int, generation: int = 0) -> bytes:
    start = datetime(2026, 12, 1, tzinfo=UTC)
    entries = []
    for n in range(items):
        when = format_datetime(start + timedelta(minutes=n))
        entries.append(
            f"<item><title>Wire story {n} of generation {generation}</title>"
            f"<link>https://wire.example.org/{generation}/{n}</link>"
            f"<guid>wire-{generation}-{n}</guid><pubDate>{when}</pubDate>"
            f"<description>Summary of story {n}.</description>"
            f"<content:encoded><![CDATA[<p>First paragraph of story {n}, long enough to "
            f"read like agency copy about the harbour and the weather.</p><h2>More</h2>"
            f"<p>Second paragraph {n} with <b>bold</b> and a "
            f'<a href="https://example.org/{n}">link</a>.</p>]]></content:encoded></item>'
        )
    return (
        '<?xml version="1.0"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Bench</title>'
        f"<language>en</language>{''.join(entries)}</channel></rss>"
    ).encode()


class Wire:
    def __init__(self) -> None:
        self.body = b""
        self.etag = '"0"'
        self.requests = 0
        self.bytes_sent = 0
        wire = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                wire.requests += 1
                if self.headers.get("If-None-Match") == wire.etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("ETag", wire.etag)
                self.send_header("Content-Length", str(len(wire.body)))
                self.end_headers()
                self.wfile.write(wire.body)
                wire.bytes_sent += len(wire.body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/feed.rss"


def setup_django(data_dir: str) -> None:
    os.environ["DATELINE_DATA_DIR"] = data_dir
    os.environ["DATELINE_INGEST_PRIVATE_NETWORKS"] = "127.0.0.0/8"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dateline.settings.base")
    os.environ["DATELINE_LOG_LEVEL"] = "ERROR"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)


def main() -> None:
    data_dir = tempfile.mkdtemp(prefix="bench-ingest-")
    setup_django(data_dir)
    import feedparser
    from wagtail.models import Locale

    from dateline.ingest import services
    from dateline.ingest.models import IncomingItem, Source, SourceFormat
    from dateline.news import services as news

    home = news.ensure_site()
    section = news.create_section(home, title="Wire", slug="wire", description="Bench.")
    locale = Locale.objects.get(language_code="en")
    wire = Wire()

    take_rates, parse_rates, unchanged_ms, known_ms = [], [], [], []
    for run in range(RUNS):
        IncomingItem.objects.all().delete()
        Source.objects.all().delete()
        wire.body, wire.etag = feed(ITEMS, run), f'"{run}"'
        source = Source.objects.create(
            name=f"Bench {run}",
            format=SourceFormat.FEED,
            url=wire.url,
            locale=locale,
            section=section,
        )
        started = time.perf_counter()
        feedparser.parse(wire.body)
        parse_rates.append(ITEMS / (time.perf_counter() - started) * 60)

        started = time.perf_counter()
        result = services.poll(source)
        took = time.perf_counter() - started
        assert len(result.new) == ITEMS and not result.error, result.error
        take_rates.append(ITEMS / took * 60)

        source.refresh_from_db()
        asked, sent = wire.requests, wire.bytes_sent
        started = time.perf_counter()
        result = services.poll(source)
        unchanged_ms.append((time.perf_counter() - started) * 1000)
        assert result.not_modified and wire.requests == asked + 1 and wire.bytes_sent == sent

        # A server without ETags: the whole feed again, every item already known.
        wire.etag = f'"{run}-again"'
        source.refresh_from_db()
        started = time.perf_counter()
        result = services.poll(source)
        known_ms.append((time.perf_counter() - started) * 1000)
        assert result.new == []

    items = list(IncomingItem.objects.all()[:DRAFTS])
    started = time.perf_counter()
    for item in items:
        services.open_as_draft(item)
    draft_rate = len(items) / (time.perf_counter() - started) * 60

    median = statistics.median
    rows = [
        "| what | result | baseline | ratio |",
        "|---|---|---|---|",
        f"| {ITEMS:,}-item feed into Incoming (fetch, parse, clean, de-duplicate, store) "
        f"| {median(take_rates):,.0f} items/min | feedparser alone: "
        f"{median(parse_rates):,.0f} items/min | {median(parse_rates) / median(take_rates):.1f}× "
        "slower than parsing alone |",
        f"| poll of that feed, unchanged (ETag answered 304) | {median(unchanged_ms):.1f} ms, "
        "1 request, 0 bytes of body | first poll: "
        f"{ITEMS / median(take_rates) * 60 * 1000:,.0f} ms | "
        f"{ITEMS / median(take_rates) * 60 * 1000 / median(unchanged_ms):,.0f}× cheaper |",
        f"| poll of that feed from a server without ETags, every item known "
        f"| {median(known_ms):,.0f} ms | first poll | "
        f"{ITEMS / median(take_rates) * 60 * 1000 / median(known_ms):.1f}× cheaper |",
        f"| items opened as drafts (story page, revision, search index) "
        f"| {draft_rate:,.0f} drafts/min | | |",
    ]
    body = (
        "## Wire ingest: a 1,000-item feed, and a poll that finds nothing new "
        "(`bench/ingest_bench.py`)\n\n"
        f"SQLite (the default), one process as the worker runs it; median of {RUNS} runs; "
        "the feed served from loopback.\n\n" + "\n".join(rows)
    )
    write_section("ingest", body)
    print(body)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    main()
