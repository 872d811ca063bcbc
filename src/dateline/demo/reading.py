"""A plausible day of reading for the demo: simulated readers whose views go through the
same counting service as a reader's beacon, so "Most read" and the view counts look like
a living site. Every simulated reader has an address in the IPv6 documentation prefix
(2001:db8::/32), which no real reader has."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.utils import timezone

from dateline.analytics.services import flush_views, record_view
from dateline.news.models import ArticlePage

READERS_PER_LANGUAGE = 900
READ_WINDOW = timedelta(hours=24)
BROWSERS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/18.1 Safari/605.1.15",
)


def simulate_reading(now: datetime | None = None, seed: int = 2026) -> int:
    """Count a day of simulated readers' views of the stories of every language; returns
    how many views were counted. The same seed gives the same day."""
    now = now or timezone.now()
    chooser = random.Random(seed)
    counted = 0
    stories_by_language: dict[int, list[ArticlePage]] = {}
    readable = ArticlePage.objects.live().public().filter(first_published_at__lte=now)
    for story in readable.order_by("-first_published_at", "pk"):
        stories_by_language.setdefault(story.locale_id, []).append(story)
    for stories in stories_by_language.values():
        weights = [_appeal(story, now, chooser) for story in stories]
        for reader in range(READERS_PER_LANGUAGE):
            address = f"2001:db8:{chooser.randrange(1, 0xFFFF):x}:{reader:x}::1"
            browser = chooser.choice(BROWSERS)
            # a reader opens one to three stories
            for story in set(chooser.choices(stories, weights, k=chooser.choice((1, 1, 2, 3)))):
                moment = _moment_read(story, now, chooser)
                counted += record_view(story, ip=address, user_agent=browser, moment=moment).counted
    flush_views()
    return counted


def _appeal(story: ArticlePage, now: datetime, chooser: random.Random) -> float:
    """How likely a reader is to open the story: newer stories far more, some stories
    far more than others of their age."""
    age_hours = max((now - story.first_published_at).total_seconds() / 3600, 0)
    freshness = 1 / (1 + age_hours / 6) ** 2
    return freshness * chooser.lognormvariate(0, 0.8)


def _moment_read(story: ArticlePage, now: datetime, chooser: random.Random) -> datetime:
    earliest = max(story.first_published_at, now - READ_WINDOW)
    return earliest + (now - earliest) * chooser.random() ** 0.7
