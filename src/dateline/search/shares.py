"""How common an index term is among a language's newest stories, counted on PostgreSQL
from the search documents of the newest SAMPLE stories of the language. Counted at most
once every few minutes per language and shared between the site's processes through the
cache; a term in fewer than MIN_SHARE of the sample counts as rare.

PostgreSQL's own statistics of the documents are over every language at once: a name
written alike in every language (a town, a club, a minister) looked four times as common
in English as it was, and a search for it read its candidates the slow way."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.core.cache import caches
from django.db import connection

REFRESH_SECONDS = 600
SAMPLE = 2000
MIN_SHARE = 0.05


@dataclass(frozen=True)
class Shares:
    # The share of the language's newest stories that hold each of its common terms.
    terms: dict[str, float] = field(default_factory=dict)

    def within(self, term: str) -> float:
        """The share of the newest stories that hold `term` (0 when it is rare)."""
        return self.terms.get(term, 0.0)


_kept: dict[tuple[str, str], tuple[float, Shares]] = {}


def current_shares(language: str) -> Shares:
    """The language's shares as counted in the last REFRESH_SECONDS, by this process or
    another (the count reads a few thousand documents: tens of milliseconds)."""
    now = time.monotonic()
    database = str(connection.settings_dict["NAME"])
    kept = _kept.get((database, language))
    if kept is not None and now - kept[0] <= REFRESH_SECONDS:
        return kept[1]
    key = f"search-shares:{database}:{language}"
    shares = caches["default"].get(key)
    if not isinstance(shares, Shares):
        shares = read_shares(language)
        caches["default"].set(key, shares, REFRESH_SECONDS)
    _kept[(database, language)] = (now, shares)
    return shares


def read_shares(language: str) -> Shares:
    """The terms of the language's newest SAMPLE search documents that at least MIN_SHARE
    of them hold, counted now."""
    newest = (
        "SELECT document FROM dateline_search_document WHERE language = %%L"
        " ORDER BY published_at DESC, page_id DESC LIMIT %%s"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH sampled AS (SELECT count(*) AS stories FROM (SELECT 1"
            " FROM dateline_search_document WHERE language = %s"
            " ORDER BY published_at DESC, page_id DESC LIMIT %s) s)"
            " SELECT t.word, t.ndoc::float / sampled.stories FROM sampled,"
            f" ts_stat(format('{newest}', %s::text, %s::int)) t"
            " WHERE sampled.stories > 0 AND t.ndoc >= sampled.stories * %s",
            [language, SAMPLE, language, SAMPLE, MIN_SHARE],
        )
        return Shares(dict(cursor.fetchall()))
