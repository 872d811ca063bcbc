"""Several real server processes share one cache and its invalidation: a story published
from another process shows on every server within a second."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.live_site import LiveSite, migrate

pytestmark = pytest.mark.live

CREATE_SITE = """
from dateline.news import services
home = services.ensure_site()
section = services.create_section(home, title="World", slug="world", description="World news")
story = services.create_article(
    section, title="The first story", slug="first", standfirst="Read me.", paragraphs=["Text."]
)
"""

PUBLISH = """
from dateline.news import services
from dateline.news.models import SectionPage
section = SectionPage.objects.get(slug="world", locale__language_code="en")
story = services.create_article(section, title="{title}", slug="{slug}", standfirst="Just in.",
                    paragraphs=["News."])
"""


@pytest.fixture(scope="module")
def servers(live_engine, tmp_path_factory):
    """Two servers on one data folder and database: one with two worker processes."""
    data_dir = tmp_path_factory.mktemp("pagecache-live")
    database_url, redis_url = live_engine.new_database_url(), live_engine.redis_url
    first = LiveSite(
        data_dir, database_url=database_url, redis_url=redis_url, DATELINE_LOG_RENDERS="1"
    )
    second = LiveSite(data_dir, database_url=database_url, redis_url=redis_url)
    second.env["DATELINE_CACHE_PREFIX"] = first.env["DATELINE_CACHE_PREFIX"]
    second.log = data_dir / "second-server.log"
    migrate(first.env, tmp_path_factory)  # setup then finds nothing left to migrate
    first.run("setup")
    first.shell(CREATE_SITE)
    first.start("--workers", "2")
    second.start()
    yield first, second
    first.stop()
    second.stop()


def fetch(site: LiveSite, path: str) -> tuple[str, str]:
    with urllib.request.urlopen(site.base_url + path, timeout=30) as response:
        return response.headers.get("X-Cache", ""), response.read().decode()


def cached(site: LiveSite, path: str) -> bool:
    """Whether the page settles into the cache (its first render may already be stale:
    the first request of a new site creates its settings, which is a change)."""
    hits = 0
    deadline = time.monotonic() + 20
    while hits < 4 and time.monotonic() < deadline:  # four in a row: both worker processes
        hits = hits + 1 if fetch(site, path)[0] == "hit" else 0
        time.sleep(0.05)
    return hits == 4


def shows_everywhere(sites, path: str, text: str, within: float) -> bool:
    deadline = time.monotonic() + within
    while True:
        if all(text in fetch(site, path)[1] for site in sites):
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)


def test_a_story_published_elsewhere_shows_on_every_server_within_a_second(servers):
    for site in servers:
        assert cached(site, "/en/world/")
    servers[0].shell(PUBLISH.format(title="Breaking from the newsroom", slug="breaking"))
    assert shows_everywhere(servers, "/en/world/", "Breaking from the newsroom", within=1.0)
    assert shows_everywhere(servers, "/en/rss.xml", "Breaking from the newsroom", within=1.0)


def home_renders(site: LiveSite) -> int:
    return site.log.read_text().count(f"rendered {site.base_url}/en/? ")


def test_two_hundred_readers_after_a_publish_cause_one_render(servers):
    first, _second = servers
    assert cached(first, "/en/")
    before = home_renders(first)
    first.shell(PUBLISH.format(title="Another story", slug="another"))
    time.sleep(0.5)  # let every process see the new generation
    with ThreadPoolExecutor(max_workers=32) as pool:
        pages = list(pool.map(lambda _: fetch(first, "/en/")[1], range(200)))
    assert all("</html>" in page for page in pages)
    # Readers got the previous copy while one of them had the page rendered again.
    assert shows_everywhere([first], "/en/", "Another story", within=1.0)
    deadline = time.monotonic() + 5  # the server writes its log line after the render
    while home_renders(first) == before and time.monotonic() < deadline:
        time.sleep(0.1)
    assert home_renders(first) - before == 1


UNPUBLISH = """
from dateline.news import services
from dateline.news.models import ArticlePage
services.unpublish(ArticlePage.objects.get(slug="{slug}"))
"""


def status_and_body(site: LiveSite, path: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(site.base_url + path, timeout=30) as response:
            return response.status, response.headers.get("X-Cache", ""), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("X-Cache", ""), error.read().decode()


def test_a_story_taken_down_is_never_served_again_by_any_server(servers, live_engine):
    servers[0].shell(PUBLISH.format(title="A story to be pulled", slug="to-be-pulled"))
    for site in servers:
        for path in ("/en/world/to-be-pulled/", "/en/world/", "/en/rss.xml"):
            assert shows_everywhere([site], path, "A story to be pulled", within=2.0)
            assert cached(site, path)
    servers[0].shell(UNPUBLISH.format(slug="to-be-pulled"))
    if live_engine.redis_url:  # other processes read the numbers this often (caching.md)
        time.sleep(0.3)
    for site in servers:
        status, outcome, _body = status_and_body(site, "/en/world/to-be-pulled/")
        assert (status, outcome) != (200, "stale")
        assert status == 404
        for path in ("/en/world/", "/en/rss.xml"):
            status, outcome, body = status_and_body(site, path)
            assert "A story to be pulled" not in body, (site.base_url, path, outcome)
