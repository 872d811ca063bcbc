"""Browser tests: a real `dateline` server with the demo newsroom, driven by Chromium.

The server runs in a subprocess with a data folder (and SQLite database) of its own
(tests/live_site.py), so these tests never touch the shared test database. Nothing here
is imported by the rest of the suite's tests: only tests that ask for these fixtures need
the browser.

The site and the browser last as long as this package's tests (they run together, on one
xdist worker): Playwright keeps an event loop running in the thread while it is open,
and Django refuses database work in a thread with a running event loop, so the browser
must be gone before the worker goes on to other tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.live_site import DATELINE, LiveSite, child_env, demo_site

from .layout import MARK_READ
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
REPO_ROOT = Path(__file__).resolve().parents[2]
# `make html-checker` puts the W3C's Nu HTML checker here (git-ignored).
VNU_JAR = REPO_ROOT / ".cache" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def _on_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def _unavailable(reason: str) -> None:
    """Skip on a developer's machine; on CI a missing browser is a failure."""
    if _on_ci():
        pytest.fail(f"{reason} (CI=true: the browser tests must run)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="package")
def chromium_executable() -> str:
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing: install Debian's chromium to run the e2e tests")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("Playwright for Python is not installed (pip install -e '.[test]')")
    return str(CHROMIUM)


@pytest.fixture(scope="package")
def html_checker() -> list[str]:
    """The command that runs the Nu HTML checker (vnu.jar); installed on first use with
    `make html-checker`, which needs npm; the checker itself needs java."""
    if shutil.which("java") is None:
        _unavailable("java is missing: install default-jre-headless to check the HTML")
    if not VNU_JAR.exists():
        if shutil.which("npm") is None:
            _unavailable("npm is missing: it installs the Nu HTML checker (make html-checker)")
        installed = subprocess.run(
            ["make", "--no-print-directory", "html-checker"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if installed.returncode != 0 or not VNU_JAR.exists():
            pytest.fail(f"make html-checker failed:\n{installed.stderr[-4000:]}", pytrace=False)
    return ["java", "-jar", str(VNU_JAR)]


@pytest.fixture(scope="package")
def live_site(chromium_executable, demo_newsroom) -> LiveSite:
    """The site the browser drives."""
    return demo_newsroom


@pytest.fixture(scope="package")
def demo_newsroom(tmp_path_factory) -> Iterator[LiveSite]:
    """The demo newsroom as `dateline setup --demo` leaves it, served by `dateline serve`:
    the browser tests' site, also read without a browser (the HTML checker)."""
    # The web push test's fake push service listens on loopback.
    push_services = "fcm.googleapis.com,push.services.mozilla.com,127.0.0.1"
    site = demo_site(tmp_path_factory, "dateline-e2e-data", DATELINE_PUSH_SERVICES=push_services)
    site.start()
    try:
        with urllib.request.urlopen(f"{site.base_url}/en/", timeout=60) as response:
            assert response.status == 200
        yield site
    finally:
        site.stop()


@pytest.fixture(scope="package")
def base_url(live_site) -> str:
    return live_site.base_url


@pytest.fixture(scope="package")
def live_data_dir(live_site) -> Path:
    """The data folder of the server the browser tests talk to."""
    return live_site.data_dir


def run_dateline(data_dir: Path, *arguments: str) -> subprocess.CompletedProcess:
    """A `dateline` command against the browser tests' server's data, e.g. to add a user."""
    return subprocess.run(
        [DATELINE, *arguments],
        env=child_env(DATELINE_DATA_DIR=str(data_dir)),
        cwd=data_dir,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


@pytest.fixture(scope="package")
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
        context.add_init_script(MARK_READ)
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


@pytest.fixture(scope="package")
def screenshot_dir() -> Path:
    """For humans, not asserted: test-results/ is git-ignored."""
    folder = REPO_ROOT / "test-results" / "e2e"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
