"""A live blog under its readers: 2,000 open pages polling its list of updates at the
interval the page uses, while an editor posts an update every 5 s, through the page cache
(the settings `dateline serve` runs with), one app worker on one core.

Measured: the requests per second the app serves, errors, the delay from a post to each
reader's page having it (p50/p95), and the app's CPU per reader. The baseline is nginx on
the same core serving the same bytes to the same readers: its CPU for the same load."""

from __future__ import annotations

import asyncio
import gzip
import json
import os
import random
import re
import subprocess
import time
import urllib.request
from pathlib import Path

from common import LOAD_CORE, StaticBaseline, ensure_tools, write_section

# A site of its own: one made by an older demo may have no live blog.
os.environ.setdefault("BENCH_PAGES_DATA", str(Path(__file__).parent.parent / "var/bench-live"))
from pages_bench import DATELINE, PORT, Server, environment, prepare_site  # noqa: E402

READERS = int(os.environ.get("BENCH_LIVE_READERS", "2000"))
SECONDS = int(os.environ.get("BENCH_LIVE_SECONDS", "60"))
POST_EVERY = 5
NEWEST_ID = re.compile(rb'"updates": \[\{"id": (\d+)')

FIND_BLOG = """
from dateline.news.models import LiveBlogPage
from dateline.news.streams import POLL_SECONDS
blog = next(b for b in LiveBlogPage.objects.live().filter(locale__language_code="en")
            if b.is_covering)
print(blog.pk, POLL_SECONDS)
"""

EDITOR = """
import time
from dateline.news import live
from dateline.news.models import LiveBlogPage
blog = LiveBlogPage.objects.get(pk={blog_id})
time.sleep(2)
for n in range({count}):
    update = live.post_update(blog, body=f"<p>Bench update {{n}}.</p>")
    print("posted", update.pk, time.time(), flush=True)
    time.sleep({every})
"""


def process_cpu_seconds(pid: int) -> float:
    """CPU time of a process and everything it started, so far."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pending = [str(pid)]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
        children = subprocess.run(["pgrep", "-P", current], capture_output=True, text=True)
        pending += children.stdout.split()
    return total


class Readers:
    """Open pages: each asks at its own moment of every interval, on a connection it keeps."""

    def __init__(self, host: str, port: int, path: str, interval: float) -> None:
        self.host, self.port, self.path, self.interval = host, port, path, interval
        self.answered = 0
        self.errors = 0
        self.waits: list[float] = []  # seconds from asking to the whole answer
        self.seen: list[list[tuple[float, int]]] = [[] for _ in range(READERS)]

    async def _ask(self, streams) -> bytes:
        reader, writer = streams
        writer.write(
            f"GET {self.path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            "Accept-Encoding: gzip\r\n\r\n".encode()
        )
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = int(re.search(rb"(?i)content-length: (\d+)", head).group(1))
        body = await reader.readexactly(length)
        if status != 200:
            raise RuntimeError(f"status {status}")
        return gzip.decompress(body) if b"content-encoding: gzip" in head.lower() else body

    async def _reader(self, number: int, until: float) -> None:
        await asyncio.sleep(random.uniform(0, self.interval))
        streams = None
        newest = 0
        while time.time() < until:
            started = time.monotonic()
            try:
                if streams is None:
                    streams = await asyncio.open_connection(self.host, self.port)
                body = await self._ask(streams)
                self.answered += 1
                self.waits.append(time.monotonic() - started)
                found = NEWEST_ID.search(body)
                if found and int(found.group(1)) != newest:
                    newest = int(found.group(1))
                    self.seen[number].append((time.time(), newest))
            except (OSError, RuntimeError, asyncio.IncompleteReadError, AttributeError):
                self.errors += 1
                if streams is not None:
                    streams[1].close()
                streams = None
            await asyncio.sleep(max(0.0, self.interval - (time.monotonic() - started)))
        if streams is not None:
            streams[1].close()

    def run(self, seconds: float) -> None:
        until = time.time() + seconds

        async def everyone() -> None:
            await asyncio.gather(*(self._reader(n, until) for n in range(READERS)))

        asyncio.run(everyone())


def delays(readers: Readers, posts: dict[int, float], started: float) -> list[float]:
    """For each reader and each post made while it read: how long until its page had it."""
    found = []
    for seen in readers.seen:
        for update_id, posted_at in posts.items():
            first = next((at for at, newest in seen if newest >= update_id), None)
            if first is not None and posted_at > started:
                found.append(max(0.0, first - posted_at))
    return sorted(found)


def percentile(values: list[float], share: float) -> float:
    return values[min(len(values) - 1, int(share * len(values)))] if values else float("nan")


def run_against_app(blog_id: int, poll_seconds: int) -> dict:
    server = Server(None)
    path = f"/en/live/{blog_id}/updates.json"
    try:
        editor = subprocess.Popen(
            [
                "taskset",
                "-c",
                LOAD_CORE,
                DATELINE,
                "manage",
                "shell",
                "-c",
                EDITOR.format(blog_id=blog_id, count=SECONDS // POST_EVERY, every=POST_EVERY),
            ],
            env=environment(),
            stdout=subprocess.PIPE,
            text=True,
        )
        readers = Readers("127.0.0.1", PORT, path, poll_seconds)
        cpu_before, started = process_cpu_seconds(server.process.pid), time.time()
        os.sched_setaffinity(0, {int(LOAD_CORE)})
        readers.run(SECONDS)
        cpu = process_cpu_seconds(server.process.pid) - cpu_before
        elapsed = time.time() - started  # a little over SECONDS: the last answers
        editor.terminate()
        out, _ = editor.communicate(timeout=30)
    finally:
        server.stop()
    posts = {
        int(update_id): float(at)
        for update_id, at in re.findall(r"^posted (\d+) ([\d.]+)$", out, re.M)
    }
    waits = delays(readers, posts, started)
    return {
        "requests_per_second": readers.answered / SECONDS,
        "errors": readers.errors,
        "answer_p95_ms": percentile(sorted(readers.waits), 0.95) * 1000,
        "posts": len(posts),
        "p50": percentile(waits, 0.5),
        "p95": percentile(waits, 0.95),
        "cpu_share": cpu / elapsed,
    }


def run_against_nginx(body: bytes, poll_seconds: int) -> dict:
    with StaticBaseline(body, port=18681, connections=READERS * 2) as nginx:
        pid = int((nginx.root / "nginx.pid").read_text())
        readers = Readers("127.0.0.1", 18681, "/page.html", poll_seconds)
        cpu_before, started = process_cpu_seconds(pid), time.time()
        readers.run(min(SECONDS, 30))
        cpu = process_cpu_seconds(pid) - cpu_before
        elapsed = time.time() - started
    return {
        "requests_per_second": readers.answered / min(SECONDS, 30),
        "errors": readers.errors,
        "answer_p95_ms": percentile(sorted(readers.waits), 0.95) * 1000,
        "cpu_share": cpu / elapsed,
    }


def main() -> None:
    ensure_tools()
    prepare_site()
    found = subprocess.run(
        [DATELINE, "manage", "shell", "-c", FIND_BLOG],
        env=environment(),
        capture_output=True,
        text=True,
        check=True,
    )
    blog_id, poll_seconds = (int(n) for n in found.stdout.split()[-2:])
    server = Server(None)
    try:
        address = f"http://127.0.0.1:{PORT}/en/live/{blog_id}/updates.json"
        with urllib.request.urlopen(address) as answer:
            body = answer.read()
    finally:
        server.stop()
    app = run_against_app(blog_id, poll_seconds)
    nginx = run_against_nginx(body, poll_seconds)
    per_thousand = app["cpu_share"] * 1000 / READERS * 100
    nginx_per_thousand = nginx["cpu_share"] * 1000 / READERS * 100
    ratio = app["cpu_share"] / nginx["cpu_share"] if nginx["cpu_share"] else float("inf")
    print(json.dumps({"app": app, "nginx": nginx}, indent=2))
    write_section(
        "live",
        f"""
## A live blog under its readers (`bench/live_bench.py`)

{READERS:,} open pages poll `/en/live/<id>/updates.json` every {poll_seconds} s (the page's
interval, each at its own moment) for {SECONDS} s while an editor posts an update every
{POST_EVERY} s; one app worker on one core, the page cache on (the default). Baseline: nginx
on the same core serving the same bytes to the same readers.

| | app (page cache on) | nginx, same bytes |
|---|---|---|
| requests/s served | {app["requests_per_second"]:.0f} | {nginx["requests_per_second"]:.0f} |
| errors | {app["errors"]} | {nginx["errors"]} |
| answer time, p95 | {app["answer_p95_ms"]:.1f} ms | {nginx["answer_p95_ms"]:.1f} ms |
| updates posted | {app["posts"]} | – |
| delay from post to a reader's page, p50 / p95 | {app["p50"]:.2f} s / {app["p95"]:.2f} s | – |
| CPU, share of one core | {app["cpu_share"] * 100:.1f}% | {nginx["cpu_share"] * 100:.1f}% |
| CPU per 1,000 readers | {per_thousand:.1f}% of a core | {nginx_per_thousand:.1f}% of a core |

The app spends {ratio:.1f}× nginx's CPU for the same readers. The delay is mostly the wait
for a page's next ask (up to {poll_seconds} s); the first reader after a post may get the
copy from before it while the new one is made, and sees the post at its next ask.
Before `DATELINE_MAX_CONNECTIONS` (the server then kept 1,024 connections per process,
idle ones included), the same run on 2026-12-04 answered 5% of asks after 17 s or more.
""",
    )


if __name__ == "__main__":
    main()
