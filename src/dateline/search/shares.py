"""How common an index term is among a language's stories, from the statistics PostgreSQL
keeps of the search documents (ANALYZE, which autovacuum runs as the table changes). Read
at most once every few minutes per process; a term too rare to be among the statistics'
most common counts as rare."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.db import connection

REFRESH_SECONDS = 600


@dataclass(frozen=True)
class Shares:
    # The share of all search documents that hold each of the most common terms, and the
    # share of all documents in each language.
    terms: dict[str, float] = field(default_factory=dict)
    languages: dict[str, float] = field(default_factory=dict)

    def within(self, term: str, language: str) -> float:
        """The share of the language's stories that hold `term` (0 when not known)."""
        language_share = self.languages.get(language, 0.0)
        if language_share <= 0:
            return 0.0
        return min(1.0, self.terms.get(term, 0.0) / language_share)


_kept: tuple[float, str, Shares] | None = None


def current_shares() -> Shares:
    global _kept
    now = time.monotonic()
    database = str(connection.settings_dict["NAME"])
    if _kept is None or _kept[1] != database or now - _kept[0] > REFRESH_SECONDS:
        _kept = (now, database, read_shares())
    return _kept[2]


def read_shares() -> Shares:
    """The statistics as PostgreSQL has them now (empty before the table's first ANALYZE)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname, most_common_elems::text::text[], most_common_elem_freqs,"
            " most_common_vals::text::text[], most_common_freqs FROM pg_stats"
            " WHERE schemaname = current_schema() AND tablename = 'dateline_search_document'"
            " AND attname IN ('document', 'language')"
        )
        rows = cursor.fetchall()
    terms: dict[str, float] = {}
    languages: dict[str, float] = {}
    for column, elements, element_shares, values, value_shares in rows:
        if column == "document" and elements and element_shares:
            # The element shares end with three more figures (least, most, empty): zip
            # stops at the last element.
            terms = dict(zip(elements, element_shares, strict=False))
        elif column == "language" and values and value_shares:
            languages = dict(zip(values, value_shares, strict=True))
    return Shares(terms, languages)
