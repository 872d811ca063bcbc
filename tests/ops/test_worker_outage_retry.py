"""The task worker rides out its queue's store being away even while it is being made:
RQ's worker speaks to Redis in its constructor, so a Redis that drops the connection
just then must not end the worker."""

from __future__ import annotations

import pytest
import redis

from dateline.ops import worker as worker_module


class _FinishedWorker:
    running = True


def test_a_store_lost_while_the_worker_is_made_is_waited_out(monkeypatch):
    made: list[str] = []

    def make(name: str, burst: bool):
        made.append(name)
        if len(made) < 3:
            raise redis.exceptions.ConnectionError("Connection closed by server.")
        return _FinishedWorker()

    worked: list[object] = []
    monkeypatch.setattr(worker_module, "_task_worker", make)
    monkeypatch.setattr(worker_module, "_work", lambda worker, burst: worked.append(worker))
    monkeypatch.setattr(worker_module.time, "sleep", lambda seconds: None)

    worker_module.run_task_worker("w1")

    assert len(made) == 3
    assert len(worked) == 1


def test_a_burst_worker_still_reports_the_outage(monkeypatch):
    def make(name: str, burst: bool):
        raise redis.exceptions.ConnectionError("Connection closed by server.")

    monkeypatch.setattr(worker_module, "_task_worker", make)
    with pytest.raises(redis.exceptions.ConnectionError):
        worker_module.run_task_worker("w1", burst=True)
