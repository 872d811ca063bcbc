"""The background loop: what must happen on time, one runner at a time."""

from __future__ import annotations

import logging
import os
import signal
import threading
import time

from django.conf import settings
from django.db import close_old_connections

logger = logging.getLogger("dateline.worker")


def run_jobs_once() -> None:
    from dateline.news.services import run_scheduled_publishing

    close_old_connections()
    published = run_scheduled_publishing()
    if published is None:
        logger.debug("another runner is publishing; skipped")


def run_worker(
    interval: int | None = None, once: bool = False, parent_pid: int | None = None
) -> None:
    """Run the jobs every `interval` seconds until stopped, or until `parent_pid` is gone
    (the worker that `dateline serve` starts must not outlive it, even after a kill -9)."""
    interval = interval or settings.DATELINE_SCHEDULER_INTERVAL
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    logger.info("worker started: scheduled publishing every %d s", interval)
    while True:
        try:
            run_jobs_once()
        except Exception:  # a failed run must not end the loop; the next one retries
            logger.exception("background jobs failed")
        # Waking just after each wall-clock boundary keeps "go live at 12:00" within a minute.
        if once or stop.wait(interval - time.time() % interval + 0.5):
            break
        if parent_pid is not None and os.getppid() != parent_pid:
            logger.info("the server that started this worker is gone")
            break
    logger.info("worker stopped")
