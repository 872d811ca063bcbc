"""Soak: mixed traffic against a served demo site for SOAK_SECONDS (default 600) while an
editor publishes a story every 10 s. Records errors (target 0), p99, and the resident
memory of each web worker at the start and the end (target: growth under 10%).

Knobs: SOAK_SECONDS, SOAK_WORKERS (2), SOAK_THREADS (4), SOAK_CONNECTIONS (8)."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

from common import BENCH_DIR, LOAD_CORE, StaticBaseline, WrkResult, ensure_tools, write_section
from common import _ms as milliseconds

DATELINE = str(Path(sys.executable).with_name("dateline"))
PORT = int(os.environ.get("SOAK_PORT", "18301"))
NGINX_PORT = int(os.environ.get("SOAK_NGINX_PORT", "18380"))
SECONDS = int(os.environ.get("SOAK_SECONDS", "600"))
WARM_UP_SECONDS = int(os.environ.get("SOAK_WARM_UP_SECONDS", "30"))
WORKERS = int(os.environ.get("SOAK_WORKERS", "2"))
THREADS = int(os.environ.get("SOAK_THREADS", "4"))
CONNECTIONS = int(os.environ.get("SOAK_CONNECTIONS", "8"))
PUBLISH_EVERY = 10

# What the site holds, for the traffic plan: a few of each kind of page in every language.
SITE_MAP = """
import json
from wagtail.models import Locale
from dateline.news.models import ArticlePage, HomePage, SectionPage
plan = {"homes": [], "sections": [], "articles": [], "ids": []}
for home in HomePage.objects.live():
    plan["homes"].append(home.url)
for section in SectionPage.objects.live():
    plan["sections"].append(section.url)
for article in ArticlePage.objects.live().order_by("-first_published_at")[:80]:
    plan["articles"].append(article.url)
    plan["ids"].append(article.pk)
print(json.dumps(plan))
"""

SEARCHES = {
    "en": ["election", "port", "market", "football"],
    "ru": ["выборы", "порт", "рынок"],
    "hy": ["ընտրություններ", "նավահանգիստ"],
    "az": ["seçki", "liman", "bazar"],
}

# An editor at work: one new story every PUBLISH_EVERY seconds, in turn in each language.
EDITOR = """
import sys, time, traceback
from dateline.news import services
from dateline.news.models import ArticlePage, SectionPage
sections = list(SectionPage.objects.live().order_by("locale__language_code", "pk"))
deadline = time.monotonic() + {seconds}
n = failures = 0
while time.monotonic() < deadline:
    started = time.monotonic()
    n += 1
    section = sections[n % len(sections)]
    try:
        article = ArticlePage(title=f"Soak story {{n}}", slug=f"soak-{{n}}",
                              standfirst="Published during the soak.",
                              body=[("paragraph", "<p>News that keeps coming.</p>")])
        section.add_child(instance=article)
        services.publish(article)
    except Exception:
        failures += 1
        traceback.print_exc()
    time.sleep(max(0, {every} - (time.monotonic() - started)))
print(f"published {{n - failures}} failed {{failures}}")
"""


def environment(data_dir: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("DATELINE_") and k not in {"DATABASE_URL", "REDIS_URL"}
    }
    env.update(
        DATELINE_DATA_DIR=str(data_dir),
        DATELINE_TRUSTED_PROXIES="127.0.0.1",
        DATELINE_BEACON_RATE_LIMIT="100000000",
        DATELINE_CACHE_PREFIX=f"dateline-soak-{uuid.uuid4().hex[:8]}",
        DATELINE_BASE_URL=f"http://127.0.0.1:{PORT}",
    )
    return env


def run(env: dict, *args: str) -> str:
    return subprocess.run(
        [DATELINE, *args], env=env, check=True, capture_output=True, text=True
    ).stdout


def write_plan(site: dict, path: Path) -> Counter:
    """A shuffled request list: 40% stories, 15% each home, section, search and beacon."""
    steps = []
    steps += [("GET", url) for url in site["articles"] for _ in range(4)]
    steps += [("GET", url) for url in site["homes"] for _ in range(30)]
    steps += [("GET", url) for url in site["sections"] for _ in range(5)]
    for language, words in SEARCHES.items():
        searches = [f"/{language}/search/?q={quote(word)}" for word in words]
        steps += [("GET", url) for url in searches for _ in range(10)]
    steps += [("POST", f"/api/v1/articles/{pk}/views") for pk in site["ids"]]
    random.Random(8).shuffle(steps)
    path.write_text("".join(f"{method}\t{url}\n" for method, url in steps))
    return Counter(kind(method, url) for method, url in steps)


def read_plan(path: Path) -> list[tuple[str, str]]:
    return [tuple(line.split("\t", 1)) for line in path.read_text().splitlines()]


def kind(method: str, path: str) -> str:
    if method == "POST":
        return "beacon"
    if "/search/" in path:
        return "search"
    depth = path.strip("/").count("/")
    return {0: "home", 1: "section"}.get(depth, "article")


def worker_pids(server_pid: int) -> list[int]:
    """granian's worker processes: the serve process's children."""
    children = Path(f"/proc/{server_pid}/task/{server_pid}/children").read_text().split()
    return sorted(int(pid) for pid in children)


def resident_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024


def run_wrk(url: str, seconds: int, plan: Path) -> WrkResult:
    command = ["taskset", "-c", LOAD_CORE, "wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s"]
    command += ["--timeout", "30s", "--latency", "-s", str(BENCH_DIR / "soak.lua"), url]
    out = subprocess.run(
        command, env={**os.environ, "SOAK_PLAN": str(plan)}, capture_output=True, text=True
    ).stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.M))
    if not latency:
        raise RuntimeError(f"wrk finished no request:\n{out}")
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return WrkResult(
        requests_per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        p50_ms=milliseconds(latency["50"]),
        p99_ms=milliseconds(latency["99"]),
        errors=errors,
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        requests=int(re.search(r"(\d+) requests in", out).group(1)),
    )


def logged_requests(log: Path) -> tuple[Counter, Counter, int]:
    """Status classes per kind of request from the JSON request log, and error records."""
    statuses, slow, errors = Counter(), Counter(), 0
    for line in log.read_text().splitlines():
        if not line.startswith("{"):
            continue
        record = json.loads(line)
        if record.get("level") == "ERROR":
            errors += 1
        if record.get("logger") != "dateline.requests":
            continue
        what = kind(record["method"], record["path"])
        statuses[(what, record["status"] // 100)] += 1
        slow[what] = max(slow[what], record["duration_ms"])
    return statuses, slow, errors


def main() -> None:
    ensure_tools()
    data_dir = Path(tempfile.mkdtemp(prefix="dateline-soak-"))
    env = environment(data_dir)
    print("loading the demo site…", flush=True)
    run(env, "setup", "--demo")
    site = json.loads(run(env, "manage", "shell", "--no-imports", "-c", SITE_MAP).splitlines()[-1])
    plan = data_dir / "plan.tsv"
    mix = write_plan(site, plan)

    log = data_dir / "server.log"
    server = subprocess.Popen(
        [
            DATELINE,
            "serve",
            "--port",
            str(PORT),
            "--workers",
            str(WORKERS),
            "--threads",
            str(THREADS),
            "--no-scheduler",
        ],
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{PORT}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{base}/readyz", timeout=2)
                break
            except Exception:  # noqa: BLE001 - not up yet
                time.sleep(0.3)
        page = urllib.request.urlopen(base + site["articles"][0], timeout=30).read()
        print("visiting every page once (pictures are resized on first view)…", flush=True)
        pages = sorted({url for method, url in read_plan(plan) if method == "GET"})
        with ThreadPoolExecutor(max_workers=WORKERS * THREADS) as pool:
            list(
                pool.map(lambda url: urllib.request.urlopen(base + url, timeout=120).read(), pages)
            )
        print(f"warming up for {WARM_UP_SECONDS} s…", flush=True)
        run_wrk(base, WARM_UP_SECONDS, plan)
        workers = worker_pids(server.pid)
        memory_start = {pid: resident_mib(pid) for pid in workers}
        samples = [(0, sum(memory_start.values()))]
        log_offset = log.stat().st_size

        editor = subprocess.Popen(
            [
                DATELINE,
                "manage",
                "shell",
                "--no-imports",
                "-c",
                EDITOR.format(seconds=SECONDS, every=PUBLISH_EVERY),
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        stop = threading.Event()

        def sample_memory() -> None:
            started = time.monotonic()
            while not stop.wait(60):
                samples.append(
                    (round(time.monotonic() - started), sum(resident_mib(p) for p in workers))
                )

        sampler = threading.Thread(target=sample_memory, daemon=True)
        sampler.start()
        print(f"soaking for {SECONDS} s…", flush=True)
        soak = run_wrk(base, SECONDS, plan)
        stop.set()
        editor_out, _ = editor.communicate(timeout=120)
        memory_end = {pid: resident_mib(pid) for pid in workers}
        ready = urllib.request.urlopen(f"{base}/readyz", timeout=30).status
    finally:
        server.terminate()
        server.wait(timeout=60)

    with StaticBaseline(page, port=NGINX_PORT) as nginx:
        subprocess.run(
            ["taskset", "-c", LOAD_CORE, "wrk", "-t1", f"-c{CONNECTIONS}", "-d3s", nginx.url],
            capture_output=True,
        )
        baseline = subprocess.run(
            ["taskset", "-c", LOAD_CORE, "wrk", "-t1", f"-c{CONNECTIONS}", "-d10s", nginx.url],
            capture_output=True,
            text=True,
        ).stdout
    baseline_rps = float(re.search(r"Requests/sec:\s+([\d.]+)", baseline).group(1))

    # Only the soak's part of the log (the warm-up is left out).
    soak_log = data_dir / "soak.log"
    with log.open("rb") as whole:
        whole.seek(log_offset)
        soak_log.write_bytes(whole.read())
    statuses, slowest, error_records = logged_requests(soak_log)
    published = re.search(r"published (\d+) failed (\d+)", editor_out or "")
    report(
        soak=soak,
        mix=mix,
        statuses=statuses,
        slowest=slowest,
        error_records=error_records,
        memory_start=memory_start,
        memory_end=memory_end,
        samples=samples,
        published=(int(published.group(1)), int(published.group(2))) if published else None,
        editor_out=editor_out,
        baseline_rps=baseline_rps,
        ready=ready,
    )


def report(
    *,
    soak,
    mix,
    statuses,
    slowest,
    error_records,
    memory_start,
    memory_end,
    samples,
    published,
    editor_out,
    baseline_rps,
    ready,
) -> None:
    total_mix = sum(mix.values())
    server_errors = sum(n for (_, status_class), n in statuses.items() if status_class == 5)
    client_errors = sum(n for (_, status_class), n in statuses.items() if status_class == 4)
    errors = soak.errors + soak.non_2xx + server_errors + error_records
    lines = [
        "## Soak: mixed traffic with an editor publishing every 10 s",
        "",
        f"{SECONDS // 60} min {SECONDS % 60} s of wrk ({CONNECTIONS} connections, 30 s timeout) "
        f"against `dateline serve --workers {WORKERS} --threads {THREADS}` on the demo site "
        "(SQLite, embedded mode, uncached pages), after a "
        f"{WARM_UP_SECONDS} s warm-up; meanwhile an editor process publishes a new story every "
        f"{PUBLISH_EVERY} s. The request mix, from a shuffled plan: "
        + ", ".join(f"{what} {100 * n / total_mix:.0f}%" for what, n in sorted(mix.items()))
        + ". Statuses per kind come from the server's own JSON request log.",
        "",
        "The machine was shared with other people's work during the run: throughput and",
        "latency here are noisy; errors and memory growth are what this measures.",
        "",
        "| measure | result | target |",
        "| --- | --- | --- |",
        f"| requests | {soak.requests:,} ({soak.requests_per_second:,.1f}/s; nginx serving "
        f"the story as a static file did {baseline_rps:,.0f}/s in the same run, "
        f"ratio {soak.requests_per_second / baseline_rps:.4f}) | |",
        f"| errors (socket errors + non-2xx/3xx + 5xx logged + ERROR log records) | {errors} | 0 |",
        f"| 4xx (logged) | {client_errors} | |",
        f"| latency p50 / p99 | {soak.p50_ms:,.0f} ms / {soak.p99_ms:,.0f} ms | |",
        "| stories published by the editor | "
        + (f"{published[0]} ({published[1]} failed)" if published else "editor failed")
        + " | every 10 s, 0 failed |",
        f"| /readyz after the soak | {ready} | 200 |",
    ]
    lines += ["", "Resident memory per web worker:", ""]
    lines += ["| worker | start | end | growth | target |", "| --- | --- | --- | --- | --- |"]
    for n, pid in enumerate(sorted(memory_start), start=1):
        start, end = memory_start[pid], memory_end[pid]
        lines.append(
            f"| {n} | {start:.1f} MiB | {end:.1f} MiB | {100 * (end - start) / start:+.1f}% "
            "| < 10% |"
        )
    lines += [
        "",
        "All workers together, sampled each minute: "
        + ", ".join(f"{seconds // 60} min {mib:.0f} MiB" for seconds, mib in samples)
        + ".",
        "",
        "Slowest logged request per kind (ms): "
        + ", ".join(f"{what} {ms:,.0f}" for what, ms in sorted(slowest.items()))
        + ".",
    ]
    if not published:
        lines += ["", "```", (editor_out or "")[-1500:], "```"]
    print("\n".join(lines))
    write_section("soak", "\n".join(lines))


if __name__ == "__main__":
    main()
