"""The periodic schedule queues each job once per time slot, through one enqueuer at a
time, and the database queue's worker then runs what was queued: a due story goes live."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.models import PageLogEntry

from dateline.analytics.tasks import flush_view_counts
from dateline.core.leases import acquire_lease
from dateline.news import services
from dateline.news.tasks import publish_scheduled
from dateline.ops import schedule
from dateline.ops.schedule import Enqueuer, PeriodicJob, periodic_jobs
from dateline.ops.worker import run_task_worker, run_worker
from tests.news.test_services import make_draft

# Leases and slot claims are conditional UPDATEs: their behaviour is the engine's.
pytestmark = pytest.mark.engine

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def database_queue(settings, db):
    settings.TASKS = DATABASE_QUEUE
    settings.DATELINE_TASKS = "database"


def queued() -> list[str]:
    return sorted(
        path.rsplit(".", 1)[1]
        for path in DBTaskResult.objects.ready().values_list("task_path", flat=True)
    )


def publishing_every_minute() -> list[PeriodicJob]:
    return [PeriodicJob("scheduled-publishing", publish_scheduled, 60)]


def test_each_slot_is_queued_once(database_queue):
    enqueuer = Enqueuer("machine-a:1", publishing_every_minute())
    minute = 29_000_000 * 60
    assert enqueuer.tick(minute + 1) == ["scheduled-publishing"]
    assert enqueuer.tick(minute + 30) == []
    assert enqueuer.tick(minute + 59.9) == []
    assert queued() == ["publish_scheduled"]
    assert enqueuer.tick(minute + 61) == ["scheduled-publishing"]
    assert queued() == ["publish_scheduled", "publish_scheduled"]


def test_a_second_machine_queues_nothing_while_the_first_holds_the_schedule(database_queue):
    first = Enqueuer("machine-a:1", publishing_every_minute())
    second = Enqueuer("machine-b:1", publishing_every_minute())
    assert first.tick(60.0 * 1000) == ["scheduled-publishing"]
    assert second.tick(60.0 * 1001) == []
    first.release()
    assert second.tick(60.0 * 1001) == ["scheduled-publishing"]
    assert queued() == ["publish_scheduled", "publish_scheduled"]


def test_a_slot_already_queued_by_a_lost_enqueuer_is_not_queued_again(database_queue):
    # The first enqueuer died after queueing; its lease expired and another took over.
    assert Enqueuer("machine-a:1", publishing_every_minute()).tick(60.0 * 2000) != []
    acquire_lease(schedule.ENQUEUER_LEASE, "machine-a:1", timedelta(seconds=-1))
    assert Enqueuer("machine-b:1", publishing_every_minute()).tick(60.0 * 2000 + 5) == []
    assert queued() == ["publish_scheduled"]


def test_a_failed_enqueue_gives_the_slot_back(database_queue, monkeypatch, caplog):
    enqueuer = Enqueuer("machine-a:1", publishing_every_minute())

    def refuse(*args, **kwargs):
        raise ConnectionError("the queue is away")

    monkeypatch.setattr(type(publish_scheduled), "enqueue", refuse)
    assert enqueuer.tick(60.0 * 3000) == []
    assert "queueing scheduled-publishing failed" in caplog.text
    monkeypatch.undo()
    assert enqueuer.tick(60.0 * 3000 + 5) == ["scheduled-publishing"]


def test_view_counts_are_queued_for_a_flush_only_where_redis_buffers_them(database_queue, settings):
    configured = settings.REDIS_URL
    try:
        settings.REDIS_URL = ""
        names = [job.name for job in periodic_jobs() if job.wanted()]
        assert "flush-view-counts" not in names
        assert {"scheduled-publishing", "forget-past-readers", "forget-finished-tasks"} <= set(
            names
        )
        settings.REDIS_URL = "redis://127.0.0.1:6379/9"
        [flush] = [job for job in periodic_jobs() if job.name == "flush-view-counts"]
        assert flush.wanted() and flush.task is flush_view_counts
    finally:
        settings.REDIS_URL = configured  # the suite's Redis clean-up reads it


def due_story(world):
    article = make_draft(world, slug="queued-story", title="Queued for noon")
    services.schedule(article, timezone.now() + timedelta(hours=1))
    revision = article.latest_revision
    due = timezone.now() - timedelta(seconds=1)
    revision.approved_go_live_at = due
    revision.content["go_live_at"] = due.isoformat()
    revision.save(update_fields=["approved_go_live_at", "content"])
    return article


def test_the_queued_job_publishes_a_due_story_when_the_worker_runs_it(database_queue, world):
    article = due_story(world)
    Enqueuer("machine-a:1", publishing_every_minute()).tick(60.0 * 4000)
    article.refresh_from_db()
    assert not article.live  # queued, not yet run

    run_task_worker("machine-a:1", burst=True)

    article.refresh_from_db()
    assert article.live
    assert queued() == []
    [result] = DBTaskResult.objects.successful().filter(task_path=publish_scheduled.module_path)
    assert result.return_value == 1


def test_worker_once_runs_the_jobs_in_this_process(database_queue, world):
    article = due_story(world)
    run_worker(once=True)
    article.refresh_from_db()
    assert article.live
    publishes = PageLogEntry.objects.filter(
        page=article, action__in=["wagtail.publish", "wagtail.publish.scheduled"]
    )
    assert publishes.count() == 1
