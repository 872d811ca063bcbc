"""DATELINE_TASKS picks where background work is queued: the site's own database unless
Redis is configured, RQ on that Redis when it is; a value that is not one of the two, or
RQ without Redis, stops the start with the reason."""

from __future__ import annotations

import runpy

import pytest
from django.core.exceptions import ImproperlyConfigured

# runpy warns that the module it runs afresh is already imported: that is the point.
pytestmark = pytest.mark.filterwarnings("ignore:.*found in sys.modules:RuntimeWarning")


def settings_with(monkeypatch, tmp_path, **env: str) -> dict:
    """The production settings module as it reads this environment."""
    for name in ("REDIS_URL", "DATELINE_TASKS", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATELINE_DATA_DIR", str(tmp_path))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_module("dateline.settings.base")


def backend(settings: dict) -> str:
    return settings["TASKS"]["default"]["BACKEND"]


def test_one_machine_queues_in_its_database(monkeypatch, tmp_path):
    settings = settings_with(monkeypatch, tmp_path)
    assert settings["DATELINE_TASKS"] == "database"
    assert backend(settings) == "django_tasks_db.DatabaseBackend"
    assert "django_tasks_db" in settings["INSTALLED_APPS"]


def test_with_redis_the_queue_is_rq_on_that_redis(monkeypatch, tmp_path):
    settings = settings_with(monkeypatch, tmp_path, REDIS_URL="redis://cache.example:6379/3")
    assert settings["DATELINE_TASKS"] == "rq"
    assert backend(settings) == "django_tasks_rq.RQBackend"
    assert settings["RQ_QUEUES"]["default"]["URL"] == "redis://cache.example:6379/3"


def test_the_database_queue_can_be_chosen_beside_redis(monkeypatch, tmp_path):
    settings = settings_with(
        monkeypatch, tmp_path, REDIS_URL="redis://cache.example:6379/3", DATELINE_TASKS="Database"
    )
    assert backend(settings) == "django_tasks_db.DatabaseBackend"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DATELINE_TASKS": "celery"}, "DATELINE_TASKS must be database or rq, not 'celery'"),
        ({"DATELINE_TASKS": "rq"}, "DATELINE_TASKS=rq needs REDIS_URL"),
    ],
)
def test_a_queue_that_cannot_work_stops_the_start(monkeypatch, tmp_path, env, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        settings_with(monkeypatch, tmp_path, **env)


def test_the_suite_runs_tasks_at_once(settings):
    assert backend({"TASKS": settings.TASKS}) == "django_tasks.backends.immediate.ImmediateBackend"
