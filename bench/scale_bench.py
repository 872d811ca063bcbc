"""Uncached pages at 1,000 and at 100,000 articles, one app worker on one core.

Target (issue 6): home, section (first and last page), article, sitemaps, feeds and the
admin's article listing no more than 2x slower at 100,000 articles than at 1,000. The
page cache is off, so every request renders; the sites are built with
`dateline demo --articles N` the first time (minutes) and kept in var/bench-scale.

BENCH_SCALE_ENGINES=sqlite,postgres also measures PostgreSQL (the machine's server at
127.0.0.1:5432), BENCH_SCALE_SIZES changes the sizes."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from common import (
    SERVER_CORE,
    WrkResult,
    children_rss_mb,
    ensure_tools,
    wait_until_serving,
    write_section,
    wrk,
)

DATELINE = str(Path(sys.executable).with_name("dateline"))
PORT = 18611
VAR = Path(__file__).resolve().parent.parent / "var/bench-scale"
SIZES = tuple(int(n) for n in os.environ.get("BENCH_SCALE_SIZES", "1000,100000").split(","))
ENGINES = tuple(os.environ.get("BENCH_SCALE_ENGINES", "sqlite").split(","))
POSTGRES = "postgres://postgres@127.0.0.1:5432"
SECONDS = int(os.environ.get("BENCH_SCALE_SECONDS", "5"))

# Run in the site's own process: the URLs to measure and an admin session to measure with.
FIND_URLS = """
import json, math
from django.conf import settings
from django.contrib.auth import get_user_model, HASH_SESSION_KEY, SESSION_KEY, BACKEND_SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from dateline.news.models import ArticlePage, SectionPage, published_articles
section = SectionPage.objects.get(slug="world", locale__language_code="en")
stories = section.articles().count()
last_page = max(1, math.ceil(stories / settings.DATELINE_PAGE_SIZE))
user, _ = get_user_model().objects.get_or_create(
    username="bench-editor", defaults={"is_staff": True, "is_superuser": True})
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
from dateline.news.models import ArticleTag, Author
tag = ArticleTag.objects.filter(content_object__locale__language_code="en").first().tag
author = Author.objects.filter(locale__language_code="en").first()
common = "harbour"
# A word of the demo's first English story: the admin searches only the pages its own
# index holds, the demo's (generated stories are not queued for it).
first = ArticlePage.objects.filter(locale__language_code="en").order_by("pk").first()
admin_word = max(first.title.split(), key=len).strip(",.:;").lower()
print(json.dumps({
    "articles": ArticlePage.objects.count(),
    "section_stories": stories,
    "home": "/en/",
    "section, first page": section.url,
    "section, last page": f"{section.url}?page={last_page}",
    "article": published_articles().filter(locale__language_code="en").first().url,
    "sitemap index": "/sitemap.xml",
    "language sitemap": "/sitemaps/en-1.xml",
    "news sitemap": "/en/news-sitemap.xml",
    "language feed": "/en/rss.xml",
    "section feed": f"/en/{section.slug}/rss.xml",
    "tag page": f"/en/tags/{tag.slug}/",
    "author page": f"/en/authors/{author.slug}/",
    "search, common word": "/en/search/?q=" + common,
    "search suggestions": "/en/search/suggest/?q=" + common[:3],
    "API list": "/api/v1/articles?lang=en",
    "API sync, 100 items": "/api/v1/articles?lang=en&limit=100&updated_since=2000-01-01T00:00:00Z",
    "admin article listing": f"/admin/pages/{section.pk}/",
    "admin article search": f"/admin/pages/search/?q={admin_word}",
    "session": session.session_key,
}))
"""


def environment(engine: str, size: int) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("DATELINE_") and k not in {"DATABASE_URL", "REDIS_URL"}
    }
    env.update(
        DATELINE_DATA_DIR=str(VAR / f"{engine}-{size}"),
        DATELINE_BASE_URL=f"http://127.0.0.1:{PORT}",
        DATELINE_LOG_LEVEL="WARNING",
        DATELINE_PAGE_CACHE="0",
        # Every answer is timed from one address: the API's limit per client would refuse
        # the sync rows after the list's (the API benchmark turns it off too).
        DATELINE_API_RATE_LIMIT="0",
    )
    if engine == "postgres":
        env["DATABASE_URL"] = f"{POSTGRES}/dateline_bench_scale_{size}"
    return env


def build_site(engine: str, size: int) -> None:
    env = environment(engine, size)
    ready = Path(env["DATELINE_DATA_DIR"]) / "bench-ready"
    if ready.exists():
        return
    Path(env["DATELINE_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    if engine == "postgres":
        import psycopg

        name = f"dateline_bench_scale_{size}"
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
    print(f"building a site of {size:,} articles on {engine}…", flush=True)
    started = time.monotonic()
    subprocess.run([DATELINE, "setup", "--demo"], env=env, check=True, capture_output=True)
    subprocess.run([DATELINE, "demo", "--articles", str(size)], env=env, check=True)
    index_for_the_admin(env)
    ready.write_text(f"{time.monotonic() - started:.0f} s\n")


def index_for_the_admin(env: dict[str, str]) -> None:
    """Run the tasks the demo queued, as a served site's worker would: among them the
    admin's search index of the demo's pages (generated stories are not queued)."""
    subprocess.run([DATELINE, "worker", "--once"], env=env, check=True, capture_output=True)


def upgrade_site(engine: str, size: int) -> None:
    """A kept site gets this checkout's migrations, so indexes added since are measured."""
    subprocess.run(
        [DATELINE, "manage", "migrate", "--no-input"],
        env=environment(engine, size),
        check=True,
        capture_output=True,
    )


def find_urls(engine: str, size: int) -> dict:
    out = subprocess.run(
        [DATELINE, "manage", "shell", "--no-imports", "-c", FIND_URLS],
        env=environment(engine, size),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


class Server:
    def __init__(self, engine: str, size: int) -> None:
        log = VAR / f"{engine}-{size}" / "bench-server.log"
        self.process = subprocess.Popen(
            ["taskset", "-c", SERVER_CORE, DATELINE, "serve", "--port", str(PORT)]
            + ["--workers", "1", "--threads", "1", "--no-scheduler"],
            env=environment(engine, size),
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        wait_until_serving(f"http://127.0.0.1:{PORT}/healthz", self.process, log)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def status_of(url: str, cookie: str = "") -> int:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        return urllib.request.urlopen(request, timeout=120).status
    except urllib.error.HTTPError as error:
        return error.code


def database_bytes(engine: str, size: int) -> int:
    if engine == "sqlite":
        folder = VAR / f"{engine}-{size}"
        return sum(path.stat().st_size for path in folder.glob("dateline.sqlite3*"))
    import psycopg

    with psycopg.connect(environment(engine, size)["DATABASE_URL"]) as connection:
        return connection.execute("SELECT pg_database_size(current_database())").fetchone()[0]


def measure(engine: str, size: int) -> tuple[dict, dict[str, WrkResult]]:
    """The URLs and the results of each; `urls` also gets the web process's memory after
    all of them (MB, resident) and the database's size (bytes)."""
    build_site(engine, size)
    upgrade_site(engine, size)
    urls = find_urls(engine, size)
    server = Server(engine, size)
    results = {}
    try:
        for label, path in urls.items():
            if not isinstance(path, str) or not path.startswith("/"):
                continue
            url = f"http://127.0.0.1:{PORT}{path}"
            cookie = f"sessionid={urls['session']}" if label.startswith("admin") else ""
            status = status_of(url, cookie)
            if status != 200:
                raise RuntimeError(f"{label} {url} answered {status} on {engine}, {size}")
            headers = {"Cookie": cookie} if cookie else None
            wrk(url, connections=1, seconds=1, timeout=60, headers=headers)
            results[label] = wrk(url, connections=1, seconds=SECONDS, timeout=60, headers=headers)
        urls["web_process_mb"] = max(children_rss_mb(server.process.pid))
    finally:
        server.stop()
    urls["database_bytes"] = database_bytes(engine, size)
    return urls, results


def row(*cells) -> str:
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def main() -> None:
    ensure_tools()
    small, large = SIZES
    lines = [
        f"## {large:,} articles: uncached pages against {small:,}",
        "",
        "Each page rendered with the page cache off, one request at a time",
        f"(`wrk -c1 -d{SECONDS}s`) against one app worker with one thread on one core;",
        "p50 latency. Ratio: the large site's p50 over the small one's. Target: every ratio ≤ 2.",
    ]
    for engine in ENGINES:
        small_urls, small_results = measure(engine, small)
        large_urls, large_results = measure(engine, large)
        lines += [
            "",
            f"### {'SQLite' if engine == 'sqlite' else 'PostgreSQL'}: "
            f"{small_urls['articles']:,} and {large_urls['articles']:,} articles"
            f" (the section: {small_urls['section_stories']:,} and "
            f"{large_urls['section_stories']:,} stories)",
            "",
            row("page", f"p50 at {small:,}", f"p50 at {large:,}", "ratio", "p99 at large", "ok"),
            row(*["---"] * 6),
        ]
        for label, result in large_results.items():
            base = small_results[label]
            ratio = result.p50_ms / base.p50_ms if base.p50_ms else math.inf
            lines.append(
                row(
                    label,
                    f"{base.p50_ms:.1f} ms",
                    f"{result.p50_ms:.1f} ms",
                    f"{ratio:.2f}",
                    f"{result.p99_ms:.1f} ms",
                    "yes" if ratio <= 2 and not result.errors and not result.non_2xx else "NO",
                )
            )
        lines += [
            "",
            f"The web process after every page above (resident): "
            f"{small_urls['web_process_mb']:.0f} MB at {small:,} articles, "
            f"{large_urls['web_process_mb']:.0f} MB at {large:,}. The database: "
            f"{small_urls['database_bytes'] / 2**20:,.0f} MB and "
            f"{large_urls['database_bytes'] / 2**30:,.1f} GB.",
        ]
    for engine in ENGINES:
        ready = VAR / f"{engine}-{large}" / "bench-ready"
        lines.append("")
        lines.append(
            f"Building the {large:,}-article site on {engine} took {ready.read_text().strip()}"
            " (`dateline setup --demo`, then `dateline demo --articles`)."
        )
    # The default sizes keep their own section; a run at other sizes gets one beside it.
    write_section("scale" if SIZES == (1000, 100000) else f"scale-{large}", "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
