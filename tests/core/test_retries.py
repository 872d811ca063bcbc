"""A background task that fails runs again later, less often each time, and stops after
its last attempt, leaving each failure to be read; a task left running by a worker that
died is queued again."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.db import OperationalError
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from dateline.core.heartbeats import beat
from dateline.core.retries import GiveUp, RetryLater, backoff, retrying
from dateline.ops import worker as worker_module
from dateline.ops.schedule import requeue_abandoned_tasks
from dateline.ops.worker import run_task_worker

pytestmark = pytest.mark.django_db

CALLS: list[str] = []


@task()
@retrying(attempts=3, first_delay=0)
def flaky(fail_times: int, label: str) -> str:
    CALLS.append(label)
    if CALLS.count(label) <= fail_times:
        raise ConnectionError(f"service down ({CALLS.count(label)})")
    return f"done {label}"


@task()
@retrying(attempts=5, first_delay=0)
def refused() -> None:
    CALLS.append("refused")
    raise GiveUp("the token was revoked")


@task()
@retrying(attempts=5)
def rate_limited() -> None:
    raise RetryLater(42, "429 from the service")


@pytest.fixture(autouse=True)
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.DATELINE_TASKS = "database"
    CALLS.clear()


def statuses() -> list[str]:
    return list(DBTaskResult.objects.order_by("enqueued_at").values_list("status", flat=True))


def test_a_task_that_fails_twice_succeeds_on_its_third_attempt():
    flaky.enqueue(2, "mail")
    run_task_worker("test-worker", burst=True)
    assert CALLS == ["mail", "mail", "mail"]
    assert statuses() == ["FAILED", "FAILED", "SUCCESSFUL"]
    first = DBTaskResult.objects.order_by("enqueued_at").first()
    assert "service down (1)" in first.traceback


def test_a_task_that_keeps_failing_stops_after_its_last_attempt():
    flaky.enqueue(10, "push")
    run_task_worker("test-worker", burst=True)
    assert CALLS == ["push"] * 3
    assert statuses() == ["FAILED"] * 3
    assert not DBTaskResult.objects.ready().exists()


def test_giving_up_queues_no_other_attempt():
    refused.enqueue()
    run_task_worker("test-worker", burst=True)
    assert CALLS == ["refused"]
    assert statuses() == ["FAILED"]


def test_a_service_asking_to_wait_is_tried_again_when_it_said():
    before = timezone.now()
    rate_limited.enqueue()
    run_task_worker("test-worker", burst=True)
    again = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    waited = (again.run_after - before).total_seconds()
    assert 42 <= waited < 60
    assert again.args_kwargs["kwargs"] == {"retry_attempt": 2}


def test_the_wait_doubles_up_to_a_ceiling():
    assert [backoff(n, 30, 600) for n in range(1, 7)] == [30, 60, 120, 240, 480, 600]


def test_a_task_left_running_by_a_dead_worker_runs_again(settings):
    settings.DATELINE_WORKER_STALE_SECONDS = 60
    result = flaky.enqueue(0, "abandoned")
    long_ago = timezone.now() - timedelta(minutes=10)
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING, started_at=long_ago, worker_ids=["gone-host:4242"]
    )
    busy = flaky.enqueue(0, "still-running")
    DBTaskResult.objects.filter(pk=busy.id).update(
        status=TaskResultStatus.RUNNING, started_at=long_ago, worker_ids=["busy-host:7"]
    )
    beat("busy-host:7")  # its worker is alive: a long task, not an abandoned one

    assert requeue_abandoned_tasks() == 1
    run_task_worker("test-worker", burst=True)

    assert CALLS == ["abandoned"]
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.SUCCESSFUL
    assert DBTaskResult.objects.get(pk=busy.id).status == TaskResultStatus.RUNNING


def test_a_task_that_kills_its_worker_every_time_ends_failed(settings):
    settings.DATELINE_WORKER_STALE_SECONDS = 60
    result = flaky.enqueue(0, "crasher")
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - timedelta(minutes=10),
        worker_ids=["host:1", "host:2", "host:3"],
    )
    assert requeue_abandoned_tasks() == 0
    failed = DBTaskResult.objects.get(pk=result.id)
    assert failed.status == TaskResultStatus.FAILED
    assert "host:3" in failed.traceback


@task()
@retrying(attempts=2, first_delay=0)
def hangs(seconds: float) -> None:
    CALLS.append("hangs")
    time.sleep(seconds)


def test_a_task_that_hangs_is_stopped_and_tried_again(settings):
    settings.DATELINE_TASK_TIME_LIMIT = 1
    hangs.enqueue(600)
    flaky.enqueue(0, "after")
    started = time.monotonic()
    run_task_worker("test-worker", burst=True)
    assert time.monotonic() - started < 300  # not the twenty minutes of two full sleeps
    assert CALLS.count("hangs") == 2 and "after" in CALLS
    first, last = DBTaskResult.objects.filter(task_path__endswith="hangs").order_by("enqueued_at")
    assert first.status == last.status == TaskResultStatus.FAILED
    assert first.exception_class_path.endswith("AttemptFailed")  # and tried again
    assert "TaskTimedOut" in first.traceback
    assert last.exception_class_path.endswith("TaskTimedOut")


def test_the_worker_waits_for_the_queue_to_come_back(monkeypatch, caplog):
    """The database restarting under the worker: it logs, waits and goes on, not exits."""
    rounds = []

    def run(self):
        rounds.append(self.worker_id)
        if len(rounds) < 3:
            raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(worker_module.TimedDatabaseWorker, "run", run)
    monkeypatch.setattr(worker_module.TimedDatabaseWorker, "configure_signals", lambda self: None)
    pauses = []
    monkeypatch.setattr(worker_module.time, "sleep", pauses.append)

    run_task_worker("test-worker")

    assert rounds == ["test-worker"] * 3
    assert pauses == [1.0, 2.0]
    assert sum("cannot be reached" in r.getMessage() for r in caplog.records) == 2
