"""Searching the stories of one language.

A reader's query is parsed once (words, "exact phrases", -exclusions) into safe index
terms; each engine gets its own query built from those terms, never from the raw text,
so FTS operators, quotes and SQL-like input are only words to look for."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from itertools import islice

from django.conf import settings
from django.core.cache import cache, caches
from django.db import connection
from django.db.models import Count
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from psycopg.pq import TransactionStatus
from wagtail.models import Locale

from dateline.core import fragments
from dateline.core.addresses import page_path
from dateline.core.clients import client_network
from dateline.news.models import ArticlePage

from .index import ts_config
from .models import HiddenSearchTerm, SearchQueryLog
from .shares import current_shares
from .stemmers import WORD, stemmer_for
from .vocabulary import is_known, nearest_words

MAX_QUERY_LENGTH = 200
EXACT_HEADLINE_BOOST = 2.0
# Spelling suggestions: unknown words corrected at once, and searches tried, at most.
MAX_CORRECTED_WORDS = 3
MAX_CORRECTIONS_TRIED = 5
MAX_TERMS = 12
SNIPPET_CHARS = 220
# PostgreSQL: a search whose words are in at least this share of the language's stories
# reads its candidates from the newest CANDIDATE_WINDOW × the candidates wanted.
NEWEST_FIRST_SHARE = 0.25
CANDIDATE_WINDOW = 5
NEWEST = " ORDER BY e.published_at DESC, e.page_id DESC"
# A candidate's place newest first, numbered as it is found.
FOUND = f"e.page_id, e.published_at, ROW_NUMBER() OVER ({NEWEST}) AS newest"
# A connection whose transaction is not broken.
USABLE = (TransactionStatus.IDLE, TransactionStatus.INTRANS)
# A ranked set is kept for the content generation (any publish, edit or removal moves
# it), and at most this long, so that the fading of relevance with age moves on too.
RANKED_SECONDS = 300
# A reader's search is counted once a day (the reader's hash changes with the day).
COUNTED_SECONDS = 24 * 3600

# Control characters are never part of a word.
CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
CHUNK = re.compile(r'(-?)"([^"]*)"|(-?)(\S+)')


def clean_query(query: str) -> str:
    return " ".join(CONTROL.sub(" ", query).split())


@dataclass
class ParsedQuery:
    """Words and phrases to require, and words or phrases to exclude (raw words)."""

    required: list[list[str]] = field(default_factory=list)
    excluded: list[list[str]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.required)

    def words(self) -> list[str]:
        return [word for group in self.required for word in group]


def parse_query(query: str) -> ParsedQuery:
    text = clean_query(query)
    if text.count('"') % 2:  # a lone quote is dropped, the rest still counts
        head, _, tail = text.rpartition('"')
        text = head + " " + tail
    parsed = ParsedQuery()
    terms = 0
    for match in CHUNK.finditer(text):
        if match.group(2) is not None:
            negative, found = match.group(1), WORD.findall(match.group(2))
            groups = [found] if found else []
        else:
            negative, found = match.group(3), WORD.findall(match.group(4).replace('"', " "))
            groups = [[word] for word in found]
        for group in groups:
            group = group[:MAX_TERMS]
            terms += len(group)
            if terms > MAX_TERMS:
                return parsed
            (parsed.excluded if negative else parsed.required).append(group)
    return parsed


# ---------------------------------------------------------------- engine queries


def _fts_string(terms: list[str], prefix: bool = False) -> str:
    # Terms are letters and digits only, so a quoted FTS5 string cannot break out.
    return '"' + " ".join(terms) + '"' + ("*" if prefix else "")


def fts5_query(parsed: ParsedQuery, language: str, stemming: bool = True) -> str:
    stem = stemmer_for(language, stemming)
    required = [_fts_string([stem(w) for w in group]) for group in parsed.required]
    query = " AND ".join(required)
    if parsed.excluded:
        excluded = [_fts_string([stem(w) for w in group]) for group in parsed.excluded]
        query = f"({query}) NOT ({' OR '.join(excluded)})"
    return query


def _ts_group(words: list[str], language: str) -> str:
    config = ts_config(language)
    if config == "simple":  # our stemmer, as at indexing time
        stem = stemmer_for(language)
        words = [stem(word) for word in words]
    quoted = ["'" + word.lower() + "'" for word in words]
    return "(" + " <-> ".join(quoted) + ")"


def _headline_tsquery(parsed: ParsedQuery, language: str) -> str:
    """Every searched word in the headline (weight A), in any order."""
    return " & ".join(_ts_group([word], language)[1:-1] + ":A" for word in parsed.words())


def tsquery(parsed: ParsedQuery, language: str) -> str:
    query = " & ".join(_ts_group(group, language) for group in parsed.required)
    for group in parsed.excluded:
        query += " & !" + _ts_group(group, language)
    return query


# ---------------------------------------------------------------- results


@dataclass
class Filters:
    section_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "relevance"  # or "newest"
    # Exact bounds, for the API: published at or after, and strictly before.
    published_after: datetime | None = None
    published_before: datetime | None = None


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _filter_sql(language: str, filters: Filters, column: str = "e.language") -> tuple[str, list]:
    sql, params = f" AND {column} = %s", [language]
    if filters.section_id:
        sql += " AND e.section_id = %s"
        params.append(filters.section_id)
    if filters.date_from:
        sql += " AND e.published_at >= %s"
        params.append(connection.ops.adapt_datetimefield_value(_day_start(filters.date_from)))
    if filters.date_to:
        sql += " AND e.published_at < %s"
        params.append(
            connection.ops.adapt_datetimefield_value(
                _day_start(filters.date_to + timedelta(days=1))
            )
        )
    if filters.published_after:
        sql += " AND e.published_at >= %s"
        params.append(connection.ops.adapt_datetimefield_value(filters.published_after))
    if filters.published_before:
        sql += " AND e.published_at < %s"
        params.append(connection.ops.adapt_datetimefield_value(filters.published_before))
    return sql, params


def max_results() -> int:
    return int(getattr(settings, "DATELINE_SEARCH_MAX_RESULTS", 1000))


def _recency_days() -> float:
    return float(getattr(settings, "DATELINE_SEARCH_RECENCY_DAYS", 30))


@dataclass(frozen=True)
class SectionLink:
    url: str
    title: str


@dataclass(frozen=True)
class Hit:
    """One result as the page shows it: plain values, so that a page of hits can be kept."""

    article_id: int
    title: str
    url: str
    published_at: datetime
    section: SectionLink | None
    headline: SafeString
    snippet: SafeString


class SearchResults:
    """A lazy, sliceable result list (what Paginator needs). One query finds the ranked
    set (the newest `limit` matches), orders and counts it; a slice then reads the pages
    and texts of its own ids only."""

    def __init__(self, parsed: ParsedQuery, language: str, filters: Filters | None = None):
        self.parsed = parsed
        self.language = language
        self.filters = filters or Filters()
        self.vendor = connection.vendor
        self.limit = max_results()

    def _candidates(self, limit: int) -> tuple[str, list]:
        """SQLite: the newest `limit` matching stories of the language, the set that is
        ranked. Bounding it keeps a query for a word in every story as fast as a rare one:
        the full-text index is walked backwards from the newest (its rowid is the entry's
        time_key) and stops early."""
        where, params = _filter_sql(self.language, self.filters)
        # CROSS JOIN keeps the full-text table as the outer loop (SQLite's planner would
        # otherwise walk every story of the language and probe the index for each).
        sql = (
            "SELECT e.page_id AS page_id, e.published_at AS published_at,"
            " dateline_search_fts.rowid AS newest, bm25(dateline_search_fts, 4.0, 2.0, 1.0) AS bm"
            " FROM dateline_search_fts CROSS JOIN dateline_search_entry e"
            " ON e.time_key = dateline_search_fts.rowid"
            " WHERE dateline_search_fts MATCH %s"
            + where
            + " ORDER BY dateline_search_fts.rowid DESC LIMIT %s"
        )
        return sql, [fts5_query(self.parsed, self.language), *params, limit]

    def _ranked_postgresql(self, wanted: int) -> list[tuple]:
        """PostgreSQL: the newest `wanted` matching stories of the language, from the narrow
        dateline_search_document table, ranked.

        A word in a large share of the language's newest stories is looked for among them
        in order; anything else, or such a word when the newest stories hold too few, is
        found through the GIN index alone. PostgreSQL's planner does not count the cost of
        reading a document (1.8 kB each, kept out of line): left to itself it tested the
        documents of every story of the language for a word it thought common, 60-300 ms
        at 100,000 stories, where the index took 7 ms."""
        where, params = _filter_sql(self.language, self.filters)
        query = [ts_config(self.language), tsquery(self.parsed, self.language)]
        if self._newest_first_pays():
            # Read in order from the index on time: the documents come without a sort.
            found = (
                f"SELECT {FOUND}, e.document FROM (SELECT e.page_id, e.published_at, e.document"
                f" FROM dateline_search_document e WHERE TRUE{where}{NEWEST} LIMIT %s) e"
                f" WHERE e.document @@ to_tsquery(%s::regconfig, %s){NEWEST} LIMIT %s"
            )
            window = CANDIDATE_WINDOW * wanted
            rows = self._rank_found(
                found, "found", [*params, window, *query, wanted], at_least=wanted
            )
            if rows:
                return rows
        # The language is compared in a form no index answers, so that only the GIN index
        # can find the rows, and the planner may not read the whole table instead. Sorting
        # the matches by time carried each one's document out of line storage: the ranked
        # candidates' documents are read afterwards, by id.
        where, params = _filter_sql(self.language, self.filters, column="(e.language || '')")
        found = (
            f"SELECT {FOUND} FROM dateline_search_document e"
            f" WHERE e.document @@ to_tsquery(%s::regconfig, %s){where}{NEWEST} LIMIT %s"
        )
        candidates = "found"
        if self.filters.sort != "newest":
            candidates = (
                "(SELECT f.*, x.document FROM found f"
                " JOIN dateline_search_document x ON x.page_id = f.page_id)"
            )
        return self._rank_found(found, candidates, [*query, *params, wanted], index_only=True)

    def _rank_found(
        self,
        found: str,
        candidates: str,
        params: list,
        at_least: int = 0,
        index_only: bool = False,
    ) -> list[tuple]:
        """The `candidates` (made from the stories `found` selects) ranked: ids and minus
        their place newest first (the oldest is the least). With `at_least`, nothing
        unless `found` has that many."""
        order, order_params = self._order()
        enough = " WHERE (SELECT count(*) FROM found) >= %s" if at_least else ""
        sql = (
            f"WITH found AS MATERIALIZED ({found})"
            f" SELECT c.page_id, -c.newest FROM {candidates} c{enough}{order}"
        )
        params = [*params, *([at_least] if at_least else []), *order_params]
        with connection.cursor() as cursor:
            if index_only:
                return _rows_without_table_scans(cursor, sql, params)
            cursor.execute(sql, params)
            return cursor.fetchall()

    def _newest_first_pays(self) -> bool:
        """Whether the words searched for are so common in the language's stories that
        reading its newest stories in order finds the candidates soonest. PostgreSQL's
        planner cannot tell (its counts of a word are over every language) and reads every
        story of the language instead: 60 ms for a word in a third of 25,000 English
        stories, 10 ms newest first. Words or phrases of two words are left to the index."""
        if any(len(group) != 1 for group in self.parsed.required):
            return False
        shares = current_shares(self.language)
        stem = stemmer_for(self.language)
        expected = 1.0
        for [word] in self.parsed.required:
            expected *= shares.within(stem(word))
        for group in self.parsed.excluded:
            if len(group) == 1:
                expected *= 1.0 - shares.within(stem(group[0]))
        return expected >= NEWEST_FIRST_SHARE

    def _order(self) -> tuple[str, list]:
        if self.filters.sort == "newest":
            return " ORDER BY c.published_at DESC, c.page_id DESC", []
        # Relevance (headline > standfirst > body) fades with age: halved after
        # DATELINE_SEARCH_RECENCY_DAYS days.
        if self.vendor == "postgresql":
            relevance = "ts_rank(c.document, to_tsquery(%s::regconfig, %s))"
            age = "GREATEST(0, EXTRACT(EPOCH FROM (NOW() - c.published_at)) / 86400.0)"
            params = [ts_config(self.language), tsquery(self.parsed, self.language)]
        else:
            relevance = "-c.bm"
            age = "MAX(0, julianday('now') - julianday(c.published_at))"
            params = []
        exact, exact_params = self._exact_headline()
        return (
            f" ORDER BY {relevance} * {exact} / (1.0 + {age} / %s) DESC,"
            " c.published_at DESC, c.page_id DESC",
            [*params, *exact_params, _recency_days()],
        )

    def _exact_headline(self) -> tuple[str, list]:
        """A factor that doubles the relevance of a story whose headline has every searched
        word as typed (any case), not only words of the same stem: "выборы" (elections)
        ranks the stories about elections above those that only share the stem "выбор"
        (a choice)."""
        lower = stemmer_for(self.language, stemming=False)
        typed = list(dict.fromkeys(lower(word) for word in self.parsed.words()))
        if not typed:
            return "1.0", []
        conditions = " AND ".join(["(' ' || x.headline_words || ' ') LIKE %s"] * len(typed))
        exact = (
            "(CASE WHEN EXISTS (SELECT 1 FROM dateline_search_entry x"
            f" WHERE x.page_id = c.page_id AND {conditions}) THEN {EXACT_HEADLINE_BOOST}"
            " ELSE 1.0 END)"
        )
        params = [f"% {word} %" for word in typed]
        if self.vendor != "postgresql":
            return exact, params
        # A headline with every word as typed has every word's stem among its terms (the
        # document's weight A): the row of a candidate without them is not read at all.
        # Most candidates of a common word have it in their text, not their headline.
        return (
            f"(CASE WHEN c.document @@ to_tsquery(%s::regconfig, %s) THEN {exact} ELSE 1.0 END)",
            [ts_config(self.language), _headline_tsquery(self.parsed, self.language), *params],
        )

    @cached_property
    def _ranked(self) -> tuple[list[int], int]:
        """The ids of the ranked set in order, and the matches counted up to limit + 1,
        kept in the fragment cache (this process first, then the shared cache) for the
        content generation: readers ask the same few searches when news breaks, and a
        word in most stories costs the index tens of milliseconds at 100,000 stories."""
        if not self.parsed:
            return [], 0
        store = caches["template_fragments"]
        key = self.kept_key()
        kept = store.get(key)
        if kept is None:
            kept = self._rank()
            store.set(key, kept, RANKED_SECONDS)
        return kept

    def kept_key(self) -> str:
        """What names this search's kept results: the query, language, filters and limit,
        under the content generation."""
        asked = repr(
            (
                self.parsed.required,
                self.parsed.excluded,
                self.language,
                self.filters,
                self.limit,
                _recency_days(),
                self.vendor,
            )
        )
        digest = hashlib.sha256(asked.encode()).hexdigest()[:40]
        return f"search-ranked:{fragments.generation()}:{digest}"

    def _rank(self) -> tuple[list[int], int]:
        """One query fetches one candidate more than the limit, to tell whether more match,
        and scores only the candidates, never every match; the oldest candidate is then
        left out, so the ranked set is the newest `limit` matches."""
        if self.vendor == "postgresql":
            rows = self._ranked_postgresql(self.limit + 1)
        else:
            sql, params = self._candidates(self.limit + 1)
            order, order_params = self._order()
            with connection.cursor() as cursor:
                # The candidates' own order, newest first: the full-text rowid.
                cursor.execute(
                    f"SELECT c.page_id, c.newest FROM ({sql}) c" + order, [*params, *order_params]
                )
                rows = cursor.fetchall()
        total = len(rows)
        if total > self.limit:
            rows.remove(min(rows, key=lambda row: row[1:]))
        return [row[0] for row in rows], total

    @property
    def _total(self) -> int:
        """Matches, counted up to one more than the limit."""
        return self._ranked[1]

    @property
    def capped(self) -> bool:
        """More stories match than are ranked and shown."""
        return self._total > self.limit

    def count(self) -> int:
        return min(self._total, self.limit)

    def __len__(self) -> int:
        return self.count()

    def ids(self, offset: int, limit: int) -> list[int]:
        if limit <= 0:
            return []
        return self._ranked[0][offset : offset + limit]

    def __getitem__(self, key):
        if isinstance(key, int):
            return self[key : key + 1][0]
        start, stop = key.start or 0, key.stop if key.stop is not None else self.count()
        ids = self.ids(start, stop - start)
        if not ids:
            return []
        # Kept like the ranked set: highlighting a page of snippets and reading its stories
        # was most of what a search asked again still cost.
        store = caches["template_fragments"]
        kept_key = f"{self.kept_key()}:hits:{start}:{stop}"
        found = store.get(kept_key)
        if found is None:
            found = hits(ids, self.parsed, self.language)
            store.set(kept_key, found, RANKED_SECONDS)
        return found


def _rows_without_table_scans(cursor, sql: str, params: list) -> list[tuple]:
    """The rows of `sql` as PostgreSQL plans it without reading whole tables where an
    index can serve. With client-side binding (Django's default) the setting, the
    statement and the reset go as one round trip, and as one transaction: a statement that
    fails takes the setting back with it. Prepared statements hold one command each."""
    if not _server_side_binding():
        cursor.execute(f"SET enable_seqscan = off; {sql}; RESET enable_seqscan", params)
        cursor.nextset()
        return cursor.fetchall()
    cursor.execute("SET enable_seqscan = off")
    try:
        cursor.execute(sql, params)
        return cursor.fetchall()
    finally:
        # After an error inside a transaction, its rollback undoes the setting.
        if connection.connection.info.transaction_status in USABLE:
            cursor.execute("RESET enable_seqscan")


def _server_side_binding() -> bool:
    return bool(connection.settings_dict.get("OPTIONS", {}).get("server_side_binding"))


# A page of hits in one statement: the live stories among the ids, their search entries
# (texts and stemmed body) and their sections. Building it with the ORM (page models with
# their parents' tables, three queries) cost several times what the database took.
HITS_SQL = (
    "SELECT e.page_id, p.title, p.url_path, p.first_published_at, l.language_code, e.headline,"
    " e.standfirst, e.body, e.body_terms, s.title, s.url_path, sl.language_code"
    " FROM dateline_search_entry e"
    " JOIN {articles} a ON a.page_ptr_id = e.page_id"
    " JOIN wagtailcore_page p ON p.id = e.page_id"
    " JOIN wagtailcore_locale l ON l.id = p.locale_id"
    " LEFT JOIN wagtailcore_page s ON s.id = e.section_id"
    " LEFT JOIN wagtailcore_locale sl ON sl.id = s.locale_id"
    " WHERE p.live AND e.page_id IN ({ids})"
)


def _aware(value: datetime | str) -> datetime:
    """A time read by plain SQL: SQLite gives the text Django stored, in UTC."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if timezone.is_aware(value) else timezone.make_aware(value, UTC)


def hits(ids: list[int], parsed: ParsedQuery, language: str) -> list[Hit]:
    """The page's hits, in the order of `ids` (a story's address comes from its path, as
    every list of stories takes it)."""
    if not ids:
        return []
    sql = HITS_SQL.format(articles=ArticlePage._meta.db_table, ids=", ".join(["%s"] * len(ids)))
    with connection.cursor() as cursor:
        cursor.execute(sql, list(ids))
        rows = {row[0]: row for row in cursor.fetchall()}
    stem = stemmer_for(language)
    stems = {stem(word) for word in parsed.words()}
    searched = word_test(stems, language)
    result = []
    for pk in ids:
        row = rows.get(pk)
        if row is None:
            continue
        (_, title, url_path, published_at, article_language, headline, standfirst, body,
         body_terms, section_title, section_path, section_language) = row  # fmt: skip
        # The body's stemmed terms tell at once whether the searched words are in it.
        text = body if not stems.isdisjoint(body_terms.split()) else standfirst
        section = (
            SectionLink(page_path(section_path, section_language), section_title)
            if section_path
            else None
        )
        result.append(
            Hit(
                article_id=pk,
                title=title,
                url=page_path(url_path, article_language),
                published_at=_aware(published_at),
                section=section,
                headline=highlight(headline, searched),
                snippet=snippet(text or body, searched),
            )
        )
    return result


# ---------------------------------------------------------------- snippets

WordTest = Callable[[str], bool]


def word_test(stems: set[str], language: str) -> WordTest:
    """Whether a word (as written) has one of `stems` as its stem in `language`. A page of
    hits reads thousands of words and few distinct ones: each is stemmed once."""
    if not stems:
        return lambda word: False
    stem = stemmer_for(language)
    known: dict[str, bool] = {}

    def searched(word: str) -> bool:
        found = known.get(word)
        if found is None:
            found = known[word] = stem(word) in stems
        return found

    return searched


def _first_match(text: str, searched: WordTest) -> int | None:
    return next((m.start() for m in WORD.finditer(text) if searched(m.group())), None)


def highlight(text: str, searched: WordTest) -> SafeString:
    """The text, escaped, with the words searched for in <mark>."""
    out, last = [], 0
    for match in WORD.finditer(text):
        if searched(match.group()):
            out.append(escape(text[last : match.start()]))
            out.append("<mark>" + escape(match.group()) + "</mark>")
            last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped above


def snippet(text: str, searched: WordTest, length: int = SNIPPET_CHARS) -> SafeString:
    """A window of the text around the first matched word, highlighted."""
    first = _first_match(text, searched) or 0
    start = max(0, first - length // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > first else end
    window = " ".join(text[start:end].split())
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + highlight(window, searched) + suffix)  # noqa: S308


# ---------------------------------------------------------------- public entry points


def search(query: str, locale: Locale | str, filters: Filters | None = None) -> SearchResults:
    language = locale if isinstance(locale, str) else locale.language_code
    return SearchResults(parse_query(query), language, filters)


def search_articles(query: str, locale: Locale | str, filters: Filters | None = None):
    return search(query, locale, filters)


def did_you_mean(query: str, language: str, limit: int = 3) -> list[str]:
    """Searches like `query` that do find stories of the language: each word no story
    has is replaced by a near word that stories do have (a letter added, dropped,
    changed or swapped). Only searches that find something are offered."""
    parsed = parse_query(query)
    lower = stemmer_for(language, stemming=False)
    typed = list(dict.fromkeys(lower(word) for word in parsed.words()))
    unknown = [word for word in typed if not is_known(word, language)]
    if not unknown or len(unknown) > MAX_CORRECTED_WORDS:
        return []
    options = {word: nearest_words(word, language) for word in unknown}
    if not all(options.values()):
        return []
    best = {word: near[0] for word, near in options.items()}
    tries = [best] + [{**best, word: other} for word, near in options.items() for other in near[1:]]
    offered: list[str] = []
    for replacement in tries[:MAX_CORRECTIONS_TRIED]:
        corrected = _replace_words(query, replacement, lower)
        if corrected not in offered and search(corrected, language).count():
            offered.append(corrected)
        if len(offered) == limit:
            break
    return offered


def _replace_words(query: str, replacement: dict[str, str], lower) -> str:
    return WORD.sub(lambda match: replacement.get(lower(match[0]), match[0]), query)


@dataclass
class Suggestion:
    title: str
    url: str
    section: str


# PostgreSQL: the newest headlines are looked for among the last week's first. A prefix
# shared by thousands of headlines (a million stories, "har") otherwise costs a visit to
# every one of them to sort by date; the week's are a few dozen.
RECENT_SUGGESTIONS = timedelta(days=7)


def suggest(query: str, locale: Locale | str, limit: int = 6) -> list[Suggestion]:
    """Headlines of the language whose words start with the typed words, newest first."""
    language = locale if isinstance(locale, str) else locale.language_code
    lower = stemmer_for(language, stemming=False)
    prefixes = [lower(word) for word in WORD.findall(clean_query(query))][:MAX_TERMS]
    if not prefixes or sum(len(p) for p in prefixes) < 2:
        return []
    # Kept like a search's ranked set, for the content generation: every reader who types
    # "harbour" asks "ha", "har" and "harb" on the way.
    asked = repr((prefixes, language, limit, connection.vendor))
    digest = hashlib.sha256(asked.encode()).hexdigest()[:40]
    key = f"search-suggested:{fragments.generation()}:{digest}"
    store = caches["template_fragments"]
    kept = store.get(key)
    if kept is None:
        kept = _suggestions(prefixes, language, limit)
        store.set(key, kept, RANKED_SECONDS)
    return kept


def _suggestions(prefixes: list[str], language: str, limit: int) -> list[Suggestion]:
    if connection.vendor == "postgresql":
        ids = _newest_headlines_postgres(prefixes, language, limit)
    else:
        ids = _newest_headlines_sqlite(prefixes, language, limit)
    return [
        Suggestion(
            title=hit.title,
            url=hit.url,
            section=hit.section.title if hit.section else "",
        )
        for hit in hits(ids, ParsedQuery(), language)
    ]


def _newest_headlines_postgres(prefixes: list[str], language: str, limit: int) -> list[int]:
    sql = (
        "SELECT e.page_id FROM dateline_search_entry e"
        " WHERE to_tsvector('simple'::regconfig, e.headline_words)"
        " @@ to_tsquery('simple'::regconfig, %s) AND e.language = %s{since}"
        " ORDER BY e.published_at DESC, e.page_id DESC LIMIT %s"
    )
    params = [" & ".join(f"'{p}':*" for p in prefixes), language]
    with connection.cursor() as cursor:
        # Whatever is older than the week comes after all of the week's: enough of them
        # are the newest of all.
        since = timezone.now() - RECENT_SUGGESTIONS
        cursor.execute(sql.format(since=" AND e.published_at >= %s"), [*params, since, limit])
        ids = [row[0] for row in cursor.fetchall()]
        if len(ids) < limit:
            cursor.execute(sql.format(since=""), [*params, limit])
            ids = [row[0] for row in cursor.fetchall()]
    return ids


def _newest_headlines_sqlite(prefixes: list[str], language: str, limit: int) -> list[int]:
    sql = (
        "SELECT e.page_id FROM dateline_search_suggest"
        " CROSS JOIN dateline_search_entry e ON e.time_key = dateline_search_suggest.rowid"
        " WHERE dateline_search_suggest MATCH %s AND e.language = %s"
        " ORDER BY dateline_search_suggest.rowid DESC LIMIT %s"
    )
    match = " AND ".join(_fts_string([p], prefix=True) for p in prefixes)
    with connection.cursor() as cursor:
        cursor.execute(sql, [match, language, limit])
        return [row[0] for row in cursor.fetchall()]


# ---------------------------------------------------------------- popular searches

POPULAR_DAYS = 7
# What a list shown to every reader must not carry: search operators (a reader copying
# them gets an odd search) and anything that reads as an address to visit or write to.
EXCLUSION_WORD = re.compile(r"(?:^|\s)(?:-|NOT(?:\s|$))")
LINK_LIKE = re.compile(r"@|\bhttps?\b|\bwww\b|[^\W_]\.[^\W\d_]{2,}")


def normalize_query(query: str) -> str:
    return " ".join(clean_query(query).lower().split())[:100]


def may_be_popular(query: str) -> bool:
    """Whether a search may ever be listed as popular: no exclusions, nothing link-like."""
    text = clean_query(query)
    return not (EXCLUSION_WORD.search(text) or LINK_LIKE.search(text.lower()))


def _readers():
    """The analytics app's daily salt and bot list, when installed."""
    try:
        from dateline.analytics import readers
    except ImportError:  # pragma: no cover - the analytics app ships with Dateline
        return None
    return readers


def reader_hash(ip: str, day: date) -> str:
    """One reader per subscriber network (core.clients.client_network) per day. The
    browser is left out on purpose: a script can send a new User-Agent with every
    search, but a new address costs it something."""
    daily_salt = _readers().daily_salt
    message = f"{client_network(ip)}\nsearch".encode()
    return hmac.new(daily_salt(day).encode(), message, hashlib.sha256).hexdigest()[:40]


def record_search(query: str, language: str, ip: str) -> None:
    """Count a search that found something, once per reader per day (no personal data:
    the reader is a hash with the day's salt, which is thrown away after the day).
    Searches that may never be popular are not kept at all."""
    if not may_be_popular(query):
        return
    query = normalize_query(query)
    if not query or _readers() is None:
        return
    today = timezone.localdate()
    reader = reader_hash(ip, today)
    # A reader who asks again (another page, a reload) is counted already: the row is
    # written once, not a database write per search. Remembered per content generation:
    # after a publish the row is offered again, and its unique key turns it away.
    asked = hashlib.sha256(f"{language}\n{query}".encode()).hexdigest()[:32]
    counted = f"search-counted:{fragments.generation()}:{today.isoformat()}:{asked}:{reader}"
    store = caches["template_fragments"]
    if store.get(counted) is not None:
        return
    SearchQueryLog.objects.bulk_create(
        [SearchQueryLog(day=today, language=language, query=query, reader=reader)],
        ignore_conflicts=True,
    )
    store.set(counted, True, COUNTED_SECONDS)


def popular_searches(language: str, limit: int = 8) -> list[str]:
    """Searches of the last 7 days typed by at least DATELINE_SEARCH_POPULAR_MIN_READERS
    different readers, that found something, and that editors have not hidden; most
    readers first."""
    key = f"dateline-search-popular:{language}:{limit}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    since = timezone.localdate() - timedelta(days=POPULAR_DAYS - 1)
    SearchQueryLog.objects.filter(day__lt=since).delete()
    minimum = getattr(settings, "DATELINE_SEARCH_POPULAR_MIN_READERS", 3)
    rows = (
        SearchQueryLog.objects.filter(language=language, day__gte=since)
        .exclude(query__in=HiddenSearchTerm.objects.values("query"))
        .values("query")
        .annotate(readers=Count("reader", distinct=True))
        .filter(readers__gte=minimum)
        .order_by("-readers", "query")
    )
    # Rows recorded before a rule existed are filtered here too; few are ever skipped.
    shown = (row["query"] for row in rows.iterator() if may_be_popular(row["query"]))
    popular = list(islice(shown, limit))
    cache.set(key, popular, 300)
    return popular


def forget_popular_cache(language: str | None = None) -> None:
    """Drop the cached lists of one language, or of every site language."""
    languages = [language] if language else [code for code, _name in settings.LANGUAGES]
    cache.delete_many([f"dateline-search-popular:{code}:8" for code in languages])


def hide_search_term(query: str) -> HiddenSearchTerm:
    """Hide a search from the popular list in every language, for good."""
    term, _created = HiddenSearchTerm.objects.get_or_create(query=normalize_query(query))
    forget_popular_cache()
    return term
