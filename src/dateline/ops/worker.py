"""`dateline worker`: the task worker of the chosen queue, and beside it the enqueuer that
queues the periodic jobs (ops/schedule.py) and says that this worker is alive.

The task worker runs in the main thread, where it can handle SIGTERM (finish the task at
hand, then stop); the enqueuer runs in a thread. The worker that `dateline serve` starts
stops when that server is gone, even after a kill -9 of the server."""

from __future__ import annotations

import faulthandler
import functools
import logging
import os
import signal
import socket
import threading
import time

import redis
from django.conf import settings
from django.db import DatabaseError, close_old_connections, connections
from django_tasks_db.management.commands.db_worker import Worker

from dateline.core.heartbeats import beat

from .memory import start_returning_freed_memory
from .schedule import Enqueuer, periodic_jobs, run_all_inline

logger = logging.getLogger("dateline.worker")

QUEUES = ["default"]


def close_connections() -> None:
    """Let go of every database connection: before a pause, at a stop, and before RQ runs
    jobs (a connection must not be shared with another thread or process)."""
    connections.close_all()


def worker_name() -> str:
    # The database queue keeps worker ids of at most 64 characters.
    return f"{socket.gethostname()}:{os.getpid()}"[-64:]


def guarded(name: str, job):
    """Run one job; a failure is logged and must not stop the others or the loop."""
    try:
        return job()
    except Exception:
        logger.exception("%s failed", name)
        return None


def _enqueue_loop(enqueuer: Enqueuer, stop: threading.Event, parent_pid: int | None) -> None:
    tick = enqueuer.tick_seconds
    while not stop.is_set():
        close_old_connections()
        guarded("saying the worker is alive", lambda: beat(enqueuer.holder))
        queued = guarded("queueing periodic jobs", lambda: enqueuer.tick(time.time()))
        if settings.DATELINE_TASKS == "rq":
            guarded("queueing delayed tasks", queue_due_rq_jobs)
        logger.debug("round finished; queued %s", queued)
        if parent_pid is not None and os.getppid() != parent_pid:
            logger.info("the server that started this worker is gone")
            # The task worker in the main thread stops on SIGTERM, after its current task.
            os.kill(os.getpid(), signal.SIGTERM)
            break
        # Waking just after each boundary keeps "go live at 12:00" within a minute.
        stop.wait(tick - time.time() % tick + 0.2)
    close_connections()


def queue_due_rq_jobs() -> None:
    """Move RQ's delayed jobs (a retry's next attempt, say) onto the queue once due. Done
    here, in the worker's own thread, rather than by RQ's scheduler process: that one is
    forked off the worker and outlives it when the worker is killed, one more each time."""
    import django_rq
    from django_tasks_rq.backend import Job
    from rq.scheduler import RQScheduler

    queues = [django_rq.get_queue(name, job_class=Job) for name in QUEUES]
    scheduler = RQScheduler(queues, connection=queues[0].connection)
    scheduler.acquire_locks()
    if not scheduler.acquired_locks:
        return  # another worker holds them and does it this round
    try:
        scheduler.enqueue_scheduled_jobs()
    finally:
        scheduler.release_locks()


class TaskTimedOut(Exception):
    """A task ran past DATELINE_TASK_TIME_LIMIT and was stopped (a hung connection, say)."""


def _stop_the_task(signum, frame) -> None:
    raise TaskTimedOut(f"stopped after {settings.DATELINE_TASK_TIME_LIMIT} s")


class TimedDatabaseWorker(Worker):
    """The database queue's worker, with a time limit on each task (RQ has its own): a
    task that hangs fails, and may be tried again, instead of holding the worker for good.
    The limit is an alarm signal, so it only applies in the main thread, where the worker
    runs."""

    def run_task(self, db_task_result) -> None:
        if threading.current_thread() is not threading.main_thread():
            return super().run_task(db_task_result)
        previous = signal.signal(signal.SIGALRM, _stop_the_task)
        signal.setitimer(signal.ITIMER_REAL, settings.DATELINE_TASK_TIME_LIMIT)
        try:
            return super().run_task(db_task_result)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


def run_task_worker(name: str, *, burst: bool = False) -> None:
    """Run queued tasks until SIGTERM or SIGINT; with `burst`, until the queue is empty.

    When the queue's store goes away (the database restarting, Redis unreachable), the
    worker logs it and tries again after a pause that grows to 30 s, instead of exiting:
    it resumes by itself when the store is back. RQ's worker already speaks to Redis when
    it is made, so making it is inside the retry too."""
    pause = 1.0
    while True:
        worker = None
        try:
            worker = _task_worker(name, burst)
            _work(worker, burst)
            return
        except QUEUE_OUTAGES as error:
            if burst or (worker is not None and _stop_asked(worker)):
                raise
            logger.error(
                "the task queue cannot be reached (%s); trying again in %.0f s", error, pause
            )
            close_connections()
            time.sleep(pause)
            pause = min(pause * 2, 30.0)
            if worker is not None and _stop_asked(worker):
                return


QUEUE_OUTAGES = (DatabaseError, redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)


def _task_worker(name: str, burst: bool):
    if settings.DATELINE_TASKS == "rq":
        import django_rq

        # Tasks run in this process: the enqueuer's thread is not forked into each job.
        return django_rq.get_worker(
            *QUEUES, job_class="django_tasks_rq.Job", worker_class=rq_worker_class(), name=name
        )
    worker = TimedDatabaseWorker(
        queue_names=QUEUES,
        interval=1,
        batch=burst,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=name,
        excluded_queue_names=[],
    )
    if not burst:
        worker.configure_signals()
    return worker


@functools.cache
def rq_worker_class():
    """RQ's in-process worker, whose stop does not wait on its command listener. That
    thread checks in once a minute, and redis-py 8 waits for it when told to stop, so a
    worker asked to stop while idle could take a minute to go (and be killed first)."""
    from rq import SimpleWorker

    class QuickStoppingWorker(SimpleWorker):
        def unsubscribe(self) -> None:
            if not self.pubsub_thread:
                return
            self.pubsub.unsubscribe()
            try:
                self.pubsub_thread.stop(timeout=1)
            except TypeError:  # redis-py before 8: stop() only raises the flag
                self.pubsub_thread.stop()
            self.pubsub_thread.join(timeout=1)

    return QuickStoppingWorker


def _work(worker, burst: bool) -> None:
    if isinstance(worker, TimedDatabaseWorker):
        worker.run()
        return
    close_connections()
    _clear_own_registration(worker)
    # In a burst RQ moves due jobs itself, without a process of its own; otherwise the
    # enqueuer's thread does (queue_due_rq_jobs).
    # RQ says a line per job at INFO; the site's log shows them only when asked for DEBUG.
    level = "DEBUG" if logging.getLogger().isEnabledFor(logging.DEBUG) else "WARNING"
    worker.work(burst=burst, with_scheduler=burst, logging_level=level)


def _clear_own_registration(worker) -> None:
    """A registration under this worker's name (host and pid) is this process's own, left
    when a cut connection kept RQ from clearing it; RQ refuses to start beside it."""
    if worker.connection.exists(worker.key):
        worker.register_death()


def _stop_asked(worker) -> bool:
    if isinstance(worker, TimedDatabaseWorker):
        return not worker.running
    return bool(getattr(worker, "_stop_requested", False))


def run_worker(
    interval: int | None = None, once: bool = False, parent_pid: int | None = None
) -> None:
    """Run the queue's worker and the periodic schedule until stopped, or until
    `parent_pid` is gone. With `once`, run every periodic job once in this process, then
    the tasks already queued, and exit (for tests and cron)."""
    jobs = periodic_jobs(publish_interval=interval)
    name = worker_name()
    if once:
        run_all_inline(jobs)
        guarded("saying the worker is alive", lambda: beat(name))
        run_task_worker(name, burst=True)
        return
    # `kill -USR1 <pid>` prints where each thread is: a worker that will not stop says why.
    faulthandler.register(signal.SIGUSR1, all_threads=True)
    start_returning_freed_memory(settings.DATELINE_MEMORY_RETURN_SECONDS)
    enqueuer = Enqueuer(name, jobs)
    stop = threading.Event()
    thread = threading.Thread(
        target=_enqueue_loop, args=(enqueuer, stop, parent_pid), name="enqueuer", daemon=True
    )
    logger.info(
        "worker started (pid %d, %s queue): jobs queued every %d s",
        os.getpid(),
        settings.DATELINE_TASKS,
        enqueuer.tick_seconds,
    )
    thread.start()
    try:
        run_task_worker(name)
    except SystemExit:
        pass  # the database worker leaves through sys.exit on SIGTERM
    finally:
        stop.set()
        thread.join(timeout=30)
        guarded("giving up the schedule", enqueuer.release)
        from dateline.analytics.services import flush_views, views_are_buffered

        if views_are_buffered():
            guarded("flushing view counts before stopping", flush_views)
        logger.info("worker stopped")
