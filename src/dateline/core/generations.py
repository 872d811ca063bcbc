"""Generations: how every kept copy of published content (cached pages, fragments, feeds,
sitemaps, per-process copies) learns that it is out of date.

A generation is a named number shared by every process of the site. A copy remembers the
numbers it was made under and is out of date as soon as one has moved on; a change of
content moves them on (news/events.py says which, and when). There is one scheme for every
copy:

- `content`: every change of published content; what lists stories follows it;
- `structure`: changes of what frames every page (settings, navigation, sections…);
- `pulled`: the content generation of the last story taken down (unpublished, deleted,
  made private). Copies older than it may not even be served as stale;
- `feeds:<language>` and `feeds:all`: the feeds and sitemaps of one language, and the
  ones covering every language.

The numbers only ever go up, on every backend and after any loss: a number starts from the
clock (in microseconds) and every raise takes it to at least the clock, so a counter that
was lost (a Redis restart, a removed data folder) comes back above every number it held,
and an old copy can never count as current again.

Embedded mode keeps each number in a small memory-mapped file in the data folder, read by
every process at the cost of a memory load. Scale mode keeps them in Redis; each process
reads them all in one round trip at most every `DATELINE_PAGE_CACHE_POLL_SECONDS`, so a
change reaches the other servers within that interval, and the one that made it at once."""

from __future__ import annotations

import fcntl
import functools
import logging
import mmap
import os
import re
import struct
import threading
import time
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

logger = logging.getLogger(__name__)

CONTENT = "content"
STRUCTURE = "structure"
PULLED = "pulled"

_NUMBER = struct.Struct("<Q")
_SAFE_NAME = re.compile(r"[^A-Za-z0-9_.-]")


def clock() -> int:
    """The floor of every new number: now, in microseconds."""
    return time.time_ns() // 1000


class Counters(Protocol):
    def current(self, name: str) -> int: ...

    def read_now(self, name: str) -> int: ...

    def advance(self, names: tuple[str, ...]) -> dict[str, int]: ...

    def raise_to(self, name: str, value: int) -> None: ...


class FileCounters:
    """Numbers in memory-mapped files, one per name, raised under an exclusive file lock."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self._folder = folder
        self._maps: dict[str, mmap.mmap] = {}
        self._lock = threading.Lock()

    def _path(self, name: str) -> Path:
        return self._folder / _SAFE_NAME.sub("_", name)

    def _map(self, name: str, seed: int | None = None) -> mmap.mmap:
        try:
            return self._maps[name]
        except KeyError:
            pass
        with self._lock:
            if name not in self._maps:
                self._maps[name] = self._open(self._path(name), clock() if seed is None else seed)
            return self._maps[name]

    @staticmethod
    def _open(path: Path, seed: int) -> mmap.mmap:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            if os.fstat(fd).st_size < _NUMBER.size:
                fcntl.flock(fd, fcntl.LOCK_EX)
                try:
                    if os.fstat(fd).st_size < _NUMBER.size:
                        os.ftruncate(fd, _NUMBER.size)
                        os.pwrite(fd, _NUMBER.pack(seed), 0)
                finally:
                    fcntl.flock(fd, fcntl.LOCK_UN)
            return mmap.mmap(fd, _NUMBER.size)
        finally:
            os.close(fd)

    def current(self, name: str) -> int:
        return _NUMBER.unpack_from(self._map(name))[0]

    def read_now(self, name: str) -> int:
        """A floor (only ever raised to a generation): 0 until it is first raised."""
        if name not in self._maps and not self._path(name).exists():
            return 0
        return self.current(name)

    def _locked(self, name: str):
        lock = open(self._path(name).with_suffix(".lock"), "a")  # noqa: SIM115
        fcntl.flock(lock, fcntl.LOCK_EX)
        return lock

    def advance(self, names: tuple[str, ...]) -> dict[str, int]:
        raised = {}
        for name in names:
            mapped = self._map(name)
            with self._locked(name):
                value = max(_NUMBER.unpack_from(mapped)[0] + 1, clock())
                _NUMBER.pack_into(mapped, 0, value)
            raised[name] = value
        return raised

    def raise_to(self, name: str, value: int) -> None:
        mapped = self._map(name, seed=0)
        with self._locked(name):
            if _NUMBER.unpack_from(mapped)[0] < value:
                _NUMBER.pack_into(mapped, 0, value)


# INCR, then at least the clock; a lost key comes back at the clock too.
_ADVANCE = """
local raised = {}
for i, key in ipairs(KEYS) do
    local value = redis.call('INCR', key)
    if value < tonumber(ARGV[1]) then
        value = tonumber(ARGV[1])
        redis.call('SET', key, ARGV[1])
    end
    raised[i] = value
end
return raised
"""
_RAISE_TO = """
local value = tonumber(redis.call('GET', KEYS[1]) or '0')
if value < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]) end
return 1
"""


class RedisCounters:
    """Numbers in Redis, all read in one round trip at most every `poll_seconds`."""

    def __init__(self, client, prefix: str, poll_seconds: float) -> None:
        self._client = client
        self._prefix = prefix
        self._poll_seconds = poll_seconds
        self._values: dict[str, int] = {}
        self._read_at = 0.0
        self._lock = threading.Lock()

    def _key(self, name: str) -> str:
        return f"{self._prefix}:generation:{name}"

    def current(self, name: str) -> int:
        if name not in self._values:
            self._values.setdefault(name, 0)
            self._read_at = 0.0  # a name not read before is read now
        now = time.monotonic()
        # One thread looks; the others carry on with the numbers they have meanwhile, so
        # a slow or unreachable Redis never queues requests behind it.
        if now - self._read_at >= self._poll_seconds and self._lock.acquire(blocking=False):
            try:
                self._poll()
                self._read_at = now
            finally:
                self._lock.release()
        return self._values[name]

    def read_now(self, name: str) -> int:
        try:
            value = self._client.get(self._key(name))
        except Exception:  # Redis down: what this process last saw
            return self._values.get(name, 0)
        return int(value) if value is not None else 0

    def _poll(self) -> None:
        names = list(self._values)
        try:
            found = self._client.mget([self._key(name) for name in names])
        except Exception:  # Redis down: keep serving what we have, treat it as unchanged
            return
        missing = [name for name, value in zip(names, found, strict=True) if value is None]
        if missing:
            self.advance(tuple(missing))
        for name, value in zip(names, found, strict=True):
            if value is not None:
                self._values[name] = max(self._values.get(name, 0), int(value))

    def advance(self, names: tuple[str, ...]) -> dict[str, int]:
        values = self._client.eval(_ADVANCE, len(names), *map(self._key, names), clock())
        raised = {name: int(value) for name, value in zip(names, values, strict=True)}
        self._values.update(raised)
        return raised

    def raise_to(self, name: str, value: int) -> None:
        self._client.eval(_RAISE_TO, 1, self._key(name), value)
        if self._values.get(name, 0) < value:
            self._values[name] = value


def redis_client():
    return _redis_client(settings.REDIS_URL)


@functools.lru_cache(maxsize=4)
def _redis_client(url: str):
    import redis

    return redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)


_COUNTER_SETTINGS = frozenset(
    {"REDIS_URL", "DATELINE_CACHE_PREFIX", "DATA_DIR", "DATELINE_PAGE_CACHE_POLL_SECONDS"}
)
# Every cached page's answer asks for the counters twice; reading four settings each time
# was a tenth of that answer's cost. Kept until one of those settings changes.
_chosen: list[Counters] = []


def counters() -> Counters:
    """This process's view of the generations, on the backend the settings choose (kept
    per configuration, so settings changed by a test are followed)."""
    if _chosen:
        return _chosen[0]
    chosen = _counters(
        settings.REDIS_URL,
        settings.DATELINE_CACHE_PREFIX,
        str(settings.DATA_DIR),
        settings.DATELINE_PAGE_CACHE_POLL_SECONDS,
    )
    _chosen[:] = [chosen]
    return chosen


@receiver(setting_changed)
def _forget_chosen_counters(setting: str, **kwargs) -> None:
    if setting in _COUNTER_SETTINGS:
        _chosen.clear()


@functools.lru_cache(maxsize=4)
def _counters(redis_url: str, prefix: str, data_dir: str, poll_seconds: float) -> Counters:
    if redis_url:
        return RedisCounters(_redis_client(redis_url), prefix, poll_seconds=poll_seconds)
    return FileCounters(Path(data_dir) / "generations")


def current(name: str) -> int:
    return counters().current(name)


def advance(*names: str) -> dict[str, int]:
    """Move the named generations on. A failure is logged, not raised: the change itself
    stands, and copies then expire on their own."""
    try:
        return counters().advance(names)
    except Exception:
        logger.exception("generations %s could not be raised; copies expire on their own", names)
        return {}


def raise_to(name: str, value: int) -> None:
    try:
        counters().raise_to(name, value)
    except Exception:
        logger.exception("generation %s could not be raised", name)


# A response that follows generations besides the content one (a live blog's page follows
# its stream) names them in this header, with the numbers read before it was made. The page
# cache keeps it fresh only while they stay the same, and never passes the header on.
FOLLOWS_HEADER = "Dateline-Follows"


def follows_value(names: list[str]) -> str:
    return ",".join(f"{name}={current(name)}" for name in names)


def parse_follows(value: str) -> tuple[tuple[str, int], ...]:
    """The (name, number) pairs of a FOLLOWS_HEADER value; what cannot be read is left out."""
    pairs = []
    for item in value.split(","):
        name, _, number = item.strip().rpartition("=")
        if name and number.isdigit():
            pairs.append((name, int(number)))
    return tuple(pairs)


def retire(*, structure: bool, pulled: bool = False, extra: tuple[str, ...] = ()) -> None:
    """Retire what lists stories (and, with `structure`, what frames every page); with
    `pulled`, copies made before now may no longer be served even as stale."""
    names = (CONTENT, *((STRUCTURE,) if structure else ()), *extra)
    raised = advance(*names)
    if pulled and CONTENT in raised:
        raise_to(PULLED, raised[CONTENT])


class Named:
    """One generation as an object (the page cache's), with the one below which copies
    may not be served at all."""

    def __init__(self, name: str, floor: str | None = None, backend: Counters | None = None):
        self.name = name
        self.floor_name = floor
        self._backend = backend

    @property
    def backend(self) -> Counters:
        return self._backend or counters()

    def current(self) -> int:
        return self.backend.current(self.name)

    def advance(self) -> int:
        return self.backend.advance((self.name,))[self.name]

    def floor(self) -> int:
        """The oldest generation whose copies may be served at all, read afresh."""
        if self.floor_name is None:
            return 0
        try:
            return self.backend.read_now(self.floor_name)
        except Exception:
            return 0
