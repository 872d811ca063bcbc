"""The cache behind `{% fragment %}` (core/cached_fragments.py): a copy in each process
in front of the cache every process shares (the file cache in embedded mode, Redis in scale mode).

An uncached article shows about a dozen fragments; reading each from the shared cache is
a file read or a Redis round trip, which cost a third of the whole render. Every fragment
key carries a generation (core/fragments.py), so a change anywhere gives new keys at once
in every process and the copies here can never show retired content. The copies are kept
for at most `LOCAL_SECONDS`, so a fragment that lasts by time alone (most read) is at most
that much older than its shared copy."""

from __future__ import annotations

from typing import Any

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache

from .memory_cache import DEFAULT_MAX_BYTES, BoundedMemoryCache

_MISSING = object()


class ProcessFirstCache(BaseCache):
    """`LOCATION` names the shared cache alias; `OPTIONS` may set `LOCAL_SECONDS` (30)
    and `LOCAL_MAX_BYTES` (8 MB) for this process's copies, and `LOCAL_NAME` when two
    aliases keep copies of one shared cache, each within its own bytes."""

    def __init__(self, location: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS", {}))
        self.local_seconds = float(options.pop("LOCAL_SECONDS", 30))
        local_max_bytes = int(options.pop("LOCAL_MAX_BYTES", DEFAULT_MAX_BYTES))
        local_name = options.pop("LOCAL_NAME", location)
        super().__init__({**params, "OPTIONS": options})
        self.shared_alias = location
        self.local = BoundedMemoryCache(
            f"process-first-{local_name}",
            {"TIMEOUT": self.local_seconds, "OPTIONS": {"MAX_BYTES": local_max_bytes}},
        )

    @property
    def shared(self) -> BaseCache:
        return caches[self.shared_alias]

    def _local_timeout(self, timeout: float | None | object) -> float:
        if timeout is DEFAULT_TIMEOUT or timeout is None:
            return self.local_seconds
        return min(float(timeout), self.local_seconds)

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        value = self.local.get(key, _MISSING, version)
        if value is not _MISSING:
            return value
        value = self.shared.get(key, _MISSING, version)
        if value is _MISSING:
            return default
        self.local.set(key, value, self.local_seconds, version)
        return value

    def set(
        self,
        key: str,
        value: Any,
        timeout: float | None | object = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> None:
        self.shared.set(key, value, timeout, version)
        self.local.set(key, value, self._local_timeout(timeout), version)

    def add(
        self,
        key: str,
        value: Any,
        timeout: float | None | object = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> bool:
        added = self.shared.add(key, value, timeout, version)
        if added:
            self.local.set(key, value, self._local_timeout(timeout), version)
        return added

    def touch(
        self, key: str, timeout: float | None | object = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        return self.shared.touch(key, timeout, version)

    def delete(self, key: str, version: int | None = None) -> bool:
        self.local.delete(key, version)
        return self.shared.delete(key, version)

    def has_key(self, key: str, version: int | None = None) -> bool:
        return self.local.has_key(key, version) or self.shared.has_key(key, version)

    def clear(self) -> None:
        """This process's copies only: the shared cache holds more than fragments, and
        clearing it is for whoever owns it."""
        self.local.clear()
