"""`dateline serve` keeps a worker beside itself: killed with SIGKILL, the worker is
started again, and scheduled stories still go live."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.live_site import DATELINE, child_env, free_port, migrate
from tests.ops.test_worker import REPORT, SCHEDULE_AN_ARTICLE, dateline

pytestmark = pytest.mark.live

STARTED = re.compile(r"background worker started \(pid (\d+)\)")


def worker_pids(log) -> list[int]:
    return [int(pid) for pid in STARTED.findall(log.read_text())]


def wait_for(condition, seconds: float, log) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, log.read_text()[-4000:]
        time.sleep(0.2)


def _children(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    return [int(child) for child in found.stdout.split()]


def test_a_worker_killed_under_serve_is_replaced_and_publishes(tmp_path, tmp_path_factory):
    env = child_env(
        DATELINE_DATA_DIR=str(tmp_path),
        DATELINE_SCHEDULER_INTERVAL="2",
        DATELINE_LOG_FORMAT="text",
        PYTHONUNBUFFERED="1",
    )
    migrate(env, tmp_path_factory)
    port = free_port()
    log = tmp_path / "server.log"
    server = subprocess.Popen(
        [DATELINE, "serve", "--port", str(port)],
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(lambda: worker_pids(log), 60, log)
        [first] = worker_pids(log)
        # Let it start properly, so that it is the kill that stops it.
        wait_for(lambda: "worker started (pid" in log.read_text(), 60, log)
        time.sleep(1)
        server_pid = server.pid
        os.kill(first, signal.SIGKILL)
        wait_for(lambda: len(worker_pids(log)) == 2, 30, log)
        second = worker_pids(log)[1]
        assert second != first
        assert f"background worker (pid {first}) exited with signal 9" in log.read_text()
        assert server.poll() is None and server_pid == server.pid

        assert "scheduled" in dateline(env, "manage", "shell", "-c", SCHEDULE_AN_ARTICLE)
        wait_for(
            lambda: "live=True publishes=1" in dateline(env, "manage", "shell", "-c", REPORT),
            60,
            log,
        )
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5) as answer:
            body = json.load(answer)
        assert body["background"]["worker"] == "ok"
        # Every process serve starts keeps glibc to two memory pools and hands large
        # blocks back as they are freed (docs/deploy.md).
        for pid in (server.pid, second, *_children(server.pid)):
            environment = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
            assert b"MALLOC_ARENA_MAX=2" in environment, pid
            assert b"MALLOC_MMAP_THRESHOLD_=131072" in environment, pid
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def test_serve_starts_itself_again_with_its_memory_settings_unless_the_operator_chose(
    monkeypatch,
):
    from dateline import cli

    started = []
    monkeypatch.setattr(cli.os, "execv", lambda path, argv: started.append((path, argv)))
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    monkeypatch.setenv("MALLOC_MMAP_THRESHOLD_", "262144")
    cli._limit_memory_pools()
    assert started == []
    assert os.environ["MALLOC_ARENA_MAX"] == "4"
    assert os.environ["MALLOC_MMAP_THRESHOLD_"] == "262144"

    monkeypatch.delenv("MALLOC_ARENA_MAX")
    cli._limit_memory_pools()
    assert os.environ["MALLOC_ARENA_MAX"] == "2"
    assert os.environ["MALLOC_MMAP_THRESHOLD_"] == "262144"
    assert started == [(cli.sys.executable, cli.sys.orig_argv)]

    monkeypatch.delenv("MALLOC_MMAP_THRESHOLD_")
    cli._limit_memory_pools()
    assert os.environ["MALLOC_MMAP_THRESHOLD_"] == "131072"
    assert len(started) == 2
