"""The periodic schedule: which background jobs are queued how often, by one enqueuer at a
time across machines.

Every `dateline worker` runs an enqueuer, but only the holder of a lease row queues
anything; when it dies, another takes over once the lease expires. Each job's time slot
(the number of whole intervals since the epoch) is claimed in the same transaction that
queues it, so a slot is queued once even when two enqueuers overlap. The jobs themselves
are safe to run twice, so a slot queued again after a lost claim does no harm either."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks.base import Task, TaskResultStatus

from dateline.core.heartbeats import workers_seen_after
from dateline.core.leases import acquire_lease, claim_slot, release_lease

logger = logging.getLogger("dateline.worker")

ENQUEUER_LEASE = "periodic-enqueuer"
# Workers a task may be left running by before it counts as failed.
ABANDONED_ATTEMPTS = 3
HOURLY = 3600
# How often due wire sources are looked for; each source has its own interval in minutes.
INGEST_TICK = 60
# How often due digests and abandoned newsletter sends are looked for.
NEWSLETTER_TICK = 60
# How often push batches left by a dead worker are looked for.
PUSH_TICK = 60


class TaskAbandoned(Exception):
    """The error a task ends with when it was left running by one dead worker after another."""


def _always() -> bool:
    return True


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    task: Task
    every: int
    # Asked before each slot: a job with nothing to do in this deployment is not queued.
    wanted: Callable[[], bool] = field(default=_always)

    def run_inline(self) -> object:
        return self.task.call()


def _database_queue() -> bool:
    return settings.DATELINE_TASKS == "database"


def periodic_jobs(publish_interval: int | None = None) -> list[PeriodicJob]:
    from dateline.analytics import services as analytics
    from dateline.analytics.tasks import flush_view_counts, forget_past_readers
    from dateline.ingest.models import Source
    from dateline.ingest.tasks import forget_old_items, poll_due_sources
    from dateline.news.tasks import publish_scheduled
    from dateline.newsletters.models import NewsletterList
    from dateline.newsletters.tasks import send_due_newsletters
    from dateline.webapp.models import PushBatch
    from dateline.webapp.tasks import resume_push_batches

    from .tasks import forget_finished_tasks

    return [
        PeriodicJob(
            "flush-view-counts",
            flush_view_counts,
            settings.DATELINE_FLUSH_INTERVAL,
            analytics.views_are_buffered,
        ),
        PeriodicJob(
            "scheduled-publishing",
            publish_scheduled,
            publish_interval or settings.DATELINE_SCHEDULER_INTERVAL,
        ),
        PeriodicJob("forget-past-readers", forget_past_readers, HOURLY),
        PeriodicJob("forget-finished-tasks", forget_finished_tasks, HOURLY, _database_queue),
        PeriodicJob(
            "poll-wire-sources",
            poll_due_sources,
            INGEST_TICK,
            lambda: Source.objects.filter(enabled=True).exists(),
        ),
        PeriodicJob("forget-old-incoming", forget_old_items, HOURLY),
        PeriodicJob(
            "send-due-newsletters",
            send_due_newsletters,
            NEWSLETTER_TICK,
            lambda: NewsletterList.objects.filter(active=True).exists(),
        ),
        PeriodicJob(
            "resume-push-batches",
            resume_push_batches,
            PUSH_TICK,
            lambda: PushBatch.objects.filter(state=PushBatch.SENDING).exists(),
        ),
    ]


class Enqueuer:
    def __init__(self, holder: str, jobs: list[PeriodicJob]) -> None:
        self.holder = holder
        self.jobs = jobs
        self.tick_seconds = min(job.every for job in jobs)
        # Renewed every tick; a dead holder's lease lapses after a few ticks.
        self.lease = timedelta(seconds=max(30, 3 * self.tick_seconds))

    def tick(self, now: float) -> list[str]:
        """Queue each job whose slot has come; returns the names queued. Queues nothing
        while another enqueuer holds the lease."""
        if not acquire_lease(ENQUEUER_LEASE, self.holder, self.lease):
            return []
        queued = []
        for job in self.jobs:
            try:
                if not job.wanted():
                    continue
                with transaction.atomic():
                    # A failed enqueue rolls the claim back: the next tick tries again.
                    if claim_slot(job.name, int(now // job.every)):
                        job.task.enqueue()
                        queued.append(job.name)
            except Exception:
                logger.exception("queueing %s failed", job.name)
        requeue = (
            requeue_abandoned_tasks
            if settings.DATELINE_TASKS == "database"
            else requeue_abandoned_rq_jobs
        )
        try:
            requeue()
        except Exception:
            logger.exception("requeueing abandoned tasks failed")
        return queued

    def release(self) -> None:
        release_lease(ENQUEUER_LEASE, self.holder)


def requeue_abandoned_tasks() -> int:
    """Put back in the database queue the tasks left running by a worker that has stopped
    saying it is alive (killed in the middle of a task, or its machine gone), so that they
    run again; returns how many."""
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    stale_before = now - timedelta(seconds=settings.DATELINE_WORKER_STALE_SECONDS)
    alive = workers_seen_after(stale_before)
    requeued = 0
    for result in DBTaskResult.objects.running().filter(started_at__lt=stale_before):
        if result.worker_ids and result.worker_ids[-1] in alive:
            continue  # a long task of a worker that is still there
        # Conditional: the worker may have finished it since it was read.
        still_running = DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING)
        if len(result.worker_ids) >= ABANDONED_ATTEMPTS:
            # A task that takes its worker down every time must not do so for ever.
            still_running.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path="dateline.ops.schedule.TaskAbandoned",
                traceback=f"Left running by {len(result.worker_ids)} workers that died: "
                + ", ".join(result.worker_ids),
            )
            logger.error("task %s (%s) killed its worker each time", result.pk, result.task_path)
            continue
        requeued += still_running.update(status=TaskResultStatus.READY, started_at=None)
        logger.warning(
            "task %s (%s) was left running by %s; queued again",
            result.pk,
            result.task_path,
            result.worker_ids[-1] if result.worker_ids else "an unknown worker",
        )
    return requeued


def requeue_abandoned_rq_jobs(queue_names: tuple[str, ...] = ("default",)) -> int:
    """The same for RQ: jobs on a queue's started list whose worker has stopped saying it
    is alive go back on the queue. (Left alone, RQ would notice them only after the task's
    whole time limit, and then mark them failed instead of running them again.)"""
    import django_rq
    from django_tasks_rq.backend import Job
    from rq.exceptions import NoSuchJobError
    from rq.job import JobStatus
    from rq.job_lifecycle import record_job_failure

    stale_before = timezone.now() - timedelta(seconds=settings.DATELINE_WORKER_STALE_SECONDS)
    alive = workers_seen_after(stale_before)
    requeued = 0
    for queue in [django_rq.get_queue(name, job_class=Job) for name in queue_names]:
        registry = queue.started_job_registry
        for job_id, execution_id in registry.get_job_and_execution_ids(cleanup=False):
            try:
                job = Job.fetch(job_id, connection=queue.connection)
            except NoSuchJobError:
                continue
            started = job.started_at
            if started is not None and started.tzinfo is None:
                started = started.replace(tzinfo=UTC)
            if (
                job.get_status() != JobStatus.STARTED
                or job.worker_name in alive
                or (started is not None and started > stale_before)
            ):
                continue
            worker = job.worker_name or "an unknown worker"
            left_by = [*job.meta.get("dateline_left_running_by", []), worker]
            job.meta["dateline_left_running_by"] = left_by
            job.save_meta()
            with queue.connection.pipeline() as pipeline:
                # Only the enqueuer whose ZREM takes the entry puts the job back.
                pipeline.zrem(registry.key, f"{job_id}:{execution_id}")
                removed = pipeline.execute()[0]
            if not removed:
                continue
            if len(left_by) >= ABANDONED_ATTEMPTS:
                job.meta.setdefault("_django_tasks_rq_exceptions", []).append(
                    f"{__name__}.{TaskAbandoned.__name__}"
                )
                job.save_meta()
                with queue.connection.pipeline() as pipeline:
                    record_job_failure(
                        job,
                        f"Left running by {len(left_by)} workers that died: " + ", ".join(left_by),
                        pipeline,
                    )
                    pipeline.execute()
                logger.error("task %s (%s) killed its worker each time", job.id, job.func_name)
                continue
            job.started_at = None
            with queue.connection.pipeline() as pipeline:
                queue._enqueue_job(job, pipeline=pipeline)
                pipeline.execute()
            requeued += 1
            logger.warning(
                "task %s (%s) was left running by %s; queued again", job.id, job.func_name, worker
            )
    return requeued


def run_all_inline(jobs: list[PeriodicJob]) -> None:
    """Each job once, in this process, without the queue (`dateline worker --once`)."""
    for job in jobs:
        try:
            if job.wanted():
                job.run_inline()
        except Exception:
            logger.exception("%s failed", job.name)
