"""/healthz and /readyz, answered in front of Django: no session, no language redirect, no
cache, nothing but the check itself.

/healthz says the process is up. /readyz says whether this process can serve: the database
answers and, when one is configured, Redis answers; otherwise 503 with a JSON body naming
what failed, so a load balancer takes the process out until it recovers.

/readyz also reports the background work: when a worker was last heard from, how many
tasks wait and for how long. A worker not heard from for DATELINE_WORKER_STALE_SECONDS, or
a task waiting that long, makes the status "degraded" but not 503: every web process would
fail the same check at once, and a load balancer that took them all out would stop the
site over work that can wait. An operator whose /readyz feeds an alert rather than a load
balancer sets DATELINE_READY_MAX_QUEUE_AGE: a task waiting longer than that answers 503."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from functools import cache

from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import connections
from django.db.models import Count, Min
from django.utils import timezone

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


def background() -> dict[str, object]:
    """The worker's and the queue's state, and whether either has stalled."""
    from dateline.core.heartbeats import last_seen, workers_seen_since

    now = timezone.now()
    stale = settings.DATELINE_WORKER_STALE_SECONDS
    seen = last_seen()
    report: dict[str, object] = {}
    if seen is None:
        report["worker"] = "never seen"
    else:
        silent = max(0, int((now - seen).total_seconds()))
        report["worker"] = "ok" if silent <= stale else f"not seen for {silent} s"
        report["workers"] = workers_seen_since(now - timedelta(seconds=stale))
    stalled = report["worker"] != "ok"
    count, oldest = _queue_depth()
    report["queued"] = count
    if oldest is not None:
        age = max(0, int((now - oldest).total_seconds()))
        report["oldest_queued_seconds"] = age
        stalled = stalled or age > stale
        limit = settings.DATELINE_READY_MAX_QUEUE_AGE
        if limit and age > limit:
            report["overdue"] = True
    report["stalled"] = stalled
    return report


def _queue_depth() -> tuple[int, datetime | None]:
    """How many tasks wait to run now, and when the oldest of them was queued."""
    if settings.DATELINE_TASKS == "database":
        from django_tasks_db.models import DBTaskResult

        waiting = DBTaskResult.objects.ready().aggregate(
            count=Count("pk"), oldest=Min("enqueued_at")
        )
        return waiting["count"], waiting["oldest"]
    import django_rq
    from django_tasks_rq.backend import Job

    queue = django_rq.get_queue("default", job_class=Job)
    first = queue.get_job_ids(0, 1)
    job = Job.fetch_many(first, connection=queue.connection)[0] if first else None
    oldest = job.enqueued_at if job is not None else None
    if oldest is not None and oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=UTC)
    return queue.count, oldest


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
            work = _background_if_database_answers(checks)
        finally:
            request_finished.send(sender=self.__class__)
        if work.get("overdue"):
            checks["queue"] = f"oldest task waiting {work['oldest_queued_seconds']} s"
        if all(result == "ok" for result in checks.values()):
            status = "degraded" if work.get("stalled") else "ok"
            body = {"status": status, "checks": checks, "background": work}
            return _answer(start_response, "200 OK", body, head_only)
        failed = sorted(name for name, result in checks.items() if result != "ok")
        return _answer(
            start_response,
            "503 Service Unavailable",
            {"status": "unavailable", "failed": failed, "checks": checks},
            head_only,
        )


def _background_if_database_answers(checks: dict[str, str]) -> dict[str, object]:
    if checks.get("database") != "ok":
        return {}
    try:
        return background()
    except Exception as error:
        logger.warning("readiness: the background work could not be read: %s", error)
        return {"worker": f"unknown ({type(error).__name__})", "stalled": True}
