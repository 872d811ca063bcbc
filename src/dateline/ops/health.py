"""/healthz and /readyz, answered in front of Django: no session, no language redirect, no
cache, nothing but the check itself.

/healthz says the process is up. /readyz says whether this process can serve: the database
answers and, when one is configured, Redis answers; otherwise 503 with a JSON body naming
what failed, so a load balancer takes the process out until it recovers."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from functools import cache

from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import connections

logger = logging.getLogger(__name__)

HEALTH_PATHS = ("/healthz", "/readyz")
CHECK_TIMEOUT_SECONDS = 2


def check_database() -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


@cache
def _redis_client():
    import redis

    return redis.Redis.from_url(
        settings.REDIS_URL,
        socket_connect_timeout=CHECK_TIMEOUT_SECONDS,
        socket_timeout=CHECK_TIMEOUT_SECONDS,
    )


def check_redis() -> None:
    _redis_client().ping()


def readiness() -> dict[str, str]:
    """Each configured service and "ok", or the kind of error it gave."""
    checks = {"database": check_database}
    if settings.REDIS_URL:
        checks["redis"] = check_redis
    results = {}
    for name, check in checks.items():
        try:
            check()
            results[name] = "ok"
        except Exception as error:
            logger.warning("readiness: %s is not answering: %s", name, error)
            # The details (hosts, users) go to the log, not to whoever asks.
            results[name] = f"unavailable ({type(error).__name__})"
    return results


def _answer(start_response: Callable, status: str, body: dict, head_only: bool) -> list[bytes]:
    data = json.dumps(body).encode()
    start_response(
        status,
        [
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(data))),
            ("Cache-Control", "no-store"),
            ("X-Content-Type-Options", "nosniff"),
        ],
    )
    return [] if head_only else [data]


class HealthChecks:
    def __init__(self, app: Callable) -> None:
        self.app = app

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "")
        if path not in HEALTH_PATHS or method not in ("GET", "HEAD"):
            return self.app(environ, start_response)
        head_only = method == "HEAD"
        if path == "/healthz":
            return _answer(start_response, "200 OK", {"status": "ok"}, head_only)
        # Django's request signals, so a broken database connection is closed afterwards
        # and the next check connects afresh.
        request_started.send(sender=self.__class__, environ=environ)
        try:
            checks = readiness()
        finally:
            request_finished.send(sender=self.__class__)
        if all(result == "ok" for result in checks.values()):
            return _answer(start_response, "200 OK", {"status": "ok", "checks": checks}, head_only)
        failed = sorted(name for name, result in checks.items() if result != "ok")
        return _answer(
            start_response,
            "503 Service Unavailable",
            {"status": "unavailable", "failed": failed, "checks": checks},
            head_only,
        )
