"""Counting against a running server: many readers at once, bots, both storage modes."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.live_site import LiveSite, migrate

from .conftest import BROWSER

pytestmark = pytest.mark.live

CREATE_ARTICLE = """
from dateline.news import services
home = services.ensure_site()
section = services.create_section(home, title="World", slug="world", description="World news")
ids = []
for slug in ("crowd", "bots", "refusals"):
    article = services.create_article(
        section, title=f"Story {slug}", slug=slug, standfirst="Read me.", paragraphs=["Text."]
    )
    ids.append(str(article.pk))
print(",".join(ids))
"""


def quiet_redis_url() -> str:
    """A Redis database that no other test's site or worker uses, emptied: the worker
    these tests start must find only this site's jobs in its queue."""
    import redis

    number = {"gw0": 10, "gw1": 11}.get(os.environ.get("PYTEST_XDIST_WORKER", ""), 13)
    url = f"redis://127.0.0.1:6379/{number}"
    redis.Redis.from_url(url).flushdb()
    return url


@pytest.fixture(scope="module")
def live_site(live_engine, tmp_path_factory):
    site = LiveSite(
        tmp_path_factory.mktemp("live"),
        database_url=live_engine.new_database_url(),
        redis_url=quiet_redis_url() if live_engine.redis_url else "",
        DATELINE_TRUSTED_PROXIES="127.0.0.1",
        DATELINE_BEACON_RATE_LIMIT="1000",
        # A stopped worker finishes its task first; none of these may take long.
        DATELINE_TASK_TIME_LIMIT="20",
    )
    migrate(site.env, tmp_path_factory)
    site.articles = dict(
        zip(
            ("crowd", "bots", "refusals"),
            map(int, site.shell(CREATE_ARTICLE).strip().splitlines()[-1].split(",")),
            strict=True,
        )
    )
    site.start("--threads", "8")
    yield site
    site.stop()


def beacon(site: LiveSite, article: int, reader: str, agent: str = BROWSER) -> dict:
    request = urllib.request.Request(
        f"{site.base_url}/api/v1/articles/{article}/views",
        data=b"{}",
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": agent,
            "X-Forwarded-For": reader,
        },
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def committed_views(site: LiveSite, article: int) -> int:
    site.run("worker", "--once")  # flushes what Redis buffered; nothing to do on SQLite
    out = site.shell(
        f"from dateline.analytics.counting import stored_total\nprint(stored_total({article}))"
    )
    return int(out.strip().splitlines()[-1])


def test_fifty_readers_sending_four_beacons_each_at_once_count_fifty(live_site):
    article = live_site.articles["crowd"]
    readers = [f"198.51.100.{n}" for n in range(50)] * 4
    with ThreadPoolExecutor(max_workers=32) as pool:
        answers = list(pool.map(lambda reader: beacon(live_site, article, reader), readers))
    assert sum(answer["counted"] for answer in answers) == 50
    assert max(answer["views"] for answer in answers) == 50
    assert committed_views(live_site, article) == 50
    assert "database is locked" not in live_site.log.read_text()


def test_a_bot_adds_nothing(live_site):
    googlebot = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
    article = live_site.articles["bots"]
    answers = [beacon(live_site, article, f"203.0.113.{n}", agent=googlebot) for n in range(5)]
    assert not any(answer["counted"] for answer in answers)
    assert committed_views(live_site, article) == 0


def test_a_get_or_a_bad_body_is_refused(live_site):
    url = f"{live_site.base_url}/api/v1/articles/{live_site.articles['refusals']}/views"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(url, timeout=10)
    assert refused.value.code == 405
    bad = urllib.request.Request(
        url, data=b"x" * 2048, method="POST", headers={"Content-Type": "application/json"}
    )
    with pytest.raises(urllib.error.HTTPError) as too_big:
        urllib.request.urlopen(bad, timeout=10)
    assert too_big.value.code == 413


def stored_views(site: LiveSite, article: int) -> int:
    out = site.shell(
        f"from dateline.analytics.counting import stored_total\nprint(stored_total({article}))"
    )
    return int(out.strip().splitlines()[-1])


QUEUE_IS_IDLE = """
import django_rq
from rq.registry import StartedJobRegistry
queue = django_rq.get_queue("default")
print(queue.count + StartedJobRegistry(queue=queue).count)
"""


def test_a_stopped_worker_flushes_what_redis_holds_first(live_site, request):
    if "REDIS_URL" not in live_site.env:
        pytest.skip("only Redis buffers views")
    import signal
    import subprocess
    import threading
    import time

    from tests.live_site import DATELINE

    article = live_site.articles["refusals"]
    worker = subprocess.Popen(
        [DATELINE, "worker"],
        env={
            **live_site.env,
            "DATELINE_FLUSH_INTERVAL": "3600",
            "DATELINE_LOG_LEVEL": "DEBUG",
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    # Read everything it says, so that a full pipe never holds it up.
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(worker.stdout), daemon=True)
    reader.start()
    try:
        # Wait for its first round, and for the jobs that round queued (one of them a
        # flush) to be done; the next flush is an hour away.
        deadline = time.monotonic() + 120
        while not any("round finished" in line for line in lines):
            assert worker.poll() is None, "".join(lines)
            assert time.monotonic() < deadline, "the worker did not finish a round"
            time.sleep(0.2)
        while int(live_site.shell(QUEUE_IS_IDLE).strip().splitlines()[-1]):
            assert time.monotonic() < deadline, "the worker did not run its first jobs"
            time.sleep(0.5)
        for n in range(7):
            beacon(live_site, article, f"192.0.2.{n}")
        assert stored_views(live_site, article) == 0  # still in Redis
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            worker.send_signal(signal.SIGUSR1)  # where each of its threads is
            time.sleep(2)
            pytest.fail("the worker did not stop; it said:\n" + "".join(lines)[-12000:])
    finally:
        if worker.poll() is None:
            worker.kill()
    reader.join(timeout=10)
    assert stored_views(live_site, article) == 7, "".join(lines)
