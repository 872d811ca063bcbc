"""Content API requests per second for one app worker on one core (granian), SQLite:
an article list and an article, answered in full and answered 304 to If-None-Match,
against nginx serving the same list's bytes as a static file in the same run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

from common import SERVER_CORE, StaticBaseline, ensure_tools, write_section, wrk

DATELINE = str(Path(sys.executable).with_name("dateline"))
PORT = 18101
BASELINE_PORT = 18180
THREADS = int(os.environ.get("BENCH_THREADS", "4"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
# Generated stories on top of the demo's, so that a sync page holds a full 100 articles.
ARTICLES = int(os.environ.get("BENCH_API_ARTICLES", "600"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
CONNECTIONS = 4  # wrk gives up on a request after 2 s; uncached answers take ~0.1-0.2 s


def fetch(url: str, headers: dict | None = None) -> tuple[int, object, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def header_script(directory: Path, name: str, headers: dict[str, str]) -> str:
    lines = [f'wrk.headers["{key}"] = {json.dumps(value)}' for key, value in headers.items()]
    path = directory / f"{name}.lua"
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def main() -> None:
    ensure_tools()
    data_dir = Path(tempfile.mkdtemp(prefix="dateline-bench-api-"))
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("DATELINE_") and k not in {"DATABASE_URL", "REDIS_URL"}
    }
    env.update(
        DATELINE_DATA_DIR=str(data_dir),
        DATELINE_API_RATE_LIMIT="0",
        # The page cache answers repeated API reads from memory; these rows are the work
        # behind an answer it does not hold.
        DATELINE_PAGE_CACHE="false",
        DATELINE_CACHE_PREFIX=f"dateline-bench-{uuid.uuid4().hex[:8]}",
    )
    subprocess.run([DATELINE, "setup", "--demo"], env=env, check=True, capture_output=True)
    subprocess.run(
        [DATELINE, "demo", "--articles", str(ARTICLES)], env=env, check=True, capture_output=True
    )
    log = data_dir / "server.log"
    server = subprocess.Popen(
        ["taskset", "-c", SERVER_CORE, DATELINE, "serve", "--port", str(PORT),
         "--workers", "1", "--threads", str(THREADS), "--no-scheduler"],
        env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{PORT}/api/v1"
    rows = []
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{base}/languages", timeout=2)
                break
            except Exception:  # noqa: BLE001 - still starting
                time.sleep(0.3)
        list_url = f"{base}/articles?lang=en"
        status, _headers, listing = fetch(list_url)
        assert status == 200, status
        detail_url = f"{base}/articles/{json.loads(listing)['items'][0]['id']}"
        sync_url = f"{base}/articles?lang=en&updated_since=2000-01-01T00:00:00Z&limit=100"
        synced = len(json.loads(fetch(sync_url)[2])["items"])
        targets = {
            "list (20 articles)": list_url,
            f"sync page (`updated_since`, {synced} articles)": sync_url,
            "article": detail_url,
        }
        scripts = data_dir / "scripts"
        scripts.mkdir()
        for name, url in targets.items():
            status, headers, body = fetch(url)  # makes the renditions once
            etag = headers.get("ETag")  # header names are case-blind
            assert fetch(url, {"If-None-Match": etag})[0] == 304
            started = time.perf_counter()
            for _ in range(5):  # warm up
                fetch(url)
            alone_ms = (time.perf_counter() - started) / 5 * 1000
            print(f"{name}: {alone_ms:.0f} ms alone", flush=True)
            conditional = wrk(
                url,
                connections=CONNECTIONS,
                seconds=SECONDS,
                script=header_script(scripts, f"etag-{len(rows)}", {"If-None-Match": etag}),
            )
            rows.append((name, len(body), conditional, alone_ms))
        # The 200 rows and nginx take turns, round after round, so that the machine's
        # slower minutes fall on all of them alike; each row reports its middle round.
        fulls: dict[str, list] = {name: [] for name in targets}
        baselines = []
        with StaticBaseline(listing, port=BASELINE_PORT) as nginx:
            wrk(nginx.url, connections=CONNECTIONS, seconds=3)
            for _round in range(ROUNDS):
                baselines.append(wrk(nginx.url, connections=CONNECTIONS, seconds=SECONDS))
                for name, url in targets.items():
                    fulls[name].append(wrk(url, connections=CONNECTIONS, seconds=SECONDS))
    finally:
        server.terminate()
        server.wait(timeout=30)

    def middle(results: list):
        return sorted(results, key=lambda result: result.requests_per_second)[len(results) // 2]

    def spread(results: list) -> str:
        rates = sorted(result.requests_per_second for result in results)
        return f"{rates[0]:,.0f}–{rates[-1]:,.0f}"

    baseline = middle(baselines)

    def row(*cells) -> str:
        return "| " + " | ".join(str(cell) for cell in cells) + " |"

    def ratio(result) -> str:
        return f"{result.requests_per_second / baseline.requests_per_second:.3f}"

    lines = [
        "## Content API: requests per second, one app worker on one core",
        "",
        f"`dateline serve --workers 1 --threads {THREADS}` (granian) on SQLite with the demo",
        f"content and generated stories up to {ARTICLES:,} articles, pinned to one core; wrk",
        f"on the other core, {CONNECTIONS} connections, {SECONDS} s per row. Every request runs",
        "Django and the endpoint (page cache turned off for these rows: with it, repeated",
        "reads are answered from memory). A 304 still builds the answer to compare its ETag:",
        "it saves the bytes on the wire, not the work. Baseline: nginx serving the same",
        "list's JSON as a static file on the same core, in the same run. Request lines are",
        "logged, as shipped. The 200 rows and nginx take turns for",
        f"{ROUNDS} rounds; each row gives its middle round (p50 and p99 of that round) and",
        "the range over all rounds; the 304 rows are one run each.",
        "Targets (issue 26): the list ≥ 500 requests/s, sync pages of 100 articles ≥ 200/s.",
        "",
        row(
            "request",
            "answer",
            "bytes",
            "requests/s",
            f"range of {ROUNDS}",
            "ratio to nginx",
            "p50",
            "p99",
            "errors / non-2xx",
            "one at a time",
        ),  # fmt: skip
        row(*["---"] * 10),
        row(
            "nginx static file (baseline)",
            "200",
            f"{len(listing):,}",
            f"{baseline.requests_per_second:,.0f}",
            spread(baselines),
            1,
            f"{baseline.p50_ms:.2f} ms",
            f"{baseline.p99_ms:.2f} ms",
            f"{baseline.errors} / {baseline.non_2xx}",
            "",
        ),  # fmt: skip
    ]
    for name, size, conditional, alone_ms in rows:
        full = middle(fulls[name])
        for answer, result, ranged in (
            ("200", full, spread(fulls[name])),
            ("304 (If-None-Match)", conditional, ""),
        ):
            lines.append(
                row(
                    name,
                    answer,
                    f"{size:,}" if answer == "200" else 0,
                    f"{result.requests_per_second:,.0f}",
                    ranged,
                    ratio(result),
                    f"{result.p50_ms:.1f} ms",
                    f"{result.p99_ms:.1f} ms",
                    f"{result.errors} / {result.non_2xx}",
                    f"{alone_ms:.1f} ms" if answer == "200" else "",
                )  # fmt: skip
            )
    write_section("api", "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
