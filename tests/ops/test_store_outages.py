"""The stores under a worker go away and come back: PostgreSQL (both queues) and Redis (the
RQ queue). The worker neither exits nor loses the work queued meanwhile; once the store is
back, it runs what was queued, in the same process.

The store "goes away" behind a TCP relay that the test cuts: every open connection is
dropped and new ones are closed at once, as when a database restarts."""

from __future__ import annotations

import contextlib
import select
import socket
import subprocess
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.live_site import DATELINE, ENGINES, child_env, free_port, migrate
from tests.ops.test_worker import dateline

pytestmark = pytest.mark.live

REPO = Path(__file__).resolve().parents[2]

ENQUEUE = """
from tests.ops.fault_tasks import slow_marker
slow_marker.enqueue({folder!r}, 0)
"""


class Relay:
    """A TCP relay from a local port to `upstream` that can be cut and mended."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.port = free_port()
        self.cut_off = threading.Event()
        self.pairs: list[tuple[socket.socket, socket.socket]] = []
        self.lock = threading.Lock()
        self.listener = socket.create_server(("127.0.0.1", self.port), reuse_port=False)
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.cut_off.is_set():
                client.close()
                continue
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.pairs.append((client, server))
            threading.Thread(target=self._pump, args=(client, server), daemon=True).start()

    def _pump(self, client: socket.socket, server: socket.socket) -> None:
        sockets = [client, server]
        try:
            while True:
                readable, _, _ = select.select(sockets, [], [], 1.0)
                for source in readable:
                    data = source.recv(65536)
                    if not data:
                        return
                    (server if source is client else client).sendall(data)
        except OSError:
            return
        finally:
            for end in sockets:
                end.close()

    def cut(self) -> None:
        self.cut_off.set()
        with self.lock:
            for client, server in self.pairs:
                for end in (client, server):
                    with contextlib.suppress(OSError):
                        end.shutdown(socket.SHUT_RDWR)
            self.pairs.clear()

    def mend(self) -> None:
        self.cut_off.clear()

    def close(self) -> None:
        self.closed = True
        self.cut()
        self.listener.close()

    def url(self, url: str) -> str:
        """`url` with its host and port replaced by the relay's."""
        parts = urlsplit(url)
        credentials = parts.netloc.rsplit("@", 1)[0] + "@" if "@" in parts.netloc else ""
        return urlunsplit(parts._replace(netloc=f"{credentials}127.0.0.1:{self.port}"))


def wait_for(condition, seconds: float, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, log.read_text()[-4000:]
        time.sleep(0.3)


@pytest.mark.parametrize("queue", ["database", "rq"])
def test_the_worker_rides_out_its_stores_going_away(tmp_path, tmp_path_factory, queue):
    postgres = next(engine for engine in ENGINES if engine.on_postgres)
    postgres.require()
    database_url = postgres.new_database_url()
    redis_url = postgres.redis_url
    database_relay = Relay((urlsplit(database_url).hostname, urlsplit(database_url).port))
    redis_relay = Relay((urlsplit(redis_url).hostname, urlsplit(redis_url).port or 6379))
    marks = tmp_path / "marks"
    marks.mkdir()
    env = child_env(
        DATELINE_DATA_DIR=str(tmp_path),
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        DATELINE_TASKS=queue,
        DATELINE_LOG_FORMAT="text",
        PYTHONPATH=str(REPO),
        PYTHONUNBUFFERED="1",
    )
    migrate(env, tmp_path_factory)
    relayed = {
        **env,
        "DATABASE_URL": database_relay.url(database_url),
        "REDIS_URL": redis_relay.url(redis_url),
    }
    log = tmp_path / "worker.log"
    worker = subprocess.Popen(
        [DATELINE, "worker"], env=relayed, stdout=log.open("w"), stderr=subprocess.STDOUT
    )
    try:
        dateline(env, "manage", "shell", "--no-imports", "-c", ENQUEUE.format(folder=str(marks)))
        wait_for(lambda: (marks / "finished").exists(), 60, log)

        database_relay.cut()
        redis_relay.cut()
        time.sleep(6)
        assert worker.poll() is None, log.read_text()[-4000:]
        # Work queued while the worker cannot reach its stores (straight to them).
        dateline(env, "manage", "shell", "--no-imports", "-c", ENQUEUE.format(folder=str(marks)))
        database_relay.mend()
        redis_relay.mend()

        wait_for(lambda: (marks / "finished").read_text() == "xx", 90, log)
        assert worker.poll() is None
        # It did lose its stores meanwhile: its heartbeat could not be written.
        assert "saying the worker is alive failed" in log.read_text()
        if queue == "database":
            assert "the task queue cannot be reached" in log.read_text()
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
        database_relay.close()
        redis_relay.close()
