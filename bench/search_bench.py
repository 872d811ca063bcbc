"""Search: recall on the test collection with and without stemming, and query latency
(p50, p95) at 1,000 and 100,000 articles on SQLite and PostgreSQL.

Recall is computed with a reference matcher that follows the engines' rules (every word
or "phrase" required, -excluded ones absent) over the terms each approach produces, on
tests/search/collection.py including its "hard" queries; the test suite proves that the
engines find the asserted hits. Latency is measured in-process on a fresh database whose
index rows are written directly (synthetic English stories made of the demo's words).
Target (issue 4): p95 under 50 ms at 100,000 articles on both engines."""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import write_section

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

SIZES = [int(n) for n in os.environ.get("SEARCH_BENCH_SIZES", "1000,100000").split(",")]
PG_URL = os.environ.get(
    "SEARCH_BENCH_PG", "postgres://postgres@127.0.0.1:5432/dateline_search_bench"
)
REPEAT = 15

# ------------------------------------------------------------------------------ recall


def _recall_rows() -> list[tuple[str, str, int, int, int, int]]:
    """Runs in a subprocess (it sets Django up with the test settings)."""
    import django

    django.setup()
    from dateline.search.services import parse_query
    from dateline.search.stemmers import stemmer_for, words
    from tests.search.collection import COLLECTION

    def matcher(mode: str, language: str):
        if mode == "prefix":  # unstemmed words; a query word matches words it begins
            lower = stemmer_for(language, stemming=False)
            return lower, lambda doc_term, query_term: doc_term.startswith(query_term)
        stem = stemmer_for(language, stemming=(mode == "stemmed"))
        return stem, lambda doc_term, query_term: doc_term == query_term

    def found(text: str, parsed, language: str, mode: str) -> bool:
        normal, same = matcher(mode, language)
        doc = [normal(w) for w in words(text)]

        def has(group):
            query = [normal(w) for w in group]
            return any(
                all(same(doc[i + k], q) for k, q in enumerate(query))
                for i in range(len(doc) - len(query) + 1)
            )

        return all(has(g) for g in parsed.required) and not any(has(g) for g in parsed.excluded)

    rows = []
    for language, data in COLLECTION.items():
        queries = data["queries"] + data.get("hard", [])
        modes = ["plain", "stemmed"] + (["prefix"] if language == "az" else [])
        for mode in modes:
            hits = expected = wrong = 0
            for query, must, must_not in queries:
                parsed = parse_query(query)
                for key, (headline, text) in data["articles"].items():
                    matched = found(f"{headline} {text}", parsed, language, mode)
                    if key in must:
                        expected += 1
                        hits += matched
                    elif key in must_not:
                        wrong += matched
            rows.append((language, mode, hits, expected, wrong, len(queries)))
    return rows


# ------------------------------------------------------------------------------ latency

QUERIES = {
    "common word": "government",
    "rare word": "harbour",
    "two words": "minister talks",
    "phrase": '"prime minister"',
    "exclusion": "election -parliament",
    "newest sort, common": ("government", "newest"),
    "suggestion prefix": ("gov", "suggest"),
}


def _vocabulary() -> list[str]:
    from dateline.search.stemmers import words

    text = []
    for path in (ROOT / "src/dateline/demo/content").glob("*.json"):
        text.append(path.read_text())
    vocab = sorted({w for w in words(" ".join(text)) if w.isascii() and w.isalpha()})
    for extra in ("government", "harbour", "minister", "talks", "prime", "election", "parliament"):
        if extra not in vocab:
            vocab.append(extra)
    return vocab


def _worker(engine: str, size: int) -> dict:
    """Runs in a subprocess with its own database: build, then time the queries."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from dateline.search import services
    from dateline.search.index import ts_config
    from dateline.search.models import time_key
    from dateline.search.services import Filters
    from dateline.search.stemmers import stemmed_text

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        if engine == "sqlite":
            cursor.execute("PRAGMA foreign_keys = OFF")
        else:  # rows are written without pages: drop the bench database's page links
            cursor.execute(
                "SELECT conname FROM pg_constraint WHERE contype = 'f'"
                " AND conrelid = 'dateline_search_entry'::regclass"
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f'ALTER TABLE dateline_search_entry DROP CONSTRAINT "{name}"')

    rng = random.Random(4)
    vocab = _vocabulary()
    weights = [1 / (rank + 1) for rank in range(len(vocab))]  # Zipf-like word use
    rng.shuffle(vocab)
    for pinned, share in (("government", 0.02), ("minister", 0.01), ("harbour", 0.0005)):
        weights[vocab.index(pinned)] = share * sum(weights)
    now = timezone.now()
    started = time.monotonic()
    columns = (
        "page_id, language, ts_config, section_id, published_at, headline, standfirst, body,"
        " headline_words, headline_terms, standfirst_terms, body_terms, indexed_at, time_key"
    )
    sql = f"INSERT INTO dateline_search_entry ({columns}) VALUES ({', '.join(['%s'] * 14)})"
    batch = []
    for i in range(size):
        words_ = rng.choices(vocab, weights, k=110)
        if i % 50 == 0:
            words_[20:22] = ["prime", "minister"]
        headline, standfirst, body = (
            " ".join(words_[:8]).capitalize(),
            " ".join(words_[8:30]),
            " ".join(words_[30:]),
        )
        when = now - timezone.timedelta(minutes=7 * i)
        published = connection.ops.adapt_datetimefield_value(when)
        batch.append(
            (
                100_000_000 + i,
                "en",
                ts_config("en"),
                None,
                published,
                headline,
                standfirst,
                body,
                headline.lower(),
                stemmed_text(headline, "en"),
                stemmed_text(standfirst, "en"),
                stemmed_text(body, "en"),
                published,
                time_key(when, 100_000_000 + i),
            )
        )
        if len(batch) == 2000 or i == size - 1:
            with connection.cursor() as cursor:
                cursor.executemany(sql, batch)
            batch = []
    from dateline.search.index import optimize

    optimize()
    build_seconds = time.monotonic() - started

    timings: dict[str, list[float]] = {}
    for label, spec in QUERIES.items():
        query, mode = spec if isinstance(spec, tuple) else (spec, "relevance")
        runs = []
        for _ in range(REPEAT):
            t = time.perf_counter()
            if mode == "suggest":
                services.suggest(query, "en")
            else:
                results = services.search(query, "en", Filters(sort=mode))
                results.count()
                results.ids(0, 20)
            runs.append((time.perf_counter() - t) * 1000)
        timings[label] = runs
        count = -1
        if mode != "suggest":
            every = services.search(query, "en", Filters(sort="newest"))
            every.limit = 10**9  # count all matches, not only the ranked newest
            count = every._total
        timings[label + " (matches)"] = [count]
    return {"build_seconds": build_seconds, "timings": timings}


def _run_worker(engine: str, size: int) -> dict | None:
    data_dir = tempfile.mkdtemp(prefix="dateline-search-bench-")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DATELINE_") and key not in {"DATABASE_URL", "REDIS_URL"}
    }
    env.update(
        DATELINE_DATA_DIR=data_dir,
        DJANGO_SETTINGS_MODULE="dateline.settings.base",
        DATELINE_LOG_LEVEL="WARNING",
    )
    if engine == "postgresql":
        import psycopg

        base, name = PG_URL.rsplit("/", 1)
        try:
            with psycopg.connect(base + "/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
                conn.execute(f'CREATE DATABASE "{name}"')
        except psycopg.OperationalError as error:
            print(f"PostgreSQL unavailable ({error}); skipped")
            return None
        env["DATABASE_URL"] = PG_URL
    output = subprocess.run(
        [sys.executable, __file__, "worker", engine, str(size)],
        env=env,
        capture_output=True,
        text=True,
    )
    if output.returncode != 0:
        print(output.stderr[-3000:])
        return None
    return json.loads(output.stdout.strip().splitlines()[-1])


def _p(values: list[float], q: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main() -> None:
    lines = ["## Search: recall per language, and query latency", ""]
    lines += [
        "Recall on the test collection (tests/search/collection.py: 20 stories and 16–18",
        "asserted queries per language, plus the “hard” queries a reader would expect but",
        "the stemmer misses). *Plain* matches lower-cased words exactly; *stemmed* is what",
        "Dateline indexes (Snowball for en/ru/hy; our suffix stripper for az); *prefix* (az",
        "only) is the alternative of matching unstemmed words by prefix. Wrong = stories",
        "found that a query excludes (phrases, -words).",
        "",
        "| language | approach | queries | expected hits found | recall | wrong hits |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    recall = subprocess.run(
        [sys.executable, __file__, "recall"],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "dateline.settings.test"},
        capture_output=True,
        text=True,
        check=True,
    )
    rows = json.loads(recall.stdout.strip().splitlines()[-1])
    for language, mode, hits, expected, wrong, queries in rows:
        lines.append(
            f"| {language} | {mode} | {queries} | {hits} / {expected} | "
            f"{hits / expected:.0%} | {wrong} |"
        )
    lines += [
        "",
        "Query latency, in-process, one query at a time: the index query (match, filter to",
        "the language, rank the newest 1,000 matches and count them, in one query) and the",
        f"first 20 ids, repeated {REPEAT}×; suggestions are",
        "headline-prefix matches (6 newest). Synthetic English stories of ~110 words from the",
        "demo's vocabulary, all in one language (the worst case for the language filter).",
        "",
        "| engine | articles | build | query | matches | p50 | p95 |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for engine in ("sqlite", "postgresql"):
        for size in SIZES:
            print(f"search latency: {engine}, {size} articles", flush=True)
            result = _run_worker(engine, size)
            if result is None:
                lines.append(f"| {engine} | {size:,} | — | not measured | | | |")
                continue
            all_runs: list[float] = []
            for label in QUERIES:
                runs = result["timings"][label]
                all_runs += runs
                matches = result["timings"][label + " (matches)"][0]
                matches = "—" if matches < 0 else f"{matches:,}"
                lines.append(
                    f"| {engine} | {size:,} | {result['build_seconds']:.0f} s | {label} | "
                    f"{matches} | {_p(runs, 50):.1f} ms | {_p(runs, 95):.1f} ms |"
                )
            lines.append(
                f"| {engine} | {size:,} | | **all queries** | | {_p(all_runs, 50):.1f} ms | "
                f"**{_p(all_runs, 95):.1f} ms** |"
            )
    write_section("search", "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "recall":
        print(json.dumps(_recall_rows()))
    elif len(sys.argv) > 1 and sys.argv[1] == "worker":
        print(json.dumps(_worker(sys.argv[2], int(sys.argv[3]))))
    else:
        main()
