"""A cache in this process's memory bounded by the bytes it holds, not by its number of
entries: one entry may be a 40-byte number or a 30 KB block of HTML, so a count says
nothing about the memory taken.

Values are kept pickled, as Django's own memory cache keeps them, so a caller can never
change a stored value through the object it got back, and the pickled length is what is
counted. Text (a rendered fragment, mostly) and bytes (a feed or sitemap) cannot be changed
through any reference, so they are kept as they are: unpickling 30 KB of HTML on every read
cost more than the lookup, and a sitemap of 340 KB was copied on every read.
The least recently used entries go first. Django makes a cache object per thread;
the entries of one `LOCATION` are shared by all of them."""

from __future__ import annotations

import pickle
import sys
import threading
import time
from collections import OrderedDict
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.utils.safestring import SafeString

# Python's bookkeeping for one entry (the key's string, the dictionary slot, the tuple).
ENTRY_OVERHEAD = 200
DEFAULT_MAX_BYTES = 8 * 1024 * 1024


# Immutable, and kept as they are: `str` and Django's SafeString (a marked-safe fragment).
_KEPT_AS_IS = (str, SafeString)


class _KeptBytes:
    """A bytes value kept as it is; stored bytes are otherwise a pickle."""

    __slots__ = ("value",)

    def __init__(self, value: bytes) -> None:
        self.value = value


_Stored = bytes | str | _KeptBytes


def _stored(value: Any, protocol: int) -> _Stored:
    kind = type(value)
    if kind is bytes:
        return _KeptBytes(value)
    return value if kind in _KEPT_AS_IS else pickle.dumps(value, protocol)


def _restored(stored: _Stored) -> Any:
    kind = type(stored)
    if kind is bytes:
        return pickle.loads(stored)
    return stored.value if kind is _KeptBytes else stored


def _size(stored: _Stored) -> int:
    kind = type(stored)
    if kind is bytes:
        return len(stored)
    return len(stored.value) if kind is _KeptBytes else sys.getsizeof(stored)


class _Entries:
    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.items: OrderedDict[str, tuple[_Stored, float | None]] = OrderedDict()
        self.bytes = 0
        self.lock = threading.Lock()

    def put(self, key: str, stored: _Stored, expires: float | None) -> None:
        size = _size(stored) + len(key) + ENTRY_OVERHEAD
        self.drop(key)
        if size > self.max_bytes:
            return
        self.items[key] = (stored, expires)
        self.bytes += size
        while self.bytes > self.max_bytes:
            old_key, (old, _expires) = self.items.popitem(last=False)
            self.bytes -= _size(old) + len(old_key) + ENTRY_OVERHEAD

    def live(self, key: str) -> tuple[_Stored, float | None] | None:
        found = self.items.get(key)
        if found is None:
            return None
        if found[1] is not None and found[1] <= time.time():
            self.drop(key)
            return None
        self.items.move_to_end(key)
        return found

    def drop(self, key: str) -> bool:
        found = self.items.pop(key, None)
        if found is None:
            return False
        self.bytes -= _size(found[0]) + len(key) + ENTRY_OVERHEAD
        return True


_by_location: dict[str, _Entries] = {}
_registry_lock = threading.Lock()


class BoundedMemoryCache(BaseCache):
    """`OPTIONS` takes `MAX_BYTES` (8 MB unless given)."""

    pickle_protocol = pickle.HIGHEST_PROTOCOL

    def __init__(self, location: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS", {}))
        max_bytes = int(options.pop("MAX_BYTES", DEFAULT_MAX_BYTES))
        super().__init__({**params, "OPTIONS": options})
        with _registry_lock:
            entries = _by_location.setdefault(location, _Entries(max_bytes))
        entries.max_bytes = max_bytes
        self._entries = entries

    @property
    def bytes_held(self) -> int:
        return self._entries.bytes

    def validate_key(self, key: str) -> None:
        """Keys stay in this process: memcached's limits on them (checked character by
        character on every read) do not apply."""

    def _expiry(self, timeout: float | None | object) -> float | None:
        return self.get_backend_timeout(timeout)

    def add(
        self,
        key: str,
        value: Any,
        timeout: float | None | object = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> bool:
        key = self.make_and_validate_key(key, version=version)
        stored = _stored(value, self.pickle_protocol)
        with self._entries.lock:
            if self._entries.live(key) is not None:
                return False
            self._entries.put(key, stored, self._expiry(timeout))
            return True

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        key = self.make_and_validate_key(key, version=version)
        with self._entries.lock:
            found = self._entries.live(key)
        return default if found is None else _restored(found[0])

    def set(
        self,
        key: str,
        value: Any,
        timeout: float | None | object = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> None:
        key = self.make_and_validate_key(key, version=version)
        stored = _stored(value, self.pickle_protocol)
        with self._entries.lock:
            self._entries.put(key, stored, self._expiry(timeout))

    def touch(
        self, key: str, timeout: float | None | object = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        key = self.make_and_validate_key(key, version=version)
        with self._entries.lock:
            found = self._entries.live(key)
            if found is None:
                return False
            self._entries.put(key, found[0], self._expiry(timeout))
            return True

    def delete(self, key: str, version: int | None = None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        with self._entries.lock:
            return self._entries.drop(key)

    def has_key(self, key: str, version: int | None = None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        with self._entries.lock:
            return self._entries.live(key) is not None

    def clear(self) -> None:
        with self._entries.lock:
            self._entries.items.clear()
            self._entries.bytes = 0
