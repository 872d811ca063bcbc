"""A per-client limit on API reads: a fixed window per minute, shared through Redis when
there is Redis, counted in each process otherwise (as the beacon's limit is)."""

from __future__ import annotations

import hashlib
import hmac
import logging

from django.conf import settings
from django.http import HttpRequest
from redis.exceptions import RedisError

from dateline.core.clients import client_ip
from dateline.core.ratelimit import WINDOW_SECONDS, RateLimited, check_locally, current_window

logger = logging.getLogger(__name__)


def client_key(request: HttpRequest) -> str:
    """The client's address, keyed-hashed: no address is written anywhere."""
    address = client_ip(request).encode()
    return hmac.new(settings.SECRET_KEY.encode(), address, hashlib.sha256).hexdigest()[:24]


def check(request: HttpRequest) -> None:
    """Count one request; raise RateLimited when the client is over its limit."""
    limit = settings.DATELINE_API_RATE_LIMIT
    if limit <= 0:
        return
    client = client_key(request)
    if settings.REDIS_URL:
        window, left = current_window()
        try:
            from django_redis import get_redis_connection

            key = f"{settings.DATELINE_CACHE_PREFIX}:api-rate:{client}:{window}"
            pipe = get_redis_connection("default").pipeline()
            pipe.incr(key)
            pipe.expire(key, WINDOW_SECONDS + 1)
            used = pipe.execute()[0]
        except RedisError:
            logger.warning("Redis unavailable; limiting API clients per process")
        else:
            if used > limit:
                raise RateLimited(left)
            return
    check_locally(f"api:{client}", limit)
