"""Where cached pages live: a bounded dictionary in each process, in front of a store
shared by all processes (the file cache in embedded mode, Redis in scale mode)."""

from __future__ import annotations

import dataclasses
import fcntl
import hashlib
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .compression import identity_of

logger = logging.getLogger(__name__)


@dataclass(slots=True)
class Entry:
    """A rendered response and the encodings prepared for it."""

    generation: int
    stored_at: float
    status: str
    headers: list[tuple[str, str]]
    # content coding ("identity", "gzip", "br") -> bytes; a compressible page is kept
    # without "identity" (compression.py)
    bodies: dict[str, bytes]
    etag: str
    last_modified: str
    size: int = field(init=False)
    # Other generations the response follows, with the numbers it was made under
    # (core/generations.py FOLLOWS_HEADER): a live blog's page follows its stream.
    follows: tuple[tuple[str, int], ...] = ()
    # The response headers by (content coding, X-Cache outcome), made on first use: a
    # cached page is answered thousands of times with the same ones.
    answers: dict[tuple[str, str], tuple[tuple[str, str], ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        self.size = sum(len(body) for body in self.bodies.values()) + 512

    def headers_for(self, encoding: str, outcome: str) -> list[tuple[str, str]]:
        """The headers of this copy's answer in `encoding` (a new list: servers and outer
        layers add their own)."""
        prepared = self.answers.get((encoding, outcome))
        if prepared is None:
            headers = [
                *self.headers,
                ("Content-Length", str(len(self.bodies[encoding]))),
                ("X-Cache", outcome),
            ]
            if "gzip" in self.bodies:
                headers.append(("Vary", "Accept-Encoding"))
            if encoding != "identity":
                headers.append(("Content-Encoding", encoding))
            prepared = self.answers[(encoding, outcome)] = tuple(headers)
        return list(prepared)

    def with_identity(self) -> Entry:
        """This entry with its plain body too, for clients that accept no compression."""
        if "identity" in self.bodies:
            return self
        return dataclasses.replace(
            self, bodies={**self.bodies, "identity": identity_of(self.bodies)}
        )

    def is_fresh(
        self,
        generation: int,
        now: float,
        fresh_seconds: float,
        current_of: Callable[[str], int] | None = None,
    ) -> bool:
        if self.generation != generation or now - self.stored_at >= fresh_seconds:
            return False
        # A copy kept in the shared store before an upgrade has no `follows`.
        follows = getattr(self, "follows", ())
        if follows and current_of is not None:
            return all(current_of(name) == number for name, number in follows)
        return True


class LocalStore:
    """A least-recently-used dictionary bounded by the bytes it holds."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, Entry] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> Entry | None:
        entry = self._entries.get(key)
        if entry is not None:
            # Not contextlib.suppress: on a cached page's path its setting up costs more
            # than the rest of the lookup.
            try:  # noqa: SIM105
                self._entries.move_to_end(key)
            except KeyError:  # dropped by another thread meanwhile
                pass
        return entry

    def put(self, key: str, entry: Entry) -> None:
        if entry.size > self.max_bytes:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old.size
            self._entries[key] = entry
            self._bytes += entry.size
            while self._bytes > self.max_bytes and self._entries:
                _key, dropped = self._entries.popitem(last=False)
                self._bytes -= dropped.size

    def replace(self, key: str, old: Entry, new: Entry) -> None:
        """Put `new` in place of `old`, unless another copy took its place meanwhile."""
        if self._entries.get(key) is old:
            self.put(key, new)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)


class SharedStore:
    """Pages shared between processes through a Django cache; an outage of that cache
    only costs renders."""

    def __init__(self, cache, keep_seconds: int) -> None:
        self._cache = cache
        self._keep_seconds = keep_seconds

    def get(self, key: str) -> Entry | None:
        try:
            entry = self._cache.get(_shared_key(key))
        except Exception:
            logger.warning("the shared page cache could not be read", exc_info=True)
            return None
        if not isinstance(entry, Entry):
            return None
        if not hasattr(entry, "answers"):  # kept by an earlier version, before the field
            entry.answers = {}
        return entry

    def put(self, key: str, entry: Entry) -> None:
        try:
            self._cache.set(_shared_key(key), entry, self._keep_seconds)
        except Exception:
            logger.warning("the shared page cache could not be written", exc_info=True)


def _shared_key(key: str) -> str:
    return "page:" + hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()


LOCK_SLOTS = 4096


class RenderLocks:
    """One render per page at a time across every process on the machine (file locks) or
    across every server (Redis, when the shared store is Redis)."""

    def __init__(self, lock_dir: Path, redis_client=None, prefix: str = "") -> None:
        self._lock_dir = lock_dir
        self._redis = redis_client
        self._prefix = prefix
        self._local = threading.Lock()
        self._held: dict[str, object] = {}
        lock_dir.mkdir(parents=True, exist_ok=True)

    def try_acquire(self, key: str, timeout: float = 30.0) -> bool:
        name = hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()
        with self._local:
            if name in self._held:
                return False
            self._held[name] = None
        try:
            acquired = self._acquire_shared(name, timeout)
        except Exception:
            logger.warning("the render lock could not be taken", exc_info=True)
            acquired = True  # render anyway: a missing lock service must not stop pages
        if not acquired:
            with self._local:
                self._held.pop(name, None)
        return acquired

    def release(self, key: str) -> None:
        name = hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()
        with self._local:
            handle = self._held.pop(name, None)
        try:
            if self._redis is not None:
                self._redis.delete(f"{self._prefix}:render-lock:{name}")
            elif handle is not None:
                os.close(handle)
        except Exception:
            logger.warning("the render lock could not be released", exc_info=True)

    def _acquire_shared(self, name: str, timeout: float) -> bool:
        if self._redis is not None:
            key = f"{self._prefix}:render-lock:{name}"
            return bool(self._redis.set(key, "1", nx=True, px=int(timeout * 1000)))
        # A fixed set of lock files, so a site with a million addresses keeps a few thousand.
        slot = int(name[:8], 16) % LOCK_SLOTS
        fd = os.open(self._lock_dir / f"{slot:04x}", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        with self._local:
            self._held[name] = fd
        return True
