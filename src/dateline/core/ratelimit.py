"""A per-client limit (view beacons, API reads): a fixed window per minute, counted in
Redis when there is Redis (by the caller, e.g. inside the view counting script), or in
this process otherwise (each process then allows the limit on its own)."""

from __future__ import annotations

import threading
import time

WINDOW_SECONDS = 60
_local: dict[tuple[str, int], int] = {}
_lock = threading.Lock()


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many requests; retry after {retry_after} s")
        self.retry_after = retry_after


def current_window() -> tuple[int, int]:
    """The window's number and the seconds left in it."""
    now = int(time.time())
    return now // WINDOW_SECONDS, WINDOW_SECONDS - now % WINDOW_SECONDS


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
