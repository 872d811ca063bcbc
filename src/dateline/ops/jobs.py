"""What the background queue holds, for the admin's "Background jobs" report: jobs by state,
and a retry of a failed one, the same on the database queue and on RQ.

A retry queues the same task with the same arguments again. The failed job is taken off
the failed list in the same step, by a conditional delete (database) or a ZREM (RQ) that
only one request can win: a double click or two operators at once queue it once."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger("dateline.worker")

QUEUED, RUNNING, FAILED, SUCCEEDED = "queued", "running", "failed", "succeeded"
STATES = (QUEUED, RUNNING, FAILED, SUCCEEDED)
QUEUE = "default"
# The database queue's ids are UUIDs; RQ's are 32 letters and digits from django-tasks.
JOB_ID = re.compile(r"^[A-Za-z0-9-]{1,64}$")
IDENTIFIER = re.compile(r"^[\w.]+$")

# What an editor reads instead of a dotted path. A task not named here shows its path.
TASK_LABELS = {
    "dateline.news.tasks.publish_scheduled": _("Scheduled publishing"),
    "dateline.analytics.tasks.flush_view_counts": _("Saving view counts"),
    "dateline.analytics.tasks.forget_past_readers": _("Forgetting past readers"),
    "dateline.ops.tasks.forget_finished_tasks": _("Clearing finished background jobs"),
    "dateline.core.password_reset.send_password_reset_mail": _("Password reset mail"),
    "wagtail.contrib.frontend_cache.tasks.purge_urls_from_cache_task": _("CDN purge"),
    "wagtail.images.tasks.set_image_focal_point_task": _("Image focal point"),
    "wagtail.tasks.update_reference_index_task": _("Reference index update"),
    "wagtail.tasks.delete_file_from_storage_task": _("File deletion"),
}


# The error of a failed attempt whose next attempt is queued already (core/retries.py).
ATTEMPT_FAILED = "dateline.core.retries.AttemptFailed"


class JobNotFound(LookupError):
    """No failed job has this id: it never existed, expired, or was retried already."""


class TriedAgainAlready(JobNotFound):
    """The job failed an attempt and queued its next one itself: a retry by hand would run
    the work one time more than its attempts allow."""


@dataclass(frozen=True)
class Job:
    id: str
    state: str
    task_path: str
    enqueued_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    worker: str = ""
    exception_class: str = ""
    traceback: str = ""

    @property
    def label(self) -> str:
        return str(TASK_LABELS.get(self.task_path, self.task_path))

    @property
    def error_message(self) -> str:
        """The exception's message: the last line of its traceback, after the class."""
        lines = [line for line in self.traceback.strip().splitlines() if line.strip()]
        if not lines:
            return ""
        last = lines[-1]
        kind, colon, message = last.partition(": ")
        if colon and " " not in kind:
            return message.strip()
        # An exception raised without a message leaves only its class on the last line.
        return "" if IDENTIFIER.match(last.strip()) else last.strip()

    @property
    def exception_name(self) -> str:
        return self.exception_class.rsplit(".", 1)[-1]

    @property
    def tried_again(self) -> bool:
        return self.exception_class == ATTEMPT_FAILED


def list_jobs(state: str, limit: int = 50) -> list[Job]:
    """Jobs in `state` (one of STATES): queued and running oldest first, failed and
    succeeded newest first; at most `limit`."""
    if state not in STATES:
        raise ValueError(f"unknown state {state!r}")
    return _backend().list_jobs(state, limit)


def count_jobs() -> dict[str, int]:
    """How many jobs are in each state."""
    return _backend().count_jobs()


def retry(job_id: str) -> str:
    """Queue the failed job `job_id` again, once; returns the id it is queued under.
    Raises JobNotFound when no failed job has that id."""
    if not JOB_ID.match(job_id or ""):
        raise JobNotFound(job_id)
    new_id = _backend().retry(job_id)
    logger.info("failed job %s queued again as %s", job_id, new_id)
    return new_id


def _backend() -> DatabaseJobs | RQJobs:
    return RQJobs() if settings.DATELINE_TASKS == "rq" else DatabaseJobs()


class DatabaseJobs:
    """The django-tasks-db queue: rows of DBTaskResult."""

    def _rows(self, state: str):
        from django_tasks_db.models import DBTaskResult

        rows = DBTaskResult.objects.all()
        return {
            QUEUED: rows.filter(status="READY").order_by("enqueued_at"),
            RUNNING: rows.running().order_by("started_at"),
            FAILED: rows.failed().order_by("-finished_at"),
            SUCCEEDED: rows.successful().order_by("-finished_at"),
        }[state]

    def list_jobs(self, state: str, limit: int) -> list[Job]:
        rows = self._rows(state).only(
            "id",
            "task_path",
            "enqueued_at",
            "started_at",
            "finished_at",
            "worker_ids",
            "exception_class_path",
            "traceback",
        )[:limit]
        return [
            Job(
                id=str(row.id),
                state=state,
                task_path=row.task_path,
                enqueued_at=row.enqueued_at,
                started_at=row.started_at,
                finished_at=row.finished_at,
                worker=row.worker_ids[-1] if row.worker_ids else "",
                exception_class=row.exception_class_path,
                traceback=row.traceback,
            )
            for row in rows
        ]

    def count_jobs(self) -> dict[str, int]:
        from django.db.models import Count
        from django_tasks_db.models import DBTaskResult

        counts = dict(DBTaskResult.objects.values_list("status").annotate(n=Count("pk")).order_by())
        return {
            QUEUED: counts.get("READY", 0),
            RUNNING: counts.get("RUNNING", 0),
            FAILED: counts.get("FAILED", 0),
            SUCCEEDED: counts.get("SUCCESSFUL", 0),
        }

    def retry(self, job_id: str) -> str:
        from django.core.exceptions import SuspiciousOperation, ValidationError
        from django_tasks_db.models import DBTaskResult

        try:
            failed = DBTaskResult.objects.failed().get(pk=job_id)
        except (DBTaskResult.DoesNotExist, ValidationError) as missing:
            raise JobNotFound(job_id) from missing
        if failed.exception_class_path == ATTEMPT_FAILED:
            raise TriedAgainAlready(job_id)
        try:
            task = failed.task
        except (ImportError, SuspiciousOperation) as gone:
            # The code it named is gone: queueing it would only fail again.
            raise JobNotFound(job_id) from gone
        with transaction.atomic():
            # Only the request whose delete takes the row queues the task again.
            deleted, _ = DBTaskResult.objects.failed().filter(pk=failed.pk).delete()
            if not deleted:
                raise JobNotFound(job_id)
            arguments = failed.args_kwargs
            result = task.enqueue(*arguments["args"], **arguments["kwargs"])
        return str(result.id)


class RQJobs:
    """django-tasks-rq's queue on Redis: RQ's queue and its job registries."""

    def __init__(self) -> None:
        import django_rq
        from django_tasks_rq.backend import Job as TaskJob

        self.queue = django_rq.get_queue(QUEUE, job_class=TaskJob)

    def _registry(self, state: str):
        from rq.registry import FailedJobRegistry, FinishedJobRegistry, StartedJobRegistry

        registry = {
            RUNNING: StartedJobRegistry,
            FAILED: FailedJobRegistry,
            SUCCEEDED: FinishedJobRegistry,
        }[state]
        return registry(queue=self.queue, job_class=self.queue.job_class)

    def _scheduled(self):
        from rq.registry import ScheduledJobRegistry

        return ScheduledJobRegistry(queue=self.queue, job_class=self.queue.job_class)

    def _job_ids(self, state: str, limit: int) -> list[str]:
        if state == QUEUED:
            # Waiting jobs include those queued for later, such as a retry's next attempt.
            ready = self.queue.get_job_ids(0, limit)
            later = self._scheduled().get_job_ids(0, limit - len(ready) - 1)
            return ready + later if len(ready) < limit else ready
        # Registries are sorted by expiry, which follows the time the job entered them.
        newest_first = state in (FAILED, SUCCEEDED)
        return self._registry(state).get_job_ids(0, limit - 1, desc=newest_first)

    def list_jobs(self, state: str, limit: int) -> list[Job]:
        ids = self._job_ids(state, limit)
        jobs = self.queue.job_class.fetch_many(ids, connection=self.queue.connection)
        return [self._job(job, state) for job in jobs if job is not None]

    @staticmethod
    def _exception_class(job) -> str:
        raised = job.meta.get("_django_tasks_rq_exceptions") or ["builtins.Exception"]
        return raised[-1]

    def _job(self, job, state: str) -> Job:
        exception_class = traceback = ""
        if state == FAILED:
            exception_class = self._exception_class(job)
            latest = job.latest_result()
            traceback = (latest.exc_string if latest else "") or ""
        return Job(
            id=job.id,
            state=state,
            task_path=job.func_name,
            enqueued_at=job.enqueued_at,
            started_at=job.started_at,
            finished_at=job.ended_at,
            worker=job.worker_name or "",
            exception_class=exception_class,
            traceback=traceback,
        )

    def count_jobs(self) -> dict[str, int]:
        counts = {QUEUED: self.queue.count + self._scheduled().count}
        for state in (RUNNING, FAILED, SUCCEEDED):
            counts[state] = self._registry(state).count
        return counts

    def retry(self, job_id: str) -> str:
        from rq.exceptions import InvalidJobOperation, NoSuchJobError

        try:
            failed = self.queue.job_class.fetch(job_id, connection=self.queue.connection)
        except NoSuchJobError as missing:
            raise JobNotFound(job_id) from missing
        if self._exception_class(failed) == ATTEMPT_FAILED:
            raise TriedAgainAlready(job_id)
        try:
            # RQ's requeue takes the job off the failed list with a ZREM that only one
            # caller wins, then queues the same job, arguments and all, under its id.
            job = self._registry(FAILED).requeue(job_id)
        except (InvalidJobOperation, NoSuchJobError) as missing:
            raise JobNotFound(job_id) from missing
        return job.id
