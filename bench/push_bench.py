"""Web push: one breaking story fanned out to 100,000 subscriptions against a local fake
push service, on SQLite (the README's default) with the database queue, by one and by two
`dateline worker --once` processes: minutes, pushes a second, each worker's peak memory,
and what the fake received twice or never.

The fake push service (aiohttp, in a process of its own) answers 201 and writes each
address it was sent to. Baseline: the same number of POSTs of a same-sized body through
one requests session, with no encryption, no signature and no database, so the ratio
shows what encrypting each push for its browser (RFC 8291) and recording progress cost."""

from __future__ import annotations

import base64
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from common import write_section

SUBSCRIPTIONS = int(os.environ.get("BENCH_PUSH_SUBSCRIPTIONS", "100000"))
BENCH_DIR = Path(__file__).resolve().parent
DATELINE = str(Path(sys.executable).with_name("dateline"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve_push(port: int, record: str) -> None:
    """Run in a child process: answer 201 to every push, append its path to `record`."""
    from aiohttp import web

    out = open(record, "a", buffering=1 << 16)  # noqa: SIM115 - kept open while serving

    async def accept(request: web.Request) -> web.Response:
        await request.read()
        out.write(request.path + "\n")
        return web.Response(status=201)

    async def flush_on_exit(app: web.Application) -> None:
        out.flush()

    app = web.Application()
    app.router.add_post("/{tail:.*}", accept)
    app.on_shutdown.append(flush_on_exit)
    web.run_app(app, host="127.0.0.1", port=port, print=None, handle_signals=True)


class PushService:
    def __init__(self, folder: str, port: int) -> None:
        self.port = port
        self.record = os.path.join(folder, f"pushed-{port}.txt")
        Path(self.record).write_text("")
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--serve", str(port), self.record],
            start_new_session=True,
        )
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the fake push service did not start")

    def stop(self) -> Counter:
        self.process.send_signal(signal.SIGINT)
        self.process.wait(timeout=30)
        return Counter(Path(self.record).read_text().split())


def environment(data_dir: str) -> dict:
    env = dict(os.environ)
    env.update(
        DATELINE_DATA_DIR=data_dir,
        DJANGO_SETTINGS_MODULE="dateline.settings.base",
        DATELINE_LOG_LEVEL="ERROR",
        DATELINE_TASKS="database",
        DATELINE_PUSH_SERVICES="127.0.0.1",
    )
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    return env


def browser_keys() -> tuple[str, str]:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    public = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    return b64(public), b64(os.urandom(16))


def setup(data_dir: str, port: int) -> int:
    """A site with one story and SUBSCRIPTIONS English subscriptions; the story's id."""
    os.environ.update(environment(data_dir))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from dateline.news import services as news
    from dateline.webapp.models import PushSubscription

    home = news.ensure_site()
    section = news.create_section(home, title="World", slug="world", description="Bench.")
    story = news.create_article(
        section,
        title="Ferry services suspended as the storm reaches the coast",
        slug="storm",
        standfirst="Port authorities kept every passenger ferry in harbour until the morning.",
        paragraphs=["Text."],
        publish_now=True,
    )
    p256dh, auth = browser_keys()
    PushSubscription.objects.bulk_create(
        [
            PushSubscription(
                endpoint=f"http://127.0.0.1:{port}/push/{n}",
                p256dh=p256dh,
                auth=auth,
                language="en",
            )
            for n in range(SUBSCRIPTIONS)
        ],
        batch_size=5000,
    )
    return story.pk


def queue_alert(story_id: int) -> None:
    """What marking the story breaking queues, with the alerts before it cleared."""
    from dateline.webapp.models import PushAlert
    from dateline.webapp.tasks import push_story

    PushAlert.objects.all().delete()
    push_story.enqueue(story_id)
    from django.db import connection

    connection.close()


def peak_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def run_workers(data_dir: str, count: int) -> tuple[float, list[float]]:
    """`count` workers, started together, each until the queue is empty."""
    started = time.perf_counter()
    workers = [
        subprocess.Popen([DATELINE, "worker", "--once"], env=environment(data_dir))
        for _ in range(count)
    ]
    peaks = [0.0] * count
    while any(worker.poll() is None for worker in workers):
        for index, worker in enumerate(workers):
            if worker.poll() is None:
                peaks[index] = max(peaks[index], peak_mb(worker.pid))
        time.sleep(0.5)
    took = time.perf_counter() - started
    failed = [worker.returncode for worker in workers if worker.returncode]
    if failed:
        raise RuntimeError(f"a worker failed: {failed}")
    return took, peaks


def baseline(port: int, count: int) -> float:
    """POSTs a second of a push-sized body through one requests session: no encryption,
    no signature, no database."""
    import requests

    session = requests.Session()
    body = os.urandom(300)
    started = time.perf_counter()
    for n in range(count):
        session.post(f"http://127.0.0.1:{port}/baseline/{n}", data=body, timeout=10)
    return count / (time.perf_counter() - started)


def main() -> None:
    folder = tempfile.mkdtemp(prefix="bench-push-")
    data_dir = os.path.join(folder, "data")
    os.makedirs(data_dir)
    port = free_port()
    story_id = setup(data_dir, port)

    service = PushService(folder, port)
    base_rate = baseline(port, min(SUBSCRIPTIONS, 20000))
    service.stop()

    rows = []
    for workers in (1, 2):
        queue_alert(story_id)
        service = PushService(folder, port)
        took, peaks = run_workers(data_dir, workers)
        received = service.stop()
        paths = [path for path in received if path.startswith("/push/")]
        rate = SUBSCRIPTIONS / took
        missing = SUBSCRIPTIONS - len(paths)
        twice = sum(1 for path in paths if received[path] > 1)
        peak_list = ", ".join(f"{peak:,.0f}" for peak in peaks)
        rows.append(
            f"| one breaking story to {SUBSCRIPTIONS:,} subscriptions, {workers} worker"
            f"{'s' if workers > 1 else ''} | {took / 60:,.1f} min, {rate:,.0f} pushes/s "
            f"({rate / workers:,.0f} per worker) | {rate / base_rate:.2f} of plain POSTs "
            f"| {peak_list} MB | {missing} / {twice} |"
        )
    body = (
        f"## Web push: one breaking story to {SUBSCRIPTIONS:,} subscriptions "
        "(`bench/push_bench.py`)\n\n"
        "SQLite and the database queue (the README's defaults); `dateline worker --once` "
        "processes sharing the alert's batches of 500; a fake push service (aiohttp) on "
        "loopback in its own process. Each push is encrypted for its browser (RFC 8291, "
        "aes128gcm) and carries a VAPID signature made once per push service. Baseline: "
        f"plain POSTs of a push-sized body through one requests session, "
        f"{base_rate:,.0f}/s, same machine, same run. The machine has two cores, shared "
        "by the workers and the fake service.\n\n"
        "| what | time, pushes/s | ratio to baseline | peak memory per worker (RSS) "
        "| received: missing / twice |\n|---|---|---|---|---|\n" + "\n".join(rows)
    )
    write_section("push", body)
    print(body)


if __name__ == "__main__":
    sys.path.insert(0, str(BENCH_DIR))
    if len(sys.argv) > 1 and sys.argv[1] == "--serve":
        serve_push(int(sys.argv[2]), sys.argv[3])
    else:
        main()
