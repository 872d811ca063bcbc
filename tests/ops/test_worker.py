"""`dateline worker` as real processes against a database of their own, on each engine:
the lease that lets one worker run at a time is a conditional UPDATE."""

import subprocess
import time

import pytest

from tests.live_site import DATELINE, child_env, migrate

pytestmark = pytest.mark.live

SCHEDULE_AN_ARTICLE = """
from datetime import timedelta
from django.utils import timezone
from dateline.news import services
from dateline.news.models import ArticlePage
home = services.ensure_site()
section = services.create_section(home, title="World", slug="world", description="World news")
article = ArticlePage(title="Due soon", slug="due-soon", standfirst="Soon.",
                      body=[("paragraph", "<p>Text.</p>")], live=False)
section.add_child(instance=article)
services.schedule(article, timezone.now() + timedelta(seconds=4))
print("scheduled")
"""

REPORT = """
from wagtail.models import PageLogEntry
from dateline.news.models import ArticlePage
article = ArticlePage.objects.get(slug="due-soon")
published = PageLogEntry.objects.filter(
    page=article, action__in=["wagtail.publish", "wagtail.publish.scheduled"]).count()
print(f"live={article.live} publishes={published}")
"""


def dateline(env: dict, *args: str, timeout: int = 180) -> str:
    result = subprocess.run(
        [DATELINE, *args], env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_two_workers_started_at_once_publish_a_due_article_once(
    tmp_path, tmp_path_factory, live_engine
):
    env = child_env(DATELINE_DATA_DIR=str(tmp_path))
    if live_engine.on_postgres:
        env.update(DATABASE_URL=live_engine.new_database_url(), REDIS_URL=live_engine.redis_url)
    migrate(env, tmp_path_factory)
    assert "scheduled" in dateline(env, "manage", "shell", "-c", SCHEDULE_AN_ARTICLE)
    assert "live=False publishes=0" in dateline(env, "manage", "shell", "-c", REPORT)

    time.sleep(5)  # past the go-live time
    workers = [
        subprocess.Popen(
            [DATELINE, "worker", "--once"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(2)
    ]
    for worker in workers:
        _out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err.decode()[-3000:]

    assert "live=True publishes=1" in dateline(env, "manage", "shell", "-c", REPORT)


def test_worker_and_serve_explain_themselves():
    for command in ("serve", "worker", "demo", "setup", "manage"):
        out = subprocess.run(
            [DATELINE, command, "--help"], capture_output=True, text=True, timeout=60
        ).stdout
        assert "usage: dateline" in out
