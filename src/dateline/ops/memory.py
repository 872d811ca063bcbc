"""Handing memory a process has freed back to the system.

glibc keeps what a process frees for its next allocations, in pieces scattered through
its pools, and gives back only what lies at the very top. A web process that has
rendered pages, compressed them and answered a burst of connections holds tens of MB it
no longer uses; on a small server that is memory the database and the system need.
`malloc_trim` hands every whole free page back. It takes a few milliseconds and locks
each pool only while it walks it, so a thread calls it now and then.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import logging
import os
import threading
import time
from collections.abc import Callable

logger = logging.getLogger(__name__)

THREAD_NAME = "memory-returner"

_started_in: int | None = None
_start_lock = threading.Lock()


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's malloc_trim, or None where the C library has none (musl, macOS)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


def return_freed_memory() -> bool:
    """Give the system back the whole pages this process's C allocator holds free.
    False where the C library cannot (nothing is done then)."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


def start_returning_freed_memory(every_seconds: float) -> bool:
    """Return freed memory every `every_seconds` in a background thread of this process,
    once per process (a fork starts its own). 0 or less, or a C library without
    malloc_trim: nothing is started, and False says so."""
    global _started_in
    if every_seconds <= 0 or _malloc_trim() is None:
        return False
    with _start_lock:
        if _started_in == os.getpid():
            return True
        _started_in = os.getpid()

    def run() -> None:
        while True:  # a daemon thread: it ends with its process
            time.sleep(every_seconds)
            try:
                return_freed_memory()
            except Exception:  # noqa: BLE001 - never worth ending the process over
                logger.exception("could not return freed memory")

    threading.Thread(target=run, name=THREAD_NAME, daemon=True).start()
    return True
