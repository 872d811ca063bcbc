"""The worker that `dateline serve` keeps beside itself is started again when it dies,
after a pause, and each restart is logged."""

from __future__ import annotations

import logging
import os
import signal
import socket
import sys
import time

import pytest

from dateline.ops.supervisor import WorkerSupervisor

SLEEPER = [sys.executable, "-c", "import time; time.sleep(120)"]


def sleep_in_a_fork() -> None:
    time.sleep(120)


# `dateline serve` forks its worker (sharing what it has loaded); a command also works.
KINDS = pytest.mark.parametrize("sleeper", [SLEEPER, sleep_in_a_fork], ids=["command", "fork"])


def wait_for(condition, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@KINDS
def test_a_killed_worker_is_replaced_and_the_restart_logged(caplog, sleeper):
    supervisor = WorkerSupervisor(sleeper, first_pause=0.1, longest_pause=0.2)
    with caplog.at_level(logging.INFO, logger="dateline.worker"):
        supervisor.start()
        try:
            first = supervisor.pid
            os.kill(first, signal.SIGKILL)
            wait_for(lambda: supervisor.pid not in (None, first))
            second = supervisor.pid
            os.kill(second, signal.SIGKILL)
            wait_for(lambda: supervisor.pid not in (None, second))
        finally:
            supervisor.stop()
    assert supervisor.restarts == 2
    assert f"background worker (pid {first}) exited with signal 9" in caplog.text
    assert "starting another in" in caplog.text


@KINDS
def test_a_stopped_supervisor_leaves_no_worker_behind(sleeper):
    supervisor = WorkerSupervisor(sleeper, first_pause=0.1)
    supervisor.start()
    child = supervisor._child
    supervisor.stop()
    assert child.poll() is not None
    time.sleep(0.3)
    assert supervisor.pid == child.pid and supervisor.restarts == 0


def test_a_forked_worker_that_fails_is_replaced_and_its_exit_code_logged(caplog):
    def fail() -> None:
        raise RuntimeError("the queue is broken")

    supervisor = WorkerSupervisor(fail, first_pause=0.1, longest_pause=0.2)
    with caplog.at_level(logging.INFO, logger="dateline.worker"):
        supervisor.start()
        try:
            wait_for(lambda: supervisor.restarts >= 2)
        finally:
            supervisor.stop()
    assert "exited with code 1; starting another in" in caplog.text


def test_a_forked_worker_leaves_the_servers_port_free():
    """A server stopped and started again must get its port back even while a worker it
    forked is still finishing a task."""
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    listening.listen()
    port = listening.getsockname()[1]
    supervisor = WorkerSupervisor(sleep_in_a_fork, first_pause=0.1)
    supervisor.start()
    try:
        time.sleep(0.5)  # the child has closed what it inherited
        listening.close()
        again = socket.socket()
        again.bind(("127.0.0.1", port))
        again.listen()
        again.close()
    finally:
        supervisor.stop()
