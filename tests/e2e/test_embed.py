"""A reader sees an embedded post as a facade, and the provider's frame loads only when
they press the button, within the site's content security policy."""

from __future__ import annotations

import os

import pytest

from .test_admin_security import watch_policy_violations
from .test_gallery import STORY

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixtures skip (or fail on CI) with the reason
    if os.environ.get("CI", "").lower() == "true":
        raise
    pytest.skip("Playwright for Python is not installed", allow_module_level=True)

pytestmark = pytest.mark.e2e

FRAME = "https://t.me/dateline_demo/128?embed=1"


def test_the_provider_loads_only_when_the_reader_asks(page, screenshot_dir):
    violations = watch_policy_violations(page)
    asked: list[str] = []
    # No network here: the provider's frame is answered by the test, and counted.
    page.route(
        "https://t.me/**",
        lambda route: (
            asked.append(route.request.url),
            route.fulfill(content_type="text/html", body="<p>The post</p>"),
        ),
    )
    page.goto(STORY)
    embed = page.locator("[data-embed]")
    embed.scroll_into_view_if_needed()
    page.wait_for_load_state("networkidle")
    assert asked == []
    expect(embed.get_by_text("Telegram", exact=True)).to_be_visible()
    embed.screenshot(path=str(screenshot_dir / "embed-facade.png"))

    embed.get_by_role("button", name="Show the Telegram post here").click()
    frame = embed.locator("iframe")
    expect(frame).to_have_attribute("src", FRAME)
    expect(page.frame_locator("[data-embed] iframe").get_by_text("The post")).to_be_visible()
    assert asked == [FRAME]
    assert violations == []
