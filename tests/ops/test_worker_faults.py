"""A worker killed with SIGKILL in the middle of a task: the task is not lost, and runs
again to the end once another worker takes over, on the database queue and on RQ."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.live_site import DATELINE, child_env, migrate
from tests.ops.test_worker import dateline

pytestmark = pytest.mark.live

REPO = Path(__file__).resolve().parents[2]

ENQUEUE = """
from tests.ops.fault_tasks import slow_marker
print(slow_marker.enqueue({folder!r}, 4).id)
"""

STATUS = """
from django_tasks import default_task_backend
print(default_task_backend.get_result({id!r}).status)
"""
# Not one of the test workers' Redis databases (settings/test.py) nor the RQ tests' (9).
RQ_REDIS = "redis://127.0.0.1:6379/12"


@pytest.fixture(params=["database", "rq"])
def queue_env(request) -> dict[str, str]:
    if request.param == "database":
        yield {"DATELINE_TASKS": "database"}
        return
    import redis

    client = redis.Redis.from_url(RQ_REDIS, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    client.flushdb()
    yield {"DATELINE_TASKS": "rq", "REDIS_URL": RQ_REDIS}
    client.flushdb()


def wait_for(condition, seconds: float, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, log.read_text()[-4000:]
        time.sleep(0.2)


def started_times(marks: Path) -> int:
    try:
        return len((marks / "started").read_text())
    except FileNotFoundError:
        return 0


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [DATELINE, "worker"], env=env, stdout=log.open("a"), stderr=subprocess.STDOUT, cwd=REPO
    )


def test_a_task_whose_worker_was_killed_runs_again_to_the_end(
    tmp_path, tmp_path_factory, queue_env
):
    marks = tmp_path / "marks"
    marks.mkdir()
    env = child_env(
        DATELINE_DATA_DIR=str(tmp_path),
        **queue_env,
        DATELINE_WORKER_STALE_SECONDS="2",
        DATELINE_LOG_FORMAT="text",
        PYTHONPATH=str(REPO),
        PYTHONUNBUFFERED="1",
    )
    migrate(env, tmp_path_factory)
    task_id = dateline(
        env, "manage", "shell", "--no-imports", "-c", ENQUEUE.format(folder=str(marks))
    )
    task_id = task_id.strip().splitlines()[-1]
    log = tmp_path / "worker.log"

    first = start_worker(env, log)
    try:
        # The mark's content, not only its file: the file is there from the moment the
        # task opens it, and a kill before the write is flushed would lose the mark.
        wait_for(lambda: started_times(marks) == 1, 60, log)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
    assert not (marks / "finished").exists()
    # Still marked running, or already queued again when the dead worker's hold lapsed
    # before the status was read (a slow machine takes seconds to start the shell).
    assert dateline(
        env, "manage", "shell", "--no-imports", "-c", STATUS.format(id=task_id)
    ).split()[-1:] in (["RUNNING"], ["READY"])

    second = start_worker(env, log)
    try:
        # The dead worker's hold on the schedule lapses, then its task is queued again.
        wait_for(lambda: (marks / "finished").exists(), 120, log)
    finally:
        second.send_signal(signal.SIGTERM)
        try:
            second.wait(timeout=30)
        except subprocess.TimeoutExpired:
            second.kill()
    assert (marks / "started").read_text() == "xx"
    assert (marks / "finished").read_text() == "x"
    assert dateline(
        env, "manage", "shell", "--no-imports", "-c", STATUS.format(id=task_id)
    ).split()[-1:] == ["SUCCESSFUL"]
    assert "was left running by" in log.read_text()


def test_a_busy_worker_tells_where_it_is_on_sigusr1_and_keeps_working(
    tmp_path, tmp_path_factory, queue_env
):
    marks = tmp_path / "marks"
    marks.mkdir()
    env = child_env(
        DATELINE_DATA_DIR=str(tmp_path),
        **queue_env,
        DATELINE_LOG_FORMAT="text",
        PYTHONPATH=str(REPO),
        PYTHONUNBUFFERED="1",
    )
    migrate(env, tmp_path_factory)
    dateline(env, "manage", "shell", "--no-imports", "-c", ENQUEUE.format(folder=str(marks)))
    log = tmp_path / "worker.log"
    worker = start_worker(env, log)
    try:
        wait_for(lambda: (marks / "started").exists(), 60, log)
        worker.send_signal(signal.SIGUSR1)
        wait_for(lambda: "slow_marker" in log.read_text(), 10, log)
        assert worker.poll() is None
        # The task it was in goes on to its end.
        wait_for(lambda: (marks / "finished").exists(), 30, log)
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
    said = log.read_text()
    assert "in slow_marker" in said
    assert "in _enqueue_loop" in said  # every thread, not only the task's


def test_an_idle_rq_worker_stops_without_waiting_on_its_command_listener():
    import redis

    from dateline.ops.worker import rq_worker_class

    connection = redis.Redis.from_url(RQ_REDIS, socket_connect_timeout=1)
    try:
        connection.ping()
    except redis.exceptions.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    worker = rq_worker_class()(["default"], connection=connection, name="quick-stop-test")
    worker.subscribe()
    # Unsubscribed before being told to stop, the listener waits a minute to check in
    # again: the stop must not wait for it (the listener ends by itself, told to stop).
    worker.pubsub.unsubscribe()
    time.sleep(0.5)
    started = time.monotonic()
    worker.unsubscribe()
    assert time.monotonic() - started < 5
