"""Background tasks: how many a second each queue runs with one and two workers, and what
an editor's publish costs when the CDN is told to purge (inline, as before the task
queue, against queued).

Throughput: N small tasks are queued, then K `dateline worker`-style workers run them in
burst mode (each exits once the queue is empty), started together; tasks/s is N over the
wall time from their start to the last one's exit (interpreter start-up included, about
a second). Each task writes nothing: this is the queue's own cost.

Publish: one story published through news.services with DATELINE_CDN_PURGE_URL pointing
at a local fake CDN that takes PURGE_DELAY seconds per address, as a distant CDN can."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from common import BENCH_DIR, write_section
from views_bench import drop_postgres_database, postgres_database

DATELINE = str(Path(sys.executable).with_name("dateline"))
TASKS = int(os.environ.get("BENCH_TASKS", "2000"))
PURGE_DELAY = 0.05
CDN_PORT = 18093

ENQUEUE = """
import time
from bench_tasks import nothing
started = time.perf_counter()
for n in range({count}):
    nothing.enqueue(n)
print(f"{{{count} / (time.perf_counter() - started):.1f}}")
"""

RUN_BURST = """
from dateline.ops.worker import run_task_worker
run_task_worker("bench-{index}-" + __import__("os").urandom(3).hex(), burst=True)
"""

LEFT = """
from django.conf import settings
if settings.DATELINE_TASKS == "rq":
    import django_rq
    from rq.registry import FinishedJobRegistry
    queue = django_rq.get_queue("default")
    print(len(queue), FinishedJobRegistry(queue=queue).count)
else:
    from django_tasks_db.models import DBTaskResult
    print(DBTaskResult.objects.ready().count(), DBTaskResult.objects.successful().count())
"""

PUBLISH = """
import time
from django.test import override_settings
from dateline.news import services
from dateline.news.models import SectionPage
section = SectionPage.objects.get(slug="world", locale__language_code="en")
timings = []
for n in range({rounds}):
    story = services.create_article(
        section, title=f"Timed story {{n}}", slug=f"timed-{{n}}-{mode}", standfirst="x",
        publish_now=False,
    )
    {context}
        started = time.perf_counter()
        services.publish(story)
        timings.append(time.perf_counter() - started)
print(" ".join(f"{{t:.4f}}" for t in timings))
"""


class SlowCdn(BaseHTTPRequestHandler):
    def do_PURGE(self) -> None:  # noqa: N802 - the HTTP method's name
        time.sleep(PURGE_DELAY)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


def environment(extra: dict[str, str]) -> dict[str, str]:
    data_dir = Path(tempfile.mkdtemp(prefix="dateline-bench-tasks-"))
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("DATELINE_") and k not in {"DATABASE_URL", "REDIS_URL"}
    }
    env.update(
        DATELINE_DATA_DIR=str(data_dir),
        DATELINE_CACHE_PREFIX=f"dateline-bench-{uuid.uuid4().hex[:8]}",
        DATELINE_LOG_LEVEL="WARNING",
        PYTHONPATH=str(BENCH_DIR),
        **extra,
    )
    return env


def shell(env: dict[str, str], code: str) -> str:
    return subprocess.run(
        [DATELINE, "manage", "shell", "--no-imports", "-c", code],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def throughput(env: dict[str, str], workers: int) -> tuple[float, float]:
    """(tasks enqueued a second, tasks run a second) for `workers` workers."""
    enqueued = float(shell(env, ENQUEUE.format(count=TASKS)).splitlines()[-1])
    started = time.perf_counter()
    runners = [
        subprocess.Popen(
            [DATELINE, "manage", "shell", "--no-imports", "-c", RUN_BURST.format(index=i)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(workers)
    ]
    for runner in runners:
        _out, err = runner.communicate(timeout=1800)
        if runner.returncode:
            raise RuntimeError(err[-2000:])
    elapsed = time.perf_counter() - started
    left, _done = shell(env, LEFT).split()
    if int(left):
        raise RuntimeError(f"{left} tasks were left in the queue")
    return enqueued, TASKS / elapsed


def publish_times(env: dict[str, str], mode: str, inline: bool, rounds: int = 7) -> list[float]:
    context = (
        "with override_settings(TASKS={'default': "
        "{'BACKEND': 'django_tasks.backends.immediate.ImmediateBackend'}}):"
        if inline
        else "if True:"
    )
    out = shell(env, PUBLISH.format(rounds=rounds, mode=mode, context=context))
    return [float(t) for t in out.splitlines()[-1].split()]


def main() -> None:
    rows = []
    stores = [("SQLite, database queue", {}, None)]
    database = postgres_database()
    if database:
        url = f"postgres://postgres@127.0.0.1:5432/{database}"
        stores += [
            (
                "PostgreSQL, database queue",
                {"DATABASE_URL": url, "DATELINE_TASKS": "database"},
                None,
            ),
            (
                "PostgreSQL + Redis, RQ",
                {"DATABASE_URL": url, "REDIS_URL": "redis://127.0.0.1:6379/11"},
                "redis://127.0.0.1:6379/11",
            ),
        ]
    cdn = ThreadingHTTPServer(("127.0.0.1", CDN_PORT), SlowCdn)
    threading.Thread(target=cdn.serve_forever, daemon=True).start()
    publish_rows = []
    try:
        for label, extra, redis_url in stores:
            if redis_url:
                import redis

                redis.Redis.from_url(redis_url).flushdb()
            env = environment(extra)
            subprocess.run([DATELINE, "setup", "--demo"], env=env, check=True, capture_output=True)
            # Loading the demo queues Wagtail's own tasks (reference index): run them first.
            shell(env, RUN_BURST.format(index="drain"))
            for workers in (1, 2):
                enqueued, ran = throughput(env, workers)
                rows.append(f"| {label} | {workers} | {enqueued:,.0f} | {ran:,.0f} |")
                print(rows[-1], flush=True)
            if label.startswith("SQLite"):
                purging = {**env, "DATELINE_CDN_PURGE_URL": f"http://127.0.0.1:{CDN_PORT}/"}
                publish_times(env, "warm", inline=False, rounds=2)
                plain = publish_times(env, "nocdn", inline=False)
                inline = publish_times(purging, "inline", inline=True)
                queued = publish_times(purging, "queued", inline=False)
                for name, times in (
                    ("no CDN configured", plain),
                    ("CDN purge inline (no task queue)", inline),
                    ("CDN purge queued (database queue)", queued),
                ):
                    median = statistics.median(times) * 1000
                    ratio = statistics.median(times) / statistics.median(plain)
                    publish_rows.append(f"| {name} | {median:,.0f} ms | {ratio:.2f} |")
                    print(publish_rows[-1], flush=True)
    finally:
        cdn.shutdown()
        if database:
            drop_postgres_database(database)

    body = f"""
## Background tasks: tasks a second, and an editor's publish

{TASKS:,} tasks that do nothing, queued, then run by one or two burst workers started
together (wall time from their start to the last exit, interpreter start-up included),
after the demo's own queued tasks have been run.
Default settings otherwise: `DATELINE_TASKS` as the README's deployments pick it.

| queue | workers | queued/s | run/s |
| --- | --- | --- | --- |
{chr(10).join(rows)}

An editor's publish of one story (news.services.publish, median of 7, demo site on
SQLite), with a fake CDN on 127.0.0.1 that takes {PURGE_DELAY * 1000:.0f} ms per purged
address; ratio to the same publish with no CDN configured.

| publish | median | ratio to no CDN |
| --- | --- | --- |
{chr(10).join(publish_rows)}
"""
    write_section("tasks", body)


if __name__ == "__main__":
    main()
