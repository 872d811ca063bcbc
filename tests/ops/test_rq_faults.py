"""Faults on the RQ queue, as on the database queue (tests/core/test_retries.py): a task
that raises is tried again and ends failed; a task that hangs is stopped; a task left
running by a worker that died runs again, and one that kills every worker ends failed."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from django_tasks import default_task_backend, task
from rq.job import JobStatus

from dateline.core.heartbeats import beat
from dateline.core.retries import retrying
from dateline.ops.schedule import requeue_abandoned_rq_jobs
from dateline.ops.worker import run_task_worker

CALLS: list[str] = []


@task()
@retrying(attempts=3, first_delay=0)
def flaky(fail_times: int, label: str) -> str:
    CALLS.append(label)
    if CALLS.count(label) <= fail_times:
        raise ConnectionError(f"service down ({CALLS.count(label)})")
    return f"done {label}"


@task()
def hangs(seconds: float) -> None:
    CALLS.append("hangs")
    time.sleep(seconds)


@pytest.fixture(autouse=True)
def calls():
    CALLS.clear()


def job_of(result_id: str):
    from django_tasks_rq.backend import Job

    return Job.fetch(result_id, connection=_connection())


def _connection():
    import django_rq

    return django_rq.get_connection()


def left_running(result_id: str, worker: str, minutes_ago: float = 10) -> None:
    """Put a queued job where a worker that took it and died would have left it."""
    import django_rq
    from django_tasks_rq.backend import Job
    from rq.executions import Execution

    queue = django_rq.get_queue("default", job_class=Job)
    job = job_of(result_id)
    queue.remove(job)
    job.worker_name = worker
    job.started_at = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    job.set_status(JobStatus.STARTED)
    job.save()
    with queue.connection.pipeline() as pipeline:
        Execution.create(job, ttl=3600, pipeline=pipeline, worker_name=worker)
        pipeline.execute()


def test_a_task_that_fails_is_tried_again_until_it_succeeds(rq_queue):
    result = flaky.enqueue(2, "wire")
    for _ in range(3):
        run_task_worker("test-rq-worker", burst=True)
        time.sleep(1.1)  # the next attempt is queued for "now", through RQ's scheduler
    assert CALLS == ["wire"] * 3
    assert default_task_backend.get_result(result.id).status == "FAILED"


def test_a_task_that_hangs_is_stopped(rq_queue, settings):
    settings.RQ_QUEUES = {"default": {**settings.RQ_QUEUES["default"], "DEFAULT_TIMEOUT": 1}}
    result = hangs.enqueue(600)
    after = flaky.enqueue(0, "after")
    run_task_worker("test-rq-worker", burst=True)
    assert CALLS == ["hangs", "after"]
    stopped = default_task_backend.get_result(result.id)
    assert stopped.status == "FAILED"
    # stopped by its 1 s limit, not left to sleep out its ten minutes
    assert "maximum timeout value (1 seconds)" in stopped.errors[-1].traceback
    assert default_task_backend.get_result(after.id).status == "SUCCESSFUL"


def test_a_task_left_running_by_a_dead_worker_runs_again(rq_queue, settings):
    settings.DATELINE_WORKER_STALE_SECONDS = 60
    abandoned = flaky.enqueue(0, "abandoned")
    left_running(abandoned.id, "gone-host:4242")
    busy = flaky.enqueue(0, "still-running")
    left_running(busy.id, "busy-host:7")
    beat("busy-host:7")  # its worker is alive: a long task, not an abandoned one

    assert requeue_abandoned_rq_jobs() == 1
    assert requeue_abandoned_rq_jobs() == 0  # a second enqueuer finds nothing left
    run_task_worker("test-rq-worker", burst=True)

    assert CALLS == ["abandoned"]
    assert default_task_backend.get_result(abandoned.id).status == "SUCCESSFUL"
    assert job_of(busy.id).get_status() == JobStatus.STARTED


def test_a_task_that_kills_its_worker_every_time_ends_failed(rq_queue, settings):
    settings.DATELINE_WORKER_STALE_SECONDS = 60
    result = flaky.enqueue(0, "crasher")
    for n in range(1, 4):
        left_running(result.id, f"host:{n}")
        requeued = requeue_abandoned_rq_jobs()
    assert requeued == 0
    failed = default_task_backend.get_result(result.id)
    assert failed.status == "FAILED"
    assert CALLS == []
    from dateline.ops import jobs

    [shown] = jobs.list_jobs(jobs.FAILED)
    assert shown.exception_name == "TaskAbandoned"
    assert "host:3" in shown.traceback


def test_a_delayed_task_is_queued_when_due_without_a_scheduler_process(rq_queue):
    from datetime import UTC, datetime, timedelta

    from dateline.ops.worker import queue_due_rq_jobs

    due = flaky.using(run_after=datetime.now(UTC) + timedelta(seconds=1)).enqueue(0, "later")
    queue_due_rq_jobs()
    assert rq_queue.llen("rq:queue:default") == 0  # not due yet
    time.sleep(1.5)
    queue_due_rq_jobs()
    assert rq_queue.llen("rq:queue:default") == 1
    run_task_worker("test-rq-worker", burst=True)
    assert default_task_backend.get_result(due.id).status == "SUCCESSFUL"
