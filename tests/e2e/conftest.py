"""Browser tests: a real `dateline` server with the demo newsroom, driven by Chromium.

The server runs in a subprocess with a data folder (and SQLite database) of its own, so
these tests never touch the shared test database. Nothing here is imported by the rest of
the suite's tests: only tests that ask for these fixtures need the browser."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from .viewports import DESKTOP

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SETUP_TIMEOUT = 300  # loading the demo takes about 30 s
SERVER_START_TIMEOUT = 60
REPO_ROOT = Path(__file__).resolve().parents[2]


def _on_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def _unavailable(reason: str) -> None:
    """Skip on a developer's machine; on CI a missing browser is a failure."""
    if _on_ci():
        pytest.fail(f"{reason} (CI=true: the browser tests must run)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing: install Debian's chromium to run the e2e tests")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("Playwright for Python is not installed (pip install -e '.[test]')")
    return str(CHROMIUM)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_env(data_dir: Path) -> dict[str, str]:
    """The developer's or the suite's settings must not leak into the server: no
    DATABASE_URL/REDIS_URL (always its own SQLite), no test settings module, no
    DATELINE_* overrides (languages, hosts, static root…) but the data folder."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DATELINE_")
        and key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env["DATELINE_DATA_DIR"] = str(data_dir)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _tail(path: Path, lines: int = 60) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no output)"


def _wait_until_serving(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(
                f"`dateline serve` exited with code {server.returncode}:\n{_tail(log)}",
                pytrace=False,
            )
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError) as error:
            last_error = error
        time.sleep(0.25)
    pytest.fail(
        f"`dateline serve` did not answer {url} within {SERVER_START_TIMEOUT} s "
        f"(last error: {last_error}):\n{_tail(log)}",
        pytrace=False,
    )


@pytest.fixture(scope="session")
def live_data_dir(tmp_path_factory) -> Path:
    """The data folder of the server the browser tests talk to."""
    return tmp_path_factory.mktemp("dateline-e2e-data")


def run_dateline(data_dir: Path, *arguments: str) -> subprocess.CompletedProcess:
    """A `dateline` command against the browser tests' server's data, e.g. to add a user."""
    dateline = str(Path(sys.executable).with_name("dateline"))
    return subprocess.run(
        [dateline, *arguments],
        env=_server_env(data_dir),
        cwd=data_dir,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


@pytest.fixture(scope="session")
def base_url(chromium_executable, live_data_dir) -> Iterator[str]:
    """`dateline setup --demo` in a fresh data folder, then `dateline serve` on a free port."""
    data_dir = live_data_dir
    dateline = str(Path(sys.executable).with_name("dateline"))
    env = _server_env(data_dir)

    setup = subprocess.run(
        [dateline, "setup", "--demo"],
        env=env,
        cwd=data_dir,
        capture_output=True,
        text=True,
        timeout=SETUP_TIMEOUT,
    )
    if setup.returncode != 0:
        pytest.fail(
            f"`dateline setup --demo` failed ({setup.returncode}):\n"
            f"{setup.stdout[-3000:]}\n{setup.stderr[-5000:]}",
            pytrace=False,
        )

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env["DATELINE_BASE_URL"] = url
    log = data_dir / "server.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [dateline, "serve", "--port", str(port), "--no-scheduler"],
            env=env,
            cwd=data_dir,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_serving(f"{url}/en/", server, log)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=5)


@pytest.fixture(scope="session")
def browser(chromium_executable):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_executable, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, base_url):
    """Open pages, each in a fresh browser context (own storage and permissions), closed
    after the test. Uncaught JavaScript errors on any of them fail the test."""
    contexts = []
    errors: list[str] = []

    def make(**options):
        options.setdefault("viewport", DESKTOP)
        options.setdefault("color_scheme", "light")
        options.setdefault("reduced_motion", "reduce")
        context = browser.new_context(base_url=base_url, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
        return page

    yield make
    for context in contexts:
        context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture
def page(new_page):
    """A desktop-sized page."""
    return new_page()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    """For humans, not asserted: test-results/ is git-ignored."""
    folder = REPO_ROOT / "test-results" / "e2e"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
