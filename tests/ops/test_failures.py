"""Real servers whose services are gone: a dead Redis costs speed, never a page or a 500; a
dead database gives readers a short 503 page in their language, never a traceback."""

from __future__ import annotations

import gzip
import json
import subprocess
import threading
import time
import urllib.error
import urllib.request
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import brotli
import pytest
from django.utils import translation

from tests.live_site import DATELINE, LiveSite, free_port, migrate

pytestmark = pytest.mark.live

LANGUAGES = ["en", "ru", "hy", "az"]

CREATE_ARTICLE = """
from dateline.news import services
home = services.ensure_site()
section = services.create_section(home, title="World", slug="world", description="World news")
article = services.create_article(
    section, title="Still here", slug="still-here", standfirst="Read me.", paragraphs=["Text."]
)
print(article.pk)
"""

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0"


def fetch(url: str, data: bytes | None = None, **headers: str) -> tuple[int, Message, str]:
    request = urllib.request.Request(url, data=data, headers={"User-Agent": BROWSER, **headers})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def log_records(site: LiveSite) -> list[dict]:
    time.sleep(0.5)  # request lines are written in batches, a fraction of a second apart
    return [
        json.loads(line)
        for line in site.log.read_text().splitlines()
        if line.startswith("{") and line.endswith("}")
    ]


@pytest.fixture(scope="module")
def dead_redis_site(tmp_path_factory):
    site = LiveSite(tmp_path_factory.mktemp("dead-redis"), DATELINE_TRUSTED_PROXIES="127.0.0.1")
    migrate(site.env, tmp_path_factory)
    site.run("manage", "collectstatic", "--noinput", "--verbosity", "0")
    site.article = int(site.shell(CREATE_ARTICLE).strip().splitlines()[-1])
    site.env["REDIS_URL"] = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    site.start()
    yield site
    site.stop()


def test_pages_are_served_while_redis_is_down(dead_redis_site):
    for path in ("/en/", "/en/world/", "/en/search/?q=still", "/en/world/still-here/"):
        status, _, body = fetch(dead_redis_site.base_url + path)
        assert status == 200, path
    assert "<h1" in body and "Still here" in body


def test_views_are_counted_in_the_database_while_redis_is_down(dead_redis_site):
    url = f"{dead_redis_site.base_url}/api/v1/articles/{dead_redis_site.article}/views"
    answers = []
    for reader in ("198.51.100.1", "198.51.100.2", "198.51.100.2"):
        status, _, body = fetch(
            url, data=b"{}", **{"Content-Type": "application/json", "X-Forwarded-For": reader}
        )
        assert status == 200
        answers.append(json.loads(body))
    assert [answer["counted"] for answer in answers] == [True, True, False]
    stored = dead_redis_site.shell(
        "from dateline.analytics.counting import stored_total\n"
        f"print(stored_total({dead_redis_site.article}))"
    )
    assert int(stored.strip().splitlines()[-1]) == 2
    warnings = [r for r in log_records(dead_redis_site) if r["level"] == "WARNING"]
    assert any("Redis unavailable" in r["message"] for r in warnings)


def test_readyz_names_redis_while_it_is_down(dead_redis_site):
    status, _, body = fetch(dead_redis_site.base_url + "/readyz")
    assert status == 503
    assert json.loads(body)["failed"] == ["redis"]
    assert fetch(dead_redis_site.base_url + "/healthz")[0] == 200


class SentryStandIn(ThreadingHTTPServer):
    """Takes what the Sentry client sends, as sentry.io would."""

    def __init__(self) -> None:
        self.received: list[bytes] = []
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                encoding = self.headers.get("Content-Encoding")
                if encoding == "gzip":
                    body = gzip.decompress(body)
                elif encoding == "br":  # the client prefers brotli when it is installed
                    body = brotli.decompress(body)
                stand_in.received.append(body)
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def sentry():
    stand_in = SentryStandIn()
    yield stand_in
    stand_in.shutdown()


@pytest.fixture(scope="module", params=["postgres-dead-port", "sqlite-unopenable"])
def dead_database_site(request, tmp_path_factory, sentry):
    data_dir = tmp_path_factory.mktemp("dead-database")
    if request.param == "postgres-dead-port":
        database_url = f"postgres://postgres@127.0.0.1:{free_port()}/gone"
    else:
        # A folder where the database file should be: SQLite cannot open it, even as root.
        (data_dir / "dateline.sqlite3").mkdir()
        database_url = ""
    site = LiveSite(
        data_dir,
        database_url=database_url,
        DATELINE_SENTRY_DSN=f"http://public@127.0.0.1:{sentry.server_port}/1",
        DATELINE_SENTRY_ENVIRONMENT="test",
    )
    site.start()
    yield site
    site.stop()


@pytest.mark.parametrize("language", LANGUAGES)
def test_readers_get_a_503_page_in_their_language_while_the_database_is_down(
    dead_database_site, language
):
    for path in (f"/{language}/", f"/{language}/world/some-story/"):
        status, headers, body = fetch(dead_database_site.base_url + path)
        assert status == 503
        assert int(headers["Retry-After"]) > 0
        assert "Traceback" not in body and "OperationalError" not in body
        assert f'<html lang="{language}">' in body
        with translation.override(language):
            expected = translation.gettext(
                "The site is briefly unavailable. Please try again in a minute."
            )
        assert expected in body
        if language != "en":
            assert "briefly unavailable" not in body


def test_the_503_page_follows_the_readers_language_at_the_root(dead_database_site):
    status, _, body = fetch(dead_database_site.base_url + "/", **{"Accept-Language": "hy"})
    assert status in (302, 503)


def test_health_tells_the_load_balancer_while_the_database_is_down(dead_database_site):
    assert fetch(dead_database_site.base_url + "/healthz")[0] == 200
    status, headers, body = fetch(dead_database_site.base_url + "/readyz")
    assert status == 503
    assert json.loads(body)["failed"] == ["database"]
    assert headers["Cache-Control"] == "no-store"


def test_a_beacon_gets_a_problem_answer_while_the_database_is_down(dead_database_site):
    status, headers, body = fetch(
        dead_database_site.base_url + "/api/v1/articles/1/views",
        data=b"{}",
        **{"Content-Type": "application/json"},
    )
    assert status == 503
    assert headers["Content-Type"] == "application/problem+json"
    assert "Retry-After" in headers


def test_the_failures_are_logged_as_json_with_the_request_id_and_traceback(dead_database_site):
    status, headers, _ = fetch(dead_database_site.base_url + "/ru/", **{"X-Request-ID": "trace-42"})
    assert status == 503
    assert headers["X-Request-ID"] == "trace-42"
    records = [r for r in log_records(dead_database_site) if r.get("request_id") == "trace-42"]
    access = [r for r in records if r["logger"] == "dateline.requests"]
    assert len(access) == 1
    assert access[0]["method"] == "GET" and access[0]["path"] == "/ru/"
    assert access[0]["status"] == 503 and access[0]["duration_ms"] > 0
    errors = [r for r in records if r["level"] == "ERROR"]
    assert errors and "OperationalError" in errors[0]["exc_info"]


def test_errors_go_to_sentry_when_a_dsn_is_set(dead_database_site, sentry):
    fetch(dead_database_site.base_url + "/az/")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not any(
        b"OperationalError" in r for r in sentry.received
    ):
        time.sleep(0.2)
    assert any(b"OperationalError" in received for received in sentry.received)


def test_an_unknown_log_format_is_refused_with_a_clear_message(tmp_path):
    env = LiveSite(tmp_path, DATELINE_LOG_FORMAT="xml").env
    result = subprocess.run(
        [DATELINE, "manage", "check"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "DATELINE_LOG_FORMAT must be json or text, not 'xml'" in result.stderr
