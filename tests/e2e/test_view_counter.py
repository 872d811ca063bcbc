"""The view counter as a reader's browser drives it."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.e2e

try:
    from playwright.sync_api import Page, expect
except ImportError:  # the conftest skips (or fails on CI) without Playwright
    Page = expect = None


# Headless Chromium says "HeadlessChrome" in its User-Agent, which the counter rightly
# takes for a bot; these tests read the site as the desktop browser a reader has.
READER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Safari/537.36"
)
HIDE_THE_TAB = (
    "Object.defineProperty(document, 'visibilityState',"
    " {get: () => (window.__shown ? 'visible' : 'hidden')});"
)


@pytest.fixture
def page(new_page):
    return new_page(user_agent=READER_AGENT)


def rendered_count(page: Page, url: str) -> int:
    """The count in the HTML as served, without running the page's script."""
    html = page.request.get(url).text()
    return int(
        re.search(r"data-view-count>([\d\s,.\u00a0\u202f]+)<", html).group(1).replace(",", "")
    )


def test_opening_an_article_counts_one_view_and_a_reload_does_not(page: Page, base_url):
    # A story the other browser tests never open: the last one in Azerbaijani sport.
    page.goto(f"{base_url}/az/sport/")
    url = base_url + page.locator(".card-title a").last.get_attribute("href")
    before = rendered_count(page, url)

    with page.expect_response(
        lambda r: r.url.endswith("/views") and r.request.method == "POST"
    ) as sent:
        page.goto(url)
    answer = sent.value.json()
    assert answer["counted"] is True and answer["views"] == before + 1
    expect(page.locator("[data-view-count]")).to_have_text(str(before + 1))

    with page.expect_response(lambda r: r.url.endswith("/views")) as again:
        page.reload()
    assert again.value.json() == {
        "article": answer["article"],
        "views": before + 1,
        "counted": False,
    }
    # The page itself may come from the page cache with an older number; the reader sees
    # the live one from the beacon's answer.
    expect(page.locator("[data-view-count]")).to_have_text(str(before + 1))


def test_a_page_opened_in_the_background_counts_only_once_shown(page: Page, base_url):
    page.goto(f"{base_url}/hy/region/")
    url = base_url + page.locator(".card-title a").last.get_attribute("href")
    before = rendered_count(page, url)
    beacons = []
    page.on("request", lambda r: beacons.append(r) if r.url.endswith("/views") else None)
    # Pretend the tab is hidden before the page's script runs.
    page.add_init_script(HIDE_THE_TAB)
    page.goto(url)
    page.wait_for_timeout(500)
    assert beacons == []
    with page.expect_response(lambda r: r.url.endswith("/views")):
        page.evaluate(
            "window.__shown = true; document.dispatchEvent(new Event('visibilitychange'))"
        )
    expect(page.locator("[data-view-count]")).to_have_text(str(before + 1))


def test_a_headless_browser_is_not_counted(new_page, base_url):
    page = new_page()  # Chromium's own headless User-Agent
    page.goto(f"{base_url}/ru/economy/")
    url = base_url + page.locator(".card-title a").last.get_attribute("href")
    with page.expect_response(lambda r: r.url.endswith("/views")) as sent:
        page.goto(url)
    assert sent.value.json()["counted"] is False
