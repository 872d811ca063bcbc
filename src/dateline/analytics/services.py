"""Counting views and reading counts: the one path the beacon, the pages and the API use."""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone
from redis.exceptions import RedisError
from wagtail.models import Locale, Page, PageViewRestriction

from dateline.core.clients import client_network
from dateline.core.ratelimit import RateLimited  # noqa: F401  (raised by record_view, caught by callers)

from . import counting, readers
from .models import ArticleViewsByHour, ArticleViewTotal

logger = logging.getLogger(__name__)

MOST_READ_WINDOWS = {"24h": timedelta(hours=24), "7d": timedelta(days=7)}
MOST_READ_CACHE_SECONDS = 300


@dataclass(frozen=True)
class ViewResult:
    counted: bool
    views: int


def view_count(article: Page) -> int:
    """The article's count as readers should see it: committed, plus any still buffered."""
    return view_count_of(article.pk)


def view_count_of(article_id: int) -> int:
    try:
        return _store().current_total(article_id)
    except RedisError:
        return counting.stored_total(article_id)


def add_views(article: Page, views: int) -> int:
    """Add to an article's total without buckets, e.g. counts brought from an old site."""
    with transaction.atomic():
        counting.upsert_totals({article.pk: views})
    return counting.stored_total(article.pk)


def view_counts(article_ids: list[int]) -> dict[int, int]:
    return dict(
        ArticleViewTotal.objects.filter(article_id__in=article_ids).values_list(
            "article_id", "views"
        )
    )


# A beacon must not cost a page query: which ids are live public articles is remembered
# for a few seconds per process (an unpublished story may be counted for that long).
COUNTABLE_SECONDS = 10.0
_countable: dict[int, float] = {}
_restricted: tuple[float, tuple[str, ...]] = (0.0, ())


def _restricted_paths() -> tuple[str, ...]:
    global _restricted
    expires, paths = _restricted
    if expires < time.monotonic():
        paths = tuple(PageViewRestriction.objects.values_list("page__path", flat=True))
        _restricted = (time.monotonic() + COUNTABLE_SECONDS, paths)
    return paths


def _article_content_types() -> list[int]:
    """Articles and every kind of article (live blogs): each page type has its own."""
    from django.apps import apps

    from dateline.news.models import ArticlePage

    kinds = [model for model in apps.get_models() if issubclass(model, ArticlePage)]
    return sorted(
        content_type.pk for content_type in ContentType.objects.get_for_models(*kinds).values()
    )


def is_countable(article_id: int) -> bool:
    """Whether the id is a live article that anyone may read."""
    if _countable.get(article_id, 0.0) > time.monotonic():
        return True
    kinds = _article_content_types()
    placeholders = ", ".join(["%s"] * len(kinds))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT path FROM {Page._meta.db_table} "
            f"WHERE id = %s AND live = %s AND content_type_id IN ({placeholders})",
            [article_id, True, *kinds],
        )
        row = cursor.fetchone()
    if row is None or row[0].startswith(_restricted_paths()):
        _countable.pop(article_id, None)
        return False
    if len(_countable) > 50_000:
        _countable.clear()
    _countable[article_id] = time.monotonic() + COUNTABLE_SECONDS
    return True


def _store():
    return counting.default_store()


def record_view(
    article: Page | int,
    *,
    ip: str,
    user_agent: str,
    is_staff_reader: bool = False,
    moment: datetime | None = None,
) -> ViewResult:
    """Count a reader's view of an article once per day, and at most
    DATELINE_VIEWS_PER_ADDRESS_PER_DAY views of it from one address (0: no limit); bots
    and editors are not counted.

    Raises RateLimited when one client sends too many beacons."""
    article_id = getattr(article, "pk", article)
    moment = moment or timezone.now()
    store = _store()
    day = moment.date()
    network = client_network(ip)
    salt = readers.daily_salt(day)
    client = hashlib.sha256(f"{salt}:{network}".encode()).hexdigest()[:32]
    fingerprint = allowance = None
    if not (is_staff_reader or readers.is_bot(user_agent)):
        fingerprint = readers.reader_fingerprint(ip, user_agent, article_id, day)
        per_address = settings.DATELINE_VIEWS_PER_ADDRESS_PER_DAY
        if per_address > 0:
            allowance = counting.Allowance(
                readers.address_fingerprint(network, article_id, day), per_address
            )
    limit = settings.DATELINE_BEACON_RATE_LIMIT
    try:
        counted, views = store.record(article_id, fingerprint, moment, client, limit, allowance)
    except RedisError:
        # Redis is away: the database takes the view, so nothing is lost meanwhile.
        logger.warning("Redis unavailable; counting a view in the database", exc_info=True)
        counted, views = counting.DatabaseStore().record(
            article_id, fingerprint, moment, client, limit, allowance
        )
    return ViewResult(counted, views)


def views_are_buffered() -> bool:
    """Whether counts wait in Redis for a flush; in the database they are committed at once."""
    return bool(settings.REDIS_URL)


def flush_views() -> int:
    """Move buffered counts into the database (a no-op without Redis)."""
    return _store().flush()


def prune_counts(now: datetime | None = None) -> None:
    """Forget yesterday's readers and hour buckets older than the longest window."""
    now = now or timezone.now()
    readers.forget_past_days(now.date())
    ArticleViewsByHour.objects.filter(hour__lt=now - timedelta(days=8)).delete()


def most_read(
    locale: Locale, section: Page | None = None, window: str = "24h", limit: int = 5
) -> list[tuple[Page, int]]:
    """The most-read live articles of a language (and section) in a window, cached 5 minutes."""
    key = f"dateline:most-read:{locale.pk}:{section.pk if section else 0}:{window}:{limit}"
    cached = cache.get(key)
    if cached is None:
        cached = _compute_most_read(locale, section, window, limit)
        cache.set(key, cached, MOST_READ_CACHE_SECONDS)
    from dateline.news.models import ArticlePage

    articles = ArticlePage.objects.live().public().in_bulk([pk for pk, _views in cached])
    return [(articles[pk], views) for pk, views in cached if pk in articles]


def _compute_most_read(locale, section, window, limit) -> list[tuple[int, int]]:
    from dateline.news.models import ArticlePage

    since = counting.hour_of(timezone.now() - MOST_READ_WINDOWS[window])
    candidates = ArticlePage.objects.live().public().filter(locale=locale)
    if section is not None:
        candidates = candidates.descendant_of(section)
    rows = (
        ArticleViewsByHour.objects.filter(hour__gte=since, article__in=candidates.values("pk"))
        .values("article_id")
        .annotate(views=Sum("views"))
        .order_by("-views", "-article_id")[:limit]
    )
    return [(row["article_id"], row["views"]) for row in rows]


def is_counting_excluded(user) -> bool:
    """Editors reading their own site are not readers."""
    return bool(user and user.is_authenticated and user.has_perm("wagtailadmin.access_admin"))
