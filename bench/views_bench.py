"""Beacons per second for one app worker on one core: SQLite, and PostgreSQL + Redis.

Targets (issue 3): with Redis at least 2,000 beacons/s; on SQLite at least 500/s with no
"database is locked" under 64 concurrent clients."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

from common import (
    BENCH_DIR,
    SERVER_CORE,
    StaticBaseline,
    WrkResult,
    ensure_tools,
    write_section,
    wrk,
)

DATELINE = str(Path(sys.executable).with_name("dateline"))
PORT = 18081
THREADS = int(os.environ.get("BENCH_THREADS", "4"))  # `dateline serve --threads`
CREATE_ARTICLE = """
from dateline.news import services
from dateline.news.models import ArticlePage
home = services.ensure_site()
section = services.create_section(home, title="World", slug="world", description="World news")
article = ArticlePage(title="Benchmark story", slug="bench", standfirst="Read me.",
                      body=[("paragraph", "<p>Text.</p>")])
section.add_child(instance=article)
services.publish(article)
print(article.pk)
"""


def run(env, *args) -> str:
    return subprocess.run(
        [DATELINE, *args], env=env, check=True, capture_output=True, text=True
    ).stdout


def postgres_database() -> str | None:
    try:
        import psycopg

        name = f"dateline_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as db:
            db.execute(f'CREATE DATABASE "{name}"')
        return name
    except Exception as error:  # noqa: BLE001 - the Redis run is skipped, and said so
        print(f"PostgreSQL not available: {error}")
        return None


def drop_postgres_database(name: str) -> None:
    import psycopg

    with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def measure(
    mode: str, extra_env: dict[str, str], threads: int
) -> tuple[WrkResult, WrkResult, str, str]:
    data_dir = Path(tempfile.mkdtemp(prefix=f"dateline-bench-{mode}-"))
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("DATELINE_") and k not in {"DATABASE_URL", "REDIS_URL"}
    }
    env.update(
        DATELINE_DATA_DIR=str(data_dir),
        DATELINE_TRUSTED_PROXIES="127.0.0.1",
        DATELINE_BEACON_RATE_LIMIT="100000000",
        DATELINE_CACHE_PREFIX=f"dateline-bench-{uuid.uuid4().hex[:8]}",
        DATELINE_LOG_LEVEL="WARNING",
        **extra_env,
    )
    run(env, "setup")
    article = (
        run(env, "manage", "shell", "--no-imports", "-c", CREATE_ARTICLE).strip().splitlines()[-1]
    )
    log = data_dir / "server.log"
    server = subprocess.Popen(
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
            "--threads",
            str(threads),
            "--no-scheduler",
        ],
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        url = f"http://127.0.0.1:{PORT}/api/v1/articles/{article}/views"
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/api/v1/openapi.json", timeout=2)
                break
            except Exception:  # noqa: BLE001
                time.sleep(0.3)
        script = str(BENCH_DIR / "beacon.lua")
        wrk(url, connections=16, seconds=3, script=script)  # warm up
        at_32 = wrk(url, connections=32, seconds=10, script=script)
        at_64 = wrk(url, connections=64, seconds=10, script=script)
        run(env, "worker", "--once")
        total = (
            run(
                env,
                "manage",
                "shell",
                "--no-imports",
                "-c",
                "from dateline.analytics.services import view_count\n"
                "from wagtail.models import Page\n"
                f"print(view_count(Page.objects.get(pk={article})))",
            )
            .strip()
            .splitlines()[-1]
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    locked = "yes" if "database is locked" in log.read_text() else "no"
    return at_32, at_64, total, locked


def main() -> None:
    ensure_tools()
    sample = (BENCH_DIR / "beacon.lua").read_bytes()  # a small body, as a beacon answer is
    with StaticBaseline(sample) as nginx:
        wrk(nginx.url, connections=16, seconds=3)
        baseline = wrk(nginx.url, connections=32, seconds=10)

    rows = []
    sqlite = measure("sqlite", {}, threads=THREADS)
    rows.append(("SQLite (embedded)", *sqlite))
    database = postgres_database()
    if database:
        try:
            redis_mode = measure(
                "redis",
                {
                    "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
                    "REDIS_URL": "redis://127.0.0.1:6379/0",
                },
                threads=THREADS,
            )
            rows.append(("PostgreSQL + Redis", *redis_mode))
        finally:
            drop_postgres_database(database)

    def row(*cells) -> str:
        return "| " + " | ".join(str(cell) for cell in cells) + " |"

    lines = [
        "## View counter: beacons per second, one app worker on one core",
        "",
        "`POST /api/v1/articles/<id>/views`, every request a new reader (so every beacon is",
        "counted and written), wrk on the other core. Baseline: nginx serving a small static",
        "file on one core, in the same run.",
        "",
        row(
            "store",
            "clients",
            "beacons/s",
            "ratio to nginx",
            "p50",
            "p99",
            "errors / non-2xx",
            "views stored",
            "“database is locked”",
        ),
        row(*["---"] * 9),
        row(
            "nginx static file (baseline)",
            32,
            f"{baseline.requests_per_second:,.0f}",
            1,
            f"{baseline.p50_ms:.2f} ms",
            f"{baseline.p99_ms:.2f} ms",
            f"{baseline.errors} / {baseline.non_2xx}",
            "",
            "",
        ),
    ]
    for name, at_32, at_64, total, locked in rows:
        for clients, result in ((32, at_32), (64, at_64)):
            last = clients == 64
            lines.append(
                row(
                    name,
                    clients,
                    f"{result.requests_per_second:,.0f}",
                    f"{result.requests_per_second / baseline.requests_per_second:.3f}",
                    f"{result.p50_ms:.1f} ms",
                    f"{result.p99_ms:.1f} ms",
                    f"{result.errors} / {result.non_2xx}",
                    total if last else "",
                    locked if last else "",
                )
            )
    lines += [
        "",
        "“Views stored” is the article's total after both runs and a flush: every 2xx beacon",
        "of a new reader must be in it (wrk's own count includes the warm-up).",
    ]
    write_section("views", "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
