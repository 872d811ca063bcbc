"""Buffered counts leave Redis only after the database has committed them."""

import pytest

from dateline.analytics import counting, services
from dateline.analytics.models import FlushedBatch

from .conftest import BROWSER

pytestmark = [pytest.mark.django_db, pytest.mark.engine]


@pytest.fixture(autouse=True)
def use_redis(redis_store, monkeypatch):
    monkeypatch.setattr(services, "_store", lambda: redis_store)


def count_readers(article, how_many, start=0):
    for n in range(start, start + how_many):
        services.record_view(article, ip=f"10.0.{n // 250}.{n % 250}", user_agent=BROWSER)


def test_buffered_views_are_shown_before_and_after_the_flush(redis_store, article):
    count_readers(article, 3)
    assert counting.stored_total(article.pk) == 0  # not yet in the database
    assert redis_store.current_total(article.pk) == 3
    assert redis_store.flush() == 3
    assert counting.stored_total(article.pk) == 3
    assert redis_store.current_total(article.pk) == 3
    assert redis_store.flush() == 0


def test_a_flush_that_dies_before_committing_loses_nothing(redis_store, article, monkeypatch):
    count_readers(article, 4)

    def power_cut(increments):
        raise RuntimeError("killed mid-flush")

    monkeypatch.setattr(counting, "apply_increments", power_cut)
    with pytest.raises(RuntimeError):
        redis_store.flush()
    assert counting.stored_total(article.pk) == 0
    assert redis_store.current_total(article.pk) == 4  # still buffered, in its batch

    monkeypatch.undo()
    monkeypatch.setattr(services, "_store", lambda: redis_store)
    assert redis_store.flush() == 4
    assert counting.stored_total(article.pk) == 4


def test_a_flush_that_dies_after_committing_never_counts_twice(redis_store, article, monkeypatch):
    count_readers(article, 5)

    def power_cut(key):
        raise RuntimeError("killed between the commit and the cleanup")

    monkeypatch.setattr(redis_store, "_forget_batch", power_cut)
    with pytest.raises(RuntimeError):
        redis_store.flush()
    assert counting.stored_total(article.pk) == 5
    assert FlushedBatch.objects.count() == 1

    monkeypatch.undo()
    monkeypatch.setattr(services, "_store", lambda: redis_store)
    assert redis_store.flush() == 0  # the batch is recognised and dropped
    assert counting.stored_total(article.pk) == 5
    assert redis_store.current_total(article.pk) == 5


def test_views_arriving_during_a_failed_flush_are_kept(redis_store, article, monkeypatch):
    count_readers(article, 2)
    monkeypatch.setattr(counting, "apply_increments", lambda increments: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        redis_store.flush()
    count_readers(article, 3, start=100)
    monkeypatch.undo()
    monkeypatch.setattr(services, "_store", lambda: redis_store)
    assert redis_store.flush() == 5
    assert counting.stored_total(article.pk) == 5


def test_redis_losing_its_memory_after_a_flush_keeps_committed_views(
    redis_store, redis_client, settings, article
):
    count_readers(article, 6)
    redis_store.flush()
    for key in redis_client.scan_iter(f"{settings.DATELINE_CACHE_PREFIX}:*"):
        redis_client.delete(key)  # what a Redis restart without persistence leaves
    assert counting.stored_total(article.pk) == 6
    assert redis_store.current_total(article.pk) == 6


def test_a_dead_redis_falls_back_to_counting_in_the_database(article, monkeypatch):
    import redis

    dead = counting.RedisStore(redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2))
    monkeypatch.setattr(services, "_store", lambda: dead)
    result = services.record_view(article, ip="192.0.2.9", user_agent=BROWSER)
    assert result.counted
    assert counting.stored_total(article.pk) == 1
