"""The worker that `dateline serve` keeps beside itself is started again when it dies,
after a pause, and each restart is logged."""

from __future__ import annotations

import logging
import os
import signal
import sys
import time

from dateline.ops.supervisor import WorkerSupervisor

SLEEPER = [sys.executable, "-c", "import time; time.sleep(120)"]


def wait_for(condition, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_killed_worker_is_replaced_and_the_restart_logged(caplog):
    supervisor = WorkerSupervisor(SLEEPER, first_pause=0.1, longest_pause=0.2)
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


def test_a_stopped_supervisor_leaves_no_worker_behind():
    supervisor = WorkerSupervisor(SLEEPER, first_pause=0.1)
    supervisor.start()
    child = supervisor._child
    supervisor.stop()
    assert child.poll() is not None
    time.sleep(0.3)
    assert supervisor.pid == child.pid and supervisor.restarts == 0
