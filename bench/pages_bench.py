"""Pages under load, one app worker on one core, against nginx serving the same bytes.

Targets (issue 6): a cached article page at least 50% of nginx's requests/s with p99 under
10 ms; an uncached article at least 0.6% of nginx; a spike of 256 connections on the home
page for 30 s while an editor publishes every 5 s with no error and p99 under 100 ms;
renders per publish and memory per worker recorded. Also the `--threads` setting that
`dateline serve` uses by default, chosen here."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import urllib.request
import uuid
from pathlib import Path

from common import (
    LOAD_CORE,
    SERVER_CORE,
    StaticBaseline,
    WrkResult,
    ensure_tools,
    wait_until_serving,
    write_section,
    wrk,
)

DATELINE = str(Path(sys.executable).with_name("dateline"))
PORT = 18601
NGINX_PORT = 18680
DATA_DIR = Path(
    os.environ.get("BENCH_PAGES_DATA", Path(__file__).parent.parent / "var/bench-pages")
)
SPIKE_SECONDS = int(os.environ.get("BENCH_SPIKE_SECONDS", "30"))
PUBLISH_EVERY = 5
# Each figure is the middle of this many runs: the machine is shared, and a single run can
# land on a busy moment of another tenant.
RUNS = int(os.environ.get("BENCH_PAGES_RUNS", "3"))
THREAD_CHOICES = tuple(int(n) for n in os.environ.get("BENCH_THREADS", "1,2,4,8").split(","))

PUBLISHER = """
import time
from dateline.news import services
from dateline.news.models import ArticlePage, SectionPage
section = SectionPage.objects.get(slug="world", locale__language_code="en")
time.sleep(1)
for n in range({count}):
    story = ArticlePage(title=f"Spike story {{n}}", slug=f"spike-{run}-{{n}}",
                        standfirst="Published during the spike.",
                        body=[("paragraph", "<p>Breaking.</p>")])
    section.add_child(instance=story)
    services.publish(story)
    print("published", time.time(), flush=True)
    time.sleep({every})
"""


def environment(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("DATELINE_") and k not in {"DATABASE_URL", "REDIS_URL"}
    }
    env.update(
        DATELINE_DATA_DIR=str(DATA_DIR),
        DATELINE_BASE_URL=f"http://127.0.0.1:{PORT}",
        DATELINE_LOG_LEVEL="WARNING",
    )
    env.update(extra)
    return env


def prepare_site() -> None:
    if not (DATA_DIR / "dateline.sqlite3").exists():
        print("loading the demo site for the page benchmark…", flush=True)
    subprocess.run(
        [DATELINE, "setup", "--demo"], env=environment(), check=True, capture_output=True
    )


class Server:
    """`dateline serve` with one worker on the server core; `threads=None` keeps the
    default that `dateline serve` runs with."""

    def __init__(self, threads: int | None, **extra: str) -> None:
        self.log = DATA_DIR / "bench-server.log"
        thread_option = [] if threads is None else ["--threads", str(threads)]
        self.process = subprocess.Popen(
            [
                "taskset",
                "-c",
                SERVER_CORE,
                DATELINE,
                "serve",
                "--port",
                str(PORT),
                "--workers",
                "1",
                *thread_option,
                "--no-scheduler",
            ],
            env=environment(**extra),
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
        )
        wait_until_serving(f"http://127.0.0.1:{PORT}/robots.txt", self.process, self.log)

    def worker_rss_mb(self) -> list[float]:
        children = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True
        ).stdout.split()
        sizes = []
        for pid in children:
            status = Path(f"/proc/{pid}/status").read_text()
            sizes.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024)
        return sizes

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def article_path() -> str:
    out = subprocess.run(
        [
            DATELINE,
            "manage",
            "shell",
            "--no-imports",
            "-c",
            "from dateline.news.models import ArticlePage\n"
            "print(ArticlePage.objects.live().filter(locale__language_code='en')"
            ".order_by('-first_published_at').first().url)",
        ],
        env=environment(),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return out.strip().splitlines()[-1]


def median_run(url: str) -> WrkResult:
    """The middle of `RUNS` ten-second runs, by requests/s."""
    results = sorted(
        (wrk(url, connections=32, seconds=10) for _ in range(RUNS)),
        key=lambda result: result.requests_per_second,
    )
    return results[len(results) // 2]


def measure_article(url: str, threads: int, cached: bool, **extra: str) -> WrkResult:
    server = Server(threads, DATELINE_PAGE_CACHE="1" if cached else "0", **extra)
    try:
        wrk(url, connections=32, seconds=3)
        return median_run(url)
    finally:
        server.stop()


def spike(home_url: str, threads: int | None) -> tuple[WrkResult, int, int, list[float]]:
    server = Server(threads, DATELINE_LOG_RENDERS="1", DATELINE_LOG_LEVEL="INFO")
    try:
        wrk(home_url, connections=32, seconds=3)
        count = SPIKE_SECONDS // PUBLISH_EVERY
        # The editor works elsewhere: their process runs beside wrk, not on the server's core.
        publisher = subprocess.Popen(
            [
                "taskset",
                "-c",
                LOAD_CORE,
                DATELINE,
                "manage",
                "shell",
                "--no-imports",
                "-c",
                PUBLISHER.format(count=count, run=uuid.uuid4().hex[:6], every=PUBLISH_EVERY),
            ],
            env=environment(),
            stdout=subprocess.PIPE,
            text=True,
        )
        before = server.log.read_text().count(f"rendered {home_url}? ")
        result = wrk(home_url, connections=256, seconds=SPIKE_SECONDS)
        published = publisher.communicate(timeout=120)[0].count("published")
        renders = server.log.read_text().count(f"rendered {home_url}? ") - before
        return result, published, renders, server.worker_rss_mb()
    finally:
        server.stop()


def row(*cells) -> str:
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def main() -> None:
    ensure_tools()
    prepare_site()
    path = article_path()
    base = f"http://127.0.0.1:{PORT}"
    server = Server(1)
    try:
        page = urllib.request.urlopen(base + path, timeout=10).read()
    finally:
        server.stop()
    with StaticBaseline(page, port=NGINX_PORT) as nginx:
        wrk(nginx.url, connections=32, seconds=3)
        baseline = median_run(nginx.url)

    by_threads = {
        threads: (
            measure_article(base + path, threads, cached=True),
            measure_article(base + path, threads, cached=False),
        )
        for threads in THREAD_CHOICES
    }
    # Behind nginx, which logs every request itself, the app's own request lines can go.
    unlogged = measure_article(base + path, 1, cached=True, DATELINE_LOG_REQUESTS="false")
    spike_result, published, renders, rss = spike(base + "/en/", threads=None)

    def ratio(result: WrkResult) -> str:
        return f"{result.requests_per_second / baseline.requests_per_second:.4f}"

    lines = [
        "## Pages: cached and uncached, one app worker on one core",
        "",
        f"The newest English article of the demo ({len(page):,} bytes), `wrk -t1 -c32 -d10s` on",
        f"the other core; each row is the middle of {RUNS} runs by requests/s. Baseline: nginx",
        "serving the same bytes as a static file, same run.",
        "Uncached means `DATELINE_PAGE_CACHE=0`: every request renders the whole page with its",
        "navigation, most read and more from the section (SQLite).",
        "",
        row("server", "threads", "requests/s", "ratio to nginx", "p50", "p99", "errors / non-2xx"),
        row(*["---"] * 7),
        row(
            "nginx static file (baseline)",
            "",
            f"{baseline.requests_per_second:,.0f}",
            1,
            f"{baseline.p50_ms:.2f} ms",
            f"{baseline.p99_ms:.2f} ms",
            f"{baseline.errors} / {baseline.non_2xx}",
        ),
    ]
    for label, index in (("cached article", 0), ("uncached article", 1)):
        for threads, results in by_threads.items():
            result = results[index]
            lines.append(
                row(
                    label,
                    threads,
                    f"{result.requests_per_second:,.0f}",
                    ratio(result),
                    f"{result.p50_ms:.2f} ms",
                    f"{result.p99_ms:.2f} ms",
                    f"{result.errors} / {result.non_2xx}",
                )
            )
    lines.append(
        row(
            "cached article, no request lines",
            1,
            f"{unlogged.requests_per_second:,.0f}",
            ratio(unlogged),
            f"{unlogged.p50_ms:.2f} ms",
            f"{unlogged.p99_ms:.2f} ms",
            f"{unlogged.errors} / {unlogged.non_2xx}",
        )
    )
    lines += [
        "",
        "Targets: cached ≥ 0.5 of nginx with p99 < 10 ms; uncached ≥ 0.006 of nginx.",
        "Every row but the last writes a request line per request (the default);",
        "`DATELINE_LOG_REQUESTS=false` turns them off, as behind an nginx that logs.",
        "",
        f"### Spike: 256 connections on the home page for {SPIKE_SECONDS} s, a publish every"
        f" {PUBLISH_EVERY} s",
        "",
        row(
            "requests/s",
            "p50",
            "p99",
            "errors",
            "non-2xx",
            "publishes",
            "home renders",
            "renders per publish",
            "worker RSS after",
        ),
        row(*["---"] * 9),
        row(
            f"{spike_result.requests_per_second:,.0f}",
            f"{spike_result.p50_ms:.2f} ms",
            f"{spike_result.p99_ms:.2f} ms",
            spike_result.errors,
            spike_result.non_2xx,
            published,
            renders,
            f"{renders / max(published, 1):.2f}",
            ", ".join(f"{mb:.0f} MB" for mb in rss),
        ),
        "",
        "Targets: no error, no 5xx, p99 < 100 ms. One worker with the threads `dateline serve`",
        "runs by default; the editor's process runs on wrk's core. Each publish retires every",
        "cached page and the fragments that list stories (the navigation, footer and search",
        "overlay stay); the home page is then rendered once while the other readers get the",
        "previous copy.",
    ]
    write_section("pages", "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
