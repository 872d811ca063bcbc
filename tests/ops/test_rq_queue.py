"""The RQ queue end to end: a task queued on Redis is run by `dateline worker`'s RQ worker.
It uses Redis database 9 of the machine's Redis, emptied before and after."""

from __future__ import annotations

import pytest
import redis

from dateline.ops.worker import run_task_worker

REDIS_DB9 = "redis://127.0.0.1:6379/9"


@pytest.fixture
def rq_queue(settings, db):
    client = redis.Redis.from_url(REDIS_DB9, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    client.flushdb()
    settings.RQ_QUEUES = {"default": {"URL": REDIS_DB9}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.DATELINE_TASKS = "rq"
    yield client
    client.flushdb()


def test_a_task_queued_on_redis_is_run_by_the_worker(rq_queue):
    from django_tasks import default_task_backend

    from dateline.news.tasks import publish_scheduled

    result = publish_scheduled.enqueue()
    assert result.status == "READY"
    assert rq_queue.llen("rq:queue:default") == 1

    run_task_worker("test-rq-worker", burst=True)

    done = default_task_backend.get_result(result.id)
    assert done.status == "SUCCESSFUL"
    assert done.return_value == 0  # nothing was due
    assert rq_queue.llen("rq:queue:default") == 0
