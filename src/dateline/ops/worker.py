"""The background loop: what must happen on time, one runner at a time.

Every few seconds it moves buffered view counts into the database; once a minute, just
after the minute starts, it publishes what is due; once an hour it forgets past days'
readers."""

from __future__ import annotations

import logging
import os
import signal
import threading
import time

from django.conf import settings
from django.db import close_old_connections

logger = logging.getLogger("dateline.worker")


def guarded(name: str, job):
    """Run one job; a failure is logged and must not stop the others or the loop."""
    try:
        return job()
    except Exception:
        logger.exception("%s failed", name)
        return None


class Jobs:
    def __init__(self, publish_interval: int) -> None:
        self.publish_interval = publish_interval
        self.last_publish_slot: int | None = None
        self.last_prune_hour: int | None = None

    def run_due(self, now: float) -> None:
        from dateline.analytics.services import flush_views, prune_counts
        from dateline.news.services import run_scheduled_publishing

        close_old_connections()
        guarded("flushing view counts", flush_views)
        slot = int(now // self.publish_interval)
        if slot != self.last_publish_slot:
            self.last_publish_slot = slot
            if guarded("scheduled publishing", run_scheduled_publishing) is None:
                logger.debug("another runner is publishing; skipped")
        hour = int(now // 3600)
        if hour != self.last_prune_hour:
            self.last_prune_hour = hour
            guarded("forgetting past readers", prune_counts)


def run_worker(
    interval: int | None = None, once: bool = False, parent_pid: int | None = None
) -> None:
    """Run the jobs until stopped, or until `parent_pid` is gone (the worker that
    `dateline serve` starts must not outlive it, even after a kill -9)."""
    jobs = Jobs(interval or settings.DATELINE_SCHEDULER_INTERVAL)
    tick = min(settings.DATELINE_FLUSH_INTERVAL, jobs.publish_interval)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    logger.info(
        "worker started: views flushed every %d s, scheduled publishing every %d s",
        tick,
        jobs.publish_interval,
    )
    while True:
        jobs.run_due(time.time())
        logger.debug("round finished")
        # Waking just after each boundary keeps "go live at 12:00" within a minute.
        if once or stop.wait(tick - time.time() % tick + 0.2):
            break
        if parent_pid is not None and os.getppid() != parent_pid:
            logger.info("the server that started this worker is gone")
            break
    if not once:
        from dateline.analytics.services import flush_views

        guarded("flushing view counts before stopping", flush_views)
    logger.info("worker stopped")
