"""Counting a reader once per article per day, whatever the store."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dateline.analytics import services
from dateline.analytics.counting import DatabaseStore
from dateline.analytics.models import (
    ArticleViewsByDay,
    ArticleViewsByHour,
    DailySalt,
    ReaderMark,
)

from .conftest import BROWSER

pytestmark = [pytest.mark.django_db, pytest.mark.engine]


@pytest.fixture(params=["database", "redis"])
def store(request, monkeypatch):
    chosen = (
        DatabaseStore() if request.param == "database" else request.getfixturevalue("redis_store")
    )
    monkeypatch.setattr(services, "_store", lambda: chosen)
    return chosen


def view(article, ip="203.0.113.7", agent=BROWSER, **kwargs):
    return services.record_view(article, ip=ip, user_agent=agent, **kwargs)


def committed(store, article):
    store.flush()
    return services.view_count(article)


def test_a_reader_counts_once_per_article_per_day(store, article):
    first = view(article)
    again = view(article)
    assert (first.counted, first.views) == (True, 1)
    assert (again.counted, again.views) == (False, 1)
    assert committed(store, article) == 1


def test_different_readers_each_count(store, article):
    for n in range(5):
        assert view(article, ip=f"198.51.100.{n}").counted
    assert view(article, ip="198.51.100.1", agent=BROWSER + " Edg/126").counted
    assert committed(store, article) == 6


def test_the_same_reader_counts_again_the_next_day(store, article):
    today = timezone.now()
    assert view(article, moment=today).counted
    assert not view(article, moment=today).counted
    assert view(article, moment=today + timedelta(days=1)).counted
    assert committed(store, article) == 2


def test_one_reader_counts_once_on_each_article(store, article):
    other = article.more_from_section().first()
    assert view(article).counted and view(other).counted
    assert committed(store, article) == 1 and committed(store, other) == 1


@pytest.mark.parametrize(
    "agent",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "curl/8.5.0",
        "python-requests/2.32.3",
        "",
    ],
)
def test_bots_and_scripts_are_not_counted(store, article, agent):
    result = view(article, agent=agent)
    assert not result.counted
    assert committed(store, article) == 0


def test_editors_reading_their_site_are_not_counted(store, article):
    assert not view(article, is_staff_reader=True).counted
    assert committed(store, article) == 0


def test_counts_go_into_hour_and_day_buckets_beside_the_total(store, article):
    view(article, ip="192.0.2.1")
    view(article, ip="192.0.2.2")
    store.flush()
    assert ArticleViewsByHour.objects.get(article=article).views == 2
    assert ArticleViewsByDay.objects.get(article=article).views == 2
    article.refresh_from_db()
    assert article.latest_revision_id == article.live_revision_id  # the page row is untouched


def test_no_ip_address_is_stored(store, article, settings):
    view(article, ip="203.0.113.99")
    if isinstance(store, DatabaseStore):
        stored = [mark.fingerprint for mark in ReaderMark.objects.all()]
    else:
        stored = [
            member.decode()
            for key in store.redis.scan_iter(f"{settings.DATELINE_CACHE_PREFIX}:*")
            if store.redis.type(key) == b"set"
            for member in store.redis.smembers(key)
        ]
    assert stored and all("203.0.113.99" not in mark for mark in stored)


def test_past_days_salts_and_reader_marks_are_forgotten(store, article):
    yesterday = timezone.now() - timedelta(days=1)
    view(article, moment=yesterday)
    view(article)
    store.flush()
    services.prune_counts()
    assert list(DailySalt.objects.values_list("day", flat=True)) == [timezone.now().date()]
    assert ReaderMark.objects.filter(day__lt=timezone.now().date()).count() == 0
    assert services.view_count(article) == 2  # counts stay


def test_a_flood_from_one_client_is_rate_limited(store, settings, article):
    settings.DATELINE_BEACON_RATE_LIMIT = 3
    for _ in range(3):
        view(article, ip="192.0.2.50")
    with pytest.raises(services.RateLimited) as limited:
        view(article, ip="192.0.2.50")
    assert 0 < limited.value.retry_after <= 65
    assert committed(store, article) == 1
    assert view(article, ip="192.0.2.51").counted  # another client is not held back


def test_one_address_adds_only_a_few_views_to_a_story_a_day(store, settings, article):
    settings.DATELINE_VIEWS_PER_ADDRESS_PER_DAY = 3
    counted = [view(article, agent=f"{BROWSER} build/{n}").counted for n in range(20)]
    assert counted == [True] * 3 + [False] * 17
    assert committed(store, article) == 3
    # The allowance is per story and per address, and starts again the next day.
    assert view(article.more_from_section().first(), agent=f"{BROWSER} build/1").counted
    assert view(article, ip="203.0.113.8").counted
    tomorrow = timezone.now() + timedelta(days=1)
    assert view(article, agent=f"{BROWSER} build/20", moment=tomorrow).counted
    assert committed(store, article) == 5


def test_addresses_of_one_ipv6_network_share_one_allowance(store, settings, article):
    settings.DATELINE_VIEWS_PER_ADDRESS_PER_DAY = 2
    network = [view(article, ip=f"2001:db8:5:6::{n:x}").counted for n in range(1, 6)]
    assert network == [True, True, False, False, False]
    assert view(article, ip="2001:db8:5:7::1").counted  # the next network is someone else
    assert committed(store, article) == 3


def test_no_allowance_setting_counts_every_reader(store, settings, article):
    settings.DATELINE_VIEWS_PER_ADDRESS_PER_DAY = 0
    assert all(view(article, agent=f"{BROWSER} build/{n}").counted for n in range(6))
    assert committed(store, article) == 6
