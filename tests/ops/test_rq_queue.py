"""The RQ queue end to end: a task queued on Redis is run by `dateline worker`'s RQ worker.
It uses the RQ test queue of tests/conftest.py."""

from __future__ import annotations

from dateline.ops.worker import run_task_worker


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
