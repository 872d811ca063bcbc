"""A per-client limit on beacons: a fixed window counted in Redis when there is one, or in
this process otherwise (each process then allows the limit on its own)."""

from __future__ import annotations

import threading
import time

from django.conf import settings

WINDOW_SECONDS = 60
_local: dict[tuple[str, int], int] = {}
_lock = threading.Lock()


def retry_after(client: str, limit: int | None = None, redis=None) -> int | None:
    """Count one request from `client`; seconds to wait if it is over the limit, else None."""
    limit = limit or settings.DATELINE_BEACON_RATE_LIMIT
    window = int(time.time()) // WINDOW_SECONDS
    wait = WINDOW_SECONDS - int(time.time()) % WINDOW_SECONDS
    if redis is not None:
        key = f"{settings.DATELINE_CACHE_PREFIX}:beacon-rate:{client}:{window}"
        pipe = redis.pipeline()
        pipe.incr(key)
        pipe.expire(key, WINDOW_SECONDS + 5)
        used = pipe.execute()[0]
    else:
        with _lock:
            if len(_local) > 100_000:  # a flood of distinct clients must not grow memory
                _local.clear()
            used = _local.get((client, window), 0) + 1
            _local[(client, window)] = used
            for stale in [key for key in _local if key[1] < window][:1000]:
                del _local[stale]
    return wait if used > limit else None
