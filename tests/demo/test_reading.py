"""The demo's simulated day of reading: counted through the readers' counting service, so
"Most read" and the view counts look like a living site."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.core.cache import caches
from django.db.models import Sum
from django.utils import timezone
from wagtail.models import Locale

from dateline.analytics.models import ArticleViewsByHour
from dateline.analytics.services import most_read, view_count
from dateline.demo.reading import READ_WINDOW, simulate_reading
from dateline.news.models import ArticlePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def day_of_reading(settings):
    settings.DATELINE_VIEWS_PER_ADDRESS_PER_DAY = 3
    for kept in caches.all():  # most read and the home page as earlier tests left them
        kept.clear()
    now = timezone.now()
    return now, simulate_reading(now=now)


def test_a_day_of_reading_fills_most_read_in_every_language(client, day_of_reading):
    _now, counted = day_of_reading
    assert counted > 1000
    for code in ("en", "ru", "hy", "az"):
        top = most_read(Locale.objects.get(language_code=code), window="24h")
        assert len(top) == 5
        views = [views for _article, views in top]
        assert views == sorted(views, reverse=True) and views[0] > views[-1] > 1
    html = BeautifulSoup(client.get("/en/").content, "html.parser")
    assert len(html.select(".most-read-band .most-read-list li")) == 5


def test_views_fall_after_each_story_was_published_and_within_the_day(day_of_reading):
    now, counted = day_of_reading
    rows = ArticleViewsByHour.objects.select_related("article")
    assert rows.aggregate(total=Sum("views"))["total"] == counted
    for row in rows:
        published = row.article.first_published_at.replace(minute=0, second=0, microsecond=0)
        assert published <= row.hour <= now
        assert row.hour >= (now - READ_WINDOW).replace(minute=0, second=0, microsecond=0)


def test_newer_stories_are_read_more_and_old_ones_not_at_all(day_of_reading):
    now, _counted = day_of_reading
    english = ArticlePage.objects.live().filter(locale__language_code="en")
    fresh = english.filter(first_published_at__gte=now - READ_WINDOW)
    stale = english.filter(first_published_at__lt=now - READ_WINDOW * 3)
    assert sum(view_count(story) for story in fresh) > 10 * sum(
        view_count(story) for story in stale
    )
