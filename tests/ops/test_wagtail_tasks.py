"""Wagtail's own background work (here, telling the CDN what to purge) goes into the
configured queue instead of running inside the editor's request."""

from __future__ import annotations

import pytest
from django_tasks_db.models import DBTaskResult

from dateline.pagecache.purge import purge_urls


@pytest.fixture
def cdn_behind_a_database_queue(settings, db):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.DATELINE_TASKS = "database"
    # Nothing listens on port 1: a purge run inline would fail and log it.
    settings.WAGTAILFRONTENDCACHE = {
        "proxy": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": "http://127.0.0.1:1",
        }
    }


def test_a_cdn_purge_is_queued_not_sent_in_the_request(cdn_behind_a_database_queue, caplog):
    purge_urls(["http://127.0.0.1:8000/en/world/"])

    [queued] = DBTaskResult.objects.ready().filter(
        task_path="wagtail.contrib.frontend_cache.tasks.purge_urls_from_cache_task"
    )
    assert queued.args_kwargs["args"][0] == ["http://127.0.0.1:8000/en/world/"]
    assert "Purging URL" not in caplog.text
    assert "127.0.0.1:1" not in caplog.text


def test_saving_a_story_queues_wagtails_reference_index_update(
    cdn_behind_a_database_queue, article
):
    article.save_revision().publish()
    assert (
        DBTaskResult.objects.ready()
        .filter(task_path="wagtail.tasks.update_reference_index_task")
        .exists()
    )
