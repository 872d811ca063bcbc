"""The worker that `dateline serve` keeps beside itself in the embedded mode: started as a
child process, and started again whenever it dies (a kill -9, a crash, memory), after a
pause that doubles while it keeps dying and resets once it has stayed up a while.

The child is either a command of its own or a fork of this process (ForkedChild): a fork
shares the code and models this process has loaded with it instead of loading its own
copy, about 90 MB less on the embedded site (docs/deploy.md, "Memory")."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable, Sequence

logger = logging.getLogger("dateline.worker")

FIRST_PAUSE = 1.0
LONGEST_PAUSE = 60.0
# A worker up this long counts as healthy: the next restart waits the first pause again.
STEADY_SECONDS = 60.0


class ForkedChild:
    """A fork of this process that runs `target` and exits with what it returns, with the
    part of `subprocess.Popen` the supervisor uses."""

    def __init__(self, target: Callable[[], int | None]) -> None:
        self.returncode: int | None = None
        self._lock = threading.Lock()
        pid = os.fork()
        if pid == 0:
            _run_forked(target)
        self.pid = pid

    def poll(self) -> int | None:
        with self._lock:
            if self.returncode is None:
                try:
                    pid, status = os.waitpid(self.pid, os.WNOHANG)
                except ChildProcessError:
                    pid, status = self.pid, 255 << 8  # reaped elsewhere: gone, cause unknown
                if pid == self.pid:
                    self.returncode = os.waitstatus_to_exitcode(status)
            return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() >= deadline:
                raise subprocess.TimeoutExpired(f"pid {self.pid}", timeout)
            time.sleep(0.05)
        return self.returncode

    def terminate(self) -> None:
        self._signal(signal.SIGTERM)

    def kill(self) -> None:
        self._signal(signal.SIGKILL)

    def _signal(self, number: int) -> None:
        if self.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, number)


def _run_forked(target: Callable[[], int | None]) -> None:
    """In the forked child: nothing of the parent's serving may carry over, and the child
    must never return into the parent's code."""
    code = 1
    try:
        for number in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(number, signal.SIG_DFL)
        _close_inherited_files()
        result = target()
        code = result if isinstance(result, int) else 0
    except SystemExit as exit:
        code = exit.code if isinstance(exit.code, int) else 1
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _close_inherited_files() -> None:
    """The listening socket and the web processes' pipes stay with the server: a worker
    holding the socket would keep the port taken after the server stops."""
    keep = {0, 1, 2}
    for handler in logging.root.handlers:
        stream = getattr(handler, "stream", None)
        with contextlib.suppress(AttributeError, OSError, ValueError):
            keep.add(stream.fileno())
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        if fd not in keep:
            with contextlib.suppress(OSError):
                os.close(fd)


class WorkerSupervisor:
    def __init__(
        self,
        command: Sequence[str] | Callable[[], int | None],
        first_pause: float = FIRST_PAUSE,
        longest_pause: float = LONGEST_PAUSE,
    ) -> None:
        # A command line, or a function to run in a fork of this process.
        self.command = command if callable(command) else list(command)
        self.first_pause = first_pause
        self.longest_pause = longest_pause
        self.restarts = 0
        self._child: subprocess.Popen | ForkedChild | None = None
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
            if callable(self.command):
                self._child = ForkedChild(self.command)
            else:
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
