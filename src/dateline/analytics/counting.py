"""Where counted views go: straight into the database, or buffered in Redis and flushed.

A new reader of an article is counted only while their address (see
`core.clients.client_network`) has added fewer than its daily allowance of views to that
article: a script that changes its User-Agent for every beacon passes for new readers,
but not for new addresses. The allowance is checked in the same step as the reader mark
(one statement more in the database when a reader is new, nothing more in Redis's one
round trip).

A view is added to three tables: the article's total, its hour bucket and its day
bucket. The Redis store buffers the same increments in one hash and moves them into the
database in batches; a batch leaves Redis only after the database has committed it, and
the batch's id is committed with it, so a flush that dies at any point is finished by
the next one without counting anything twice."""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache

from django.conf import settings
from django.db import IntegrityError, connection, transaction

from dateline.core.ratelimit import WINDOW_SECONDS, RateLimited, check_locally, current_window

from .models import (
    AddressViews,
    ArticleViewsByDay,
    ArticleViewsByHour,
    ArticleViewTotal,
    FlushedBatch,
    ReaderMark,
)

logger = logging.getLogger(__name__)


def redis_key(name: str) -> str:
    return f"{settings.DATELINE_CACHE_PREFIX}:views:{name}"


@dataclass(frozen=True)
class Allowance:
    """What one address may still add: `address` is its salted hash for the article and
    day, `views` the most it adds to that article that day."""

    address: str
    views: int


@dataclass(frozen=True)
class Increment:
    article_id: int
    hour: datetime
    views: int = 1

    @property
    def day(self) -> date:
        return self.hour.date()


def hour_of(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def _upsert(table: str, key_columns: list[str], rows: list[tuple]) -> None:
    """Add `views` to rows keyed by key_columns, creating them where missing."""
    if not rows:
        return
    columns = [*key_columns, "views"]
    placeholders = ", ".join(["%s"] * len(columns))
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders}) "
        f"ON CONFLICT ({', '.join(key_columns)}) "
        f"DO UPDATE SET views = {table}.views + excluded.views"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def upsert_totals(totals: dict[int, int]) -> None:
    _upsert(ArticleViewTotal._meta.db_table, ["article_id"], sorted(totals.items()))


def apply_increments(increments: list[Increment]) -> None:
    """Write increments into the three count tables; the caller holds the transaction."""
    totals: dict[int, int] = defaultdict(int)
    hours: dict[tuple[int, datetime], int] = defaultdict(int)
    days: dict[tuple[int, date], int] = defaultdict(int)
    for increment in increments:
        totals[increment.article_id] += increment.views
        hours[(increment.article_id, increment.hour)] += increment.views
        days[(increment.article_id, increment.day)] += increment.views
    upsert_totals(totals)
    _upsert(
        ArticleViewsByHour._meta.db_table,
        ["article_id", "hour"],
        sorted((article, hour, views) for (article, hour), views in hours.items()),
    )
    _upsert(
        ArticleViewsByDay._meta.db_table,
        ["article_id", "day"],
        sorted((article, day, views) for (article, day), views in days.items()),
    )


def stored_total(article_id: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT views FROM {ArticleViewTotal._meta.db_table} WHERE article_id = %s",
            [article_id],
        )
        row = cursor.fetchone()
    return row[0] if row else 0


def _within_allowance(cursor, day: date, allowance: Allowance) -> bool:
    """Take one view from the address's allowance; False once it is used up."""
    table = AddressViews._meta.db_table
    cursor.execute(
        f"INSERT INTO {table} (day, address, views) VALUES (%s, %s, 1) "
        "ON CONFLICT (day, address) DO UPDATE SET views = "
        f"{table}.views + 1 WHERE {table}.views < %s",
        [day, allowance.address, allowance.views],
    )
    return cursor.rowcount == 1


class DatabaseStore:
    """The embedded mode: each counted view is one short write transaction."""

    def count_once(
        self,
        article_id: int,
        fingerprint: str,
        moment: datetime,
        allowance: Allowance | None = None,
    ) -> tuple[bool, int]:
        day = moment.astimezone(UTC).date()
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {ReaderMark._meta.db_table} (day, fingerprint) "
                    "VALUES (%s, %s) ON CONFLICT (day, fingerprint) DO NOTHING",
                    [day, fingerprint],
                )
                counted = cursor.rowcount == 1
                if counted and allowance is not None:
                    counted = _within_allowance(cursor, day, allowance)
            if counted:
                apply_increments([Increment(article_id, hour_of(moment))])
        return counted, stored_total(article_id)

    def current_total(self, article_id: int) -> int:
        return stored_total(article_id)

    def record(
        self,
        article_id: int,
        fingerprint: str | None,
        moment: datetime,
        client: str,
        limit: int,
        allowance: Allowance | None = None,
    ) -> tuple[bool, int]:
        """Rate-limit the client, then count the reader once (None: only read the count)
        if their address has views of the article left today."""
        check_locally(client, limit)
        if fingerprint is None:
            return False, stored_total(article_id)
        return self.count_once(article_id, fingerprint, moment, allowance)

    def flush(self) -> int:
        return 0


# Moves the pending hash aside as a named batch in one step, so no increment is
# between the two places if the flusher dies.
_TAKE_BATCH = """
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('RENAME', KEYS[1], KEYS[2])
  redis.call('SADD', KEYS[3], KEYS[2])
  return 1
end
return 0
"""


# One round trip per beacon: count the client against its limit, mark the reader, take a
# view from the address's daily allowance (none given: no allowance), buffer the
# increments if new, and say how many views of the article are buffered (pending, or in
# a flush under way). An empty fingerprint (a bot, an editor) only asks for the count.
_COUNT = """
local used = redis.call('INCR', KEYS[4])
if used == 1 then redis.call('EXPIRE', KEYS[4], ARGV[6]) end
if used > tonumber(ARGV[5]) then return {-1, redis.call('TTL', KEYS[4])} end
local added = 0
if ARGV[1] ~= '' then
  added = redis.call('SADD', KEYS[1], ARGV[1])
  redis.call('EXPIREAT', KEYS[1], ARGV[2])
  if added == 1 and ARGV[7] ~= '' then
    local taken = redis.call('HINCRBY', KEYS[5], ARGV[7], 1)
    redis.call('EXPIREAT', KEYS[5], ARGV[2])
    if taken > tonumber(ARGV[8]) then added = 0 end
  end
  if added == 1 then
    redis.call('HINCRBY', KEYS[2], ARGV[3], 1)
    redis.call('HINCRBY', KEYS[2], ARGV[4], 1)
  end
end
local buffered = tonumber(redis.call('HGET', KEYS[2], ARGV[3]) or '0')
for _, batch in ipairs(redis.call('SMEMBERS', KEYS[3])) do
  buffered = buffered + tonumber(redis.call('HGET', batch, ARGV[3]) or '0')
end
return {added, buffered}
"""


class RedisStore:
    """The scale mode: increments are buffered in Redis and flushed by the worker."""

    def __init__(self, client) -> None:
        self.redis = client
        self._take_batch = client.register_script(_TAKE_BATCH)
        self._count = client.register_script(_COUNT)

    def record(
        self,
        article_id: int,
        fingerprint: str | None,
        moment: datetime,
        client: str,
        limit: int,
        allowance: Allowance | None = None,
    ) -> tuple[bool, int]:
        """Rate-limit the client, then count the reader once (None: only read the count)
        if their address has views of the article left today."""
        day = moment.astimezone(UTC).date()
        end_of_day = datetime.combine(day, datetime.max.time(), tzinfo=UTC)
        hour = hour_of(moment)
        window, left = current_window()
        added, buffered = self._count(
            keys=[
                redis_key(f"seen:{day.isoformat()}"),
                redis_key("pending"),
                redis_key("batches"),
                redis_key(f"rate:{client}:{window}"),
                redis_key(f"addresses:{day.isoformat()}"),
            ],
            args=[
                fingerprint or "",
                int(end_of_day.timestamp()) + 60,
                f"t:{article_id}",
                f"h:{article_id}:{int(hour.timestamp())}",
                limit,
                left + 5,
                allowance.address if allowance else "",
                allowance.views if allowance else 0,
            ],
        )
        if added == -1:
            raise RateLimited(max(1, min(int(buffered), WINDOW_SECONDS)))
        return bool(added), stored_total(article_id) + int(buffered)

    def current_total(self, article_id: int) -> int:
        """Committed views plus those still buffered (pending or in a flush under way)."""
        batches = [key.decode() for key in self.redis.smembers(redis_key("batches"))]
        pipe = self.redis.pipeline()
        for key in [redis_key("pending"), *batches]:
            pipe.hget(key, f"t:{article_id}")
        buffered = sum(int(value) for value in pipe.execute() if value)
        return stored_total(article_id) + buffered

    def flush(self) -> int:
        """Move buffered counts into the database; returns how many views were committed."""
        batch_key = redis_key(f"batch:{uuid.uuid4().hex}")
        self._take_batch(keys=[redis_key("pending"), batch_key, redis_key("batches")])
        committed = 0
        for key in sorted(member.decode() for member in self.redis.smembers(redis_key("batches"))):
            committed += self._commit_batch(key)
            self._forget_batch(key)
        return committed

    def _commit_batch(self, key: str) -> int:
        fields = self.redis.hgetall(key)
        increments = [
            Increment(int(article), datetime.fromtimestamp(int(stamp), tz=UTC), int(n))
            for name, n in fields.items()
            if (parts := name.decode().split(":"))[0] == "h"
            for _, article, stamp in [parts]
        ]
        try:
            with transaction.atomic():
                # The batch id is written first: a second flusher of the same batch waits
                # here and then finds it committed.
                FlushedBatch.objects.create(batch=key)
                apply_increments(increments)
        except IntegrityError:
            logger.info("views batch %s was already committed", key)
            return 0
        return sum(increment.views for increment in increments)

    def _forget_batch(self, key: str) -> None:
        pipe = self.redis.pipeline()
        pipe.srem(redis_key("batches"), key)
        pipe.delete(key)
        pipe.execute()


@cache
def default_store() -> DatabaseStore | RedisStore:
    if settings.REDIS_URL:
        from django_redis import get_redis_connection

        return RedisStore(get_redis_connection("default"))
    return DatabaseStore()
