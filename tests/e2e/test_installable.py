"""The site as an installed app: Chromium finds nothing missing to install it, and a story
the reader opened reads offline (uncounted), with the offline page in the reader's
language for everything else."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e

try:
    from playwright.sync_api import Page, expect
except ImportError:  # the conftest skips (or fails on CI) without Playwright
    Page = expect = None

KEPT_PATHS = (
    "caches.open('stories').then((cache) => cache.keys())"
    ".then((keys) => keys.map((request) => new URL(request.url).pathname))"
)


def controlled(page: Page) -> None:
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("navigator.serviceWorker.controller !== null")


def test_chromium_finds_the_site_installable(browser, chromium_executable, base_url, tmp_path):
    # Not in the shared browser's contexts: Chromium never installs from an incognito one.
    from .conftest import CHROMIUM_ARGS

    context = browser.browser_type.launch_persistent_context(
        tmp_path / "profile",
        executable_path=chromium_executable,
        headless=True,
        args=CHROMIUM_ARGS,
        base_url=base_url,
    )
    try:
        page = context.new_page()
        page.goto(f"{base_url}/ru/")
        controlled(page)
        session = context.new_cdp_session(page)
        manifest = session.send("Page.getAppManifest")
        assert manifest["errors"] == [], manifest["errors"]
        assert manifest["url"].endswith("/ru/manifest.webmanifest")
        errors = session.send("Page.getInstallabilityErrors")["installabilityErrors"]
        assert errors == [], errors
    finally:
        context.close()


def test_a_story_opened_once_reads_offline_and_is_not_counted(new_page, base_url, screenshot_dir):
    page = new_page()
    page.goto(f"{base_url}/hy/")
    controlled(page)
    story_path = page.locator(".card-title a").first.get_attribute("href")
    other_path = page.locator(".card-title a").nth(3).get_attribute("href")
    page.goto(base_url + story_path)
    headline = page.locator("h1").first.inner_text()
    page.wait_for_function(f"{KEPT_PATHS}.then((paths) => paths.includes({story_path!r}))")

    beacons: list[str] = []
    page.on(
        "requestfinished",
        lambda request: beacons.append(request.url) if request.method == "POST" else None,
    )
    page.context.set_offline(True)
    page.reload()
    expect(page.locator("h1").first).to_have_text(headline)
    page.wait_for_timeout(1500)  # the beacon goes after load: offline it never arrives
    assert beacons == []

    page.goto(base_url + other_path)
    expect(page.locator("h1")).to_have_text("Կապ չկա")
    kept = page.locator("[data-offline-stories] a")
    expect(kept.first).to_have_text(headline)
    page.screenshot(path=screenshot_dir / "offline-page-hy.png", full_page=True)

    page.context.set_offline(False)
    page.goto(base_url + other_path)
    expect(page.locator("h1")).not_to_have_text("Կապ չկա")
