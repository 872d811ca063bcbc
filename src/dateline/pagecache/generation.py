"""The content generation: one number shared by every server process, raised whenever
published content changes. A cached page remembers the generation it was rendered at and
is stale as soon as the number moves on.

Embedded mode keeps the number in a small memory-mapped file in the data folder, so every
process on the machine reads it at the cost of a memory load. Scale mode keeps it in Redis
and each process reads it at most every `poll_seconds`, so a change reaches every server
within that interval."""

from __future__ import annotations

import fcntl
import mmap
import os
import struct
import threading
import time
from pathlib import Path
from typing import Protocol

_NUMBER = struct.Struct("<Q")


class Generation(Protocol):
    def current(self) -> int: ...

    def advance(self) -> int: ...


class FileGeneration:
    """A counter in a memory-mapped file, raised under an exclusive file lock."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            if os.fstat(fd).st_size < _NUMBER.size:
                fcntl.flock(fd, fcntl.LOCK_EX)
                try:
                    if os.fstat(fd).st_size < _NUMBER.size:
                        os.ftruncate(fd, _NUMBER.size)
                        os.pwrite(fd, _NUMBER.pack(1), 0)
                finally:
                    fcntl.flock(fd, fcntl.LOCK_UN)
            self._map = mmap.mmap(fd, _NUMBER.size)
        finally:
            os.close(fd)
        self._lock_path = path.with_suffix(".lock")

    def current(self) -> int:
        return _NUMBER.unpack_from(self._map)[0]

    def advance(self) -> int:
        with open(self._lock_path, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            value = self.current() + 1
            _NUMBER.pack_into(self._map, 0, value)
            return value


class RedisGeneration:
    """A Redis counter, read at most every `poll_seconds` by each process."""

    def __init__(self, client, key: str, poll_seconds: float) -> None:
        self._client = client
        self._key = key
        self._poll_seconds = poll_seconds
        self._value = 0
        self._read_at = 0.0
        self._lock = threading.Lock()

    def current(self) -> int:
        now = time.monotonic()
        # One thread looks; the others carry on with the number they have meanwhile, so
        # a slow or unreachable Redis never queues requests behind it.
        if now - self._read_at >= self._poll_seconds and self._lock.acquire(blocking=False):
            try:
                self._value = self._read()
                self._read_at = now
            finally:
                self._lock.release()
        return self._value

    def _read(self) -> int:
        try:
            value = self._client.get(self._key)
        except Exception:  # Redis down: keep serving what we have, treat it as unchanged
            return self._value
        return int(value) if value is not None else 0

    def advance(self) -> int:
        value = int(self._client.incr(self._key))
        with self._lock:
            self._value = value
            self._read_at = time.monotonic()
        return value
