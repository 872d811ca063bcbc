"""Per-client limits in fixed windows. For frequent requests (view beacons, API reads): a
window per minute, counted in Redis when there is Redis (by the caller, e.g. inside the
view counting script), or in this process otherwise (each process then allows the limit
on its own). For rare, costly ones (password reset mails): `check_shared`, in the cache
that all processes share."""

from __future__ import annotations

import hashlib
import threading
import time

from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 60
_local: dict[tuple[str, int], int] = {}
_lock = threading.Lock()


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many requests; retry after {retry_after} s")
        self.retry_after = retry_after


def current_window(seconds: int = WINDOW_SECONDS) -> tuple[int, int]:
    """The number of the current window of `seconds` and the seconds left in it."""
    now = int(time.time())
    return now // seconds, seconds - now % seconds


def check_locally(client: str, limit: int) -> None:
    """Count one request from `client` in this process; raise RateLimited over the limit."""
    window, left = current_window()
    with _lock:
        if len(_local) > 100_000:  # a flood of distinct clients must not grow memory
            _local.clear()
        used = _local.get((client, window), 0) + 1
        _local[(client, window)] = used
        for stale in [key for key in _local if key[1] < window][:1000]:
            del _local[stale]
    if used > limit:
        raise RateLimited(left)


def check_shared(client: str, limit: int, window_seconds: int) -> None:
    """Count one request from `client` in a window of `window_seconds`, in Django's
    default cache (Redis, or the file cache that the embedded mode's processes share);
    raise RateLimited over the limit. For rare, costly requests (a mail sent), where a
    per-process count would multiply the limit by the number of processes."""
    window, left = current_window(window_seconds)
    # The client may be an e-mail address as typed: a digest keeps it out of the shared
    # cache and within the characters and length every cache backend takes as a key.
    digest = hashlib.sha256(client.encode()).hexdigest()[:32]
    key = f"{settings.DATELINE_CACHE_PREFIX}:ratelimit:{digest}:{window}"
    cache.add(key, 0, window_seconds + 5)
    try:
        used = cache.incr(key)
    except ValueError:  # the key expired between the two calls
        cache.set(key, 1, window_seconds + 5)
        used = 1
    # None: the cache is unreachable (Redis ignores its errors); let the request through.
    if used is not None and used > limit:
        raise RateLimited(left)
