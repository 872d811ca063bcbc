"""The search page at 100,000 stories, served: requests per second and latency for a
common word, a rare word and a phrase, on SQLite and on PostgreSQL.

Target (issue 26): the search page at 100,000 stories at least 200 requests/s for common,
rare and phrase queries (and words in every language), p95 at most 50 ms, on both engines.

Kinds of query: a common word (in more than 15% of the newest English stories), a rare one
(0.2-2%), a word that the other languages' stories also hold, written alike (mostly names;
5% or more of the English stories), and a phrase of two words taken from a story.

Two measures per kind of query, against `dateline serve` with its defaults (one worker,
its threads, request lines on) on one core, the page cache off as it always is for a
search (each search counts towards popular searches):

- first asked: twenty different searches of the kind, each asked once, one at a time;
  every one runs the index query (nothing is kept yet) and counts the reader's search;
- asked again: one search of the kind under `wrk -c8` for ten seconds; the ranked set is
  kept for the content generation, so the index is asked once and each answer reads the
  page's twenty stories.

The sites are those of bench/scale_bench.py (var/bench-scale), built the first time."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from common import SERVER_CORE, ensure_tools, wait_until_serving, write_section, wrk
from scale_bench import build_site, environment, upgrade_site

DATELINE = str(Path(sys.executable).with_name("dateline"))
PORT = 18611  # the scale sites' own address (DATELINE_BASE_URL)
SIZE = int(os.environ.get("BENCH_SEARCH_PAGE_SIZE", "100000"))
ENGINES = tuple(os.environ.get("BENCH_SEARCH_PAGE_ENGINES", "sqlite,postgres").split(","))
SECONDS = int(os.environ.get("BENCH_SEARCH_PAGE_SECONDS", "10"))
CONNECTIONS = 8
FIRST_ASKED = 20
# A reader's browser: a search from a crawler or a script is not counted towards popular
# searches, a reader's is (one row per reader and search), and that write is measured.
BROWSER = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"}

# Run in the site's process: English words by the share of stories that have them, and
# phrases (two words in a row) taken from stories, for searches that find something.
FIND_QUERIES = """
import json, random, re
from collections import Counter
from dateline.search.models import SearchEntry
def newest_bodies(language):
    return list(SearchEntry.objects.filter(language=language).order_by("-time_key")
                .values_list("body", flat=True)[:3000])
bodies = newest_bodies("en")
others = [b for language in ("ru", "hy", "az") for b in newest_bodies(language)]
word = re.compile(r"[a-z]{5,}")
share = Counter()
for body in bodies:
    share.update(set(word.findall(body.lower())))
elsewhere = set()
for body in others:
    elsewhere.update(word.findall(body.lower()))
by_share = sorted(share.items(), key=lambda item: (-item[1], item[0]))
common = [w for w, n in by_share if n / len(bodies) > 0.15]
rare = [w for w, n in by_share if 0.002 <= n / len(bodies) <= 0.02]
# Words the other languages' stories also hold, written alike (mostly names of towns,
# clubs and people), in 5% or more of the English stories: PostgreSQL's statistics, over
# every language, make them look commoner in English than they are.
names = [w for w, n in by_share if w in elsewhere and n / len(bodies) >= 0.05]
rng = random.Random(26)
phrases = []
for body in rng.sample(bodies, 200):
    words = word.findall(body.lower())
    if len(words) > 3:
        start = rng.randrange(len(words) - 1)
        phrases.append(f'"{words[start]} {words[start + 1]}"')
print(json.dumps({
    "common word": rng.sample(common, min(len(common), 21)),
    "rare word": rng.sample(rare, min(len(rare), 21)),
    "word in every language": rng.sample(names, min(len(names), 21)),
    "phrase": phrases[:21],
}))
"""


def forget_kept_searches(engine: str) -> None:
    """A new content generation, as after a publish: nothing kept by an earlier run counts."""
    subprocess.run(
        [DATELINE, "manage", "shell", "--no-imports", "-c",
         "from dateline.core import fragments; fragments.retire_fragments(structure=False)"],
        env=environment(engine, SIZE), check=True, capture_output=True,
    )  # fmt: skip


def find_queries(engine: str) -> dict[str, list[str]]:
    out = subprocess.run(
        [DATELINE, "manage", "shell", "--no-imports", "-c", FIND_QUERIES],
        env=environment(engine, SIZE),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def search_url(query: str) -> str:
    return f"http://127.0.0.1:{PORT}/en/search/?" + urllib.parse.urlencode({"q": query})


def timed_get(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(
        urllib.request.Request(url, headers=BROWSER), timeout=60
    ) as response:
        response.read()
        assert response.status == 200, response.status
    return (time.perf_counter() - started) * 1000


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(engine: str) -> list[tuple]:
    build_site(engine, SIZE)
    upgrade_site(engine, SIZE)
    queries = find_queries(engine)
    forget_kept_searches(engine)
    env = environment(engine, SIZE)
    env.pop("DATELINE_LOG_LEVEL", None)  # request lines as shipped
    log = Path(env["DATELINE_DATA_DIR"]) / "bench-search-server.log"
    server = subprocess.Popen(
        ["taskset", "-c", SERVER_CORE, DATELINE, "serve", "--port", str(PORT),
         "--workers", "1", "--no-scheduler"],
        env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    rows = []
    try:
        wait_until_serving(f"http://127.0.0.1:{PORT}/healthz", server, log)
        timed_get(search_url("warm"))
        for kind, asked in queries.items():
            repeated, distinct = asked[0], asked[1 : FIRST_ASKED + 1]
            first = [timed_get(search_url(query)) for query in distinct]
            timed_get(search_url(repeated))
            again = wrk(
                search_url(repeated), connections=CONNECTIONS, seconds=SECONDS, headers=BROWSER
            )
            rows.append((engine, kind, repeated, first, again))
            print(engine, kind, f"{statistics.median(first):.1f} ms first", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return rows


def row(*cells) -> str:
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def main() -> None:
    ensure_tools()
    rows = [measured for engine in ENGINES for measured in measure(engine)]
    lines = [
        f"## The search page at {SIZE:,} stories, served",
        "",
        "`dateline serve` with its defaults (one worker, its threads, request lines on) on",
        "one core, the sites of the scale benchmark (`dateline demo --articles`), English",
        f"searches as a browser sends them. *First asked*: {FIRST_ASKED} different searches of",
        "the kind, each asked once, one at a time (each runs the index query and counts the",
        f"reader's search). *Asked again*: one search of the kind under `wrk -c{CONNECTIONS}`",
        f"for {SECONDS} s from one reader; its ranked set is kept for the content generation",
        "and the reader is counted once, so each answer reads only the page's twenty stories.",
        "Kinds: a common word (in over 15% of the newest English stories), a rare one",
        "(0.2-2%), a word the other languages' stories also hold, written alike (mostly",
        "names; 5% or more of the English stories), a phrase of two words from a story.",
        "Target (issue 26): ≥ 200 requests/s and p95 ≤ 50 ms for each kind, both engines.",
        "",
        row(
            "engine",
            "query",
            "first asked p50",
            "first asked p95",
            "asked again: requests/s",
            "p50",
            "p99",
            "errors / non-2xx",
            "example",
        ),
        row(*["---"] * 9),
    ]
    for engine, kind, example, first, again in rows:
        lines.append(
            row(
                "SQLite" if engine == "sqlite" else "PostgreSQL",
                kind,
                f"{statistics.median(first):.1f} ms",
                f"{percentile(first, 0.95):.1f} ms",
                f"{again.requests_per_second:,.0f}",
                f"{again.p50_ms:.1f} ms",
                f"{again.p99_ms:.1f} ms",
                f"{again.errors} / {again.non_2xx}",
                f"`{example}`",
            )
        )
    write_section("search-page", "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
