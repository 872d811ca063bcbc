"""The generations that every kept copy is checked against only ever go up: after a raise,
after any length of time, and after the store that holds them lost them."""

from __future__ import annotations

import os
import uuid

import pytest
from django.conf import settings

from dateline.core import generations
from dateline.core.generations import FileCounters, RedisCounters


def file_counters(tmp_path) -> FileCounters:
    return FileCounters(tmp_path / "generations")


@pytest.fixture
def redis_counters():
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL or "redis://127.0.0.1:6379/15")
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis here")
    prefix = f"dateline-test-generations-{uuid.uuid4().hex}"
    yield RedisCounters(client, prefix, poll_seconds=0)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def test_a_raise_moves_a_file_generation_up_for_every_process(tmp_path):
    here, there = file_counters(tmp_path), file_counters(tmp_path)
    before = there.current("content")
    raised = here.advance(("content",))["content"]
    assert there.current("content") == raised > before


def test_a_lost_file_generation_comes_back_above_every_number_it_held(tmp_path):
    counters = file_counters(tmp_path)
    held = max(counters.advance(("content",))["content"] for _ in range(5))
    os.remove(tmp_path / "generations" / "content")  # a data folder wiped or restored
    assert file_counters(tmp_path).current("content") > held


def test_a_lost_redis_generation_comes_back_above_every_number_it_held(redis_counters):
    held = max(redis_counters.advance(("content",))["content"] for _ in range(5))
    redis_counters._client.delete(redis_counters._key("content"))  # a Redis restart
    assert redis_counters.current("content") > held
    assert redis_counters.advance(("content",))["content"] > held


def test_raising_a_floor_never_lowers_it(tmp_path):
    counters = file_counters(tmp_path)
    high = counters.advance(("pulled",))["pulled"]
    counters.raise_to("pulled", 5)
    assert counters.current("pulled") == high


def test_names_from_outside_cannot_leave_the_folder(tmp_path):
    counters = file_counters(tmp_path)
    counters.advance(("feeds:../../escape",))
    assert not (tmp_path / "escape").exists()
    assert all(path.parent == tmp_path / "generations" for path in tmp_path.rglob("*escape*"))


@pytest.mark.django_db
def test_a_cleared_cache_does_not_bring_back_an_old_feed_generation(client):
    """Feeds key their copies by their language's generation, which no expiry or eviction
    of cached entries takes back: with Redis, emptying the database even loses the number,
    and it comes back above every number it held."""
    from django.core.cache import cache

    from dateline.feeds.cache import generation, invalidate

    before = generation("en")
    invalidate(["en"])
    after = generation("en")
    cache.clear()
    assert generation("en") >= after > before


def test_a_failed_raise_is_logged_and_does_not_fail_the_change(caplog, monkeypatch):
    class Down:
        def advance(self, names):
            raise ConnectionError("Redis is down")

    monkeypatch.setattr(generations, "counters", lambda: Down())
    assert generations.advance("content") == {}
    assert "could not be raised" in caplog.text
