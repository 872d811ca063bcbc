"""The worker that `dateline serve` keeps beside itself in the embedded mode: started as a
child process, and started again whenever it dies (a kill -9, a crash, memory), after a
pause that doubles while it keeps dying and resets once it has stayed up a while."""

from __future__ import annotations

import logging
import subprocess
import threading
import time
from collections.abc import Sequence

logger = logging.getLogger("dateline.worker")

FIRST_PAUSE = 1.0
LONGEST_PAUSE = 60.0
# A worker up this long counts as healthy: the next restart waits the first pause again.
STEADY_SECONDS = 60.0


class WorkerSupervisor:
    def __init__(
        self,
        command: Sequence[str],
        first_pause: float = FIRST_PAUSE,
        longest_pause: float = LONGEST_PAUSE,
    ) -> None:
        self.command = list(command)
        self.first_pause = first_pause
        self.longest_pause = longest_pause
        self.restarts = 0
        self._child: subprocess.Popen | None = None
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._watch, name="worker-supervisor", daemon=True)

    @property
    def pid(self) -> int | None:
        child = self._child
        return child.pid if child is not None else None

    def start(self) -> None:
        self._spawn()
        self._thread.start()

    def _spawn(self) -> None:
        with self._lock:
            if self._stopping.is_set():
                return
            self._child = subprocess.Popen(self.command)
            logger.info("background worker started (pid %d)", self._child.pid)

    def _watch(self) -> None:
        pause = self.first_pause
        while not self._stopping.is_set():
            child = self._child
            started = time.monotonic()
            code = child.wait()
            if self._stopping.is_set():
                return
            if time.monotonic() - started >= STEADY_SECONDS:
                pause = self.first_pause
            self.restarts += 1
            logger.error(
                "background worker (pid %d) exited with %s; starting another in %.0f s",
                child.pid,
                f"signal {-code}" if code < 0 else f"code {code}",
                pause,
            )
            if self._stopping.wait(pause):
                return
            pause = min(pause * 2, self.longest_pause)
            try:
                self._spawn()
            except OSError:
                logger.exception("the background worker could not be started")

    def stop(self, timeout: float = 10) -> None:
        """Stop the worker (SIGTERM: it finishes its task) and do not start another."""
        with self._lock:
            self._stopping.set()
            child = self._child
        if child is None or child.poll() is not None:
            return
        child.terminate()
        try:
            child.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            child.kill()
