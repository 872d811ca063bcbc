"""A reader steps through a story's gallery with the buttons, the arrow keys or a swipe,
on a phone and on a desktop, and nothing on the page moves while it loads."""

from __future__ import annotations

import os

import pytest

from .layout import assert_steady
from .viewports import DESKTOP, PHONE

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixtures skip (or fail on CI) with the reason
    if os.environ.get("CI", "").lower() == "true":
        raise
    pytest.skip("Playwright for Python is not installed", allow_module_level=True)

pytestmark = pytest.mark.e2e

STORY = "/en/region/kestrin-water-main-replacement-night-outages/"
SHOWN = """
(strip) => {
  const box = strip.getBoundingClientRect();
  return [...strip.querySelectorAll("[data-gallery-slide]")].findIndex((slide) => {
    const left = slide.getBoundingClientRect().left;
    return Math.abs(left - box.left) < 4;
  });
}
"""


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_gallery_steps_by_button_and_key(new_page, screenshot_dir, viewport):
    page = new_page(viewport=viewport)
    page.goto(STORY)
    gallery = page.locator("[data-gallery]")
    strip = gallery.locator("[data-gallery-strip]")
    previous = gallery.get_by_role("button", name="Previous picture")
    following = gallery.get_by_role("button", name="Next picture")
    gallery.scroll_into_view_if_needed()
    expect(previous).to_be_disabled()
    expect(following).to_be_enabled()
    assert strip.evaluate(SHOWN) == 0

    following.click()
    page.wait_for_function(f"(strip) => ({SHOWN})(strip) === 1", arg=strip.element_handle())
    expect(previous).to_be_enabled()

    strip.focus()
    page.keyboard.press("ArrowRight")
    expect(following).to_be_disabled()
    assert strip.evaluate(SHOWN) == 2
    page.keyboard.press("ArrowLeft")
    expect(following).to_be_enabled()
    assert strip.evaluate(SHOWN) == 1
    name = "desktop" if viewport is DESKTOP else "phone"
    gallery.screenshot(path=str(screenshot_dir / f"gallery-{name}.png"))
    page.locator(".fact-box").screenshot(path=str(screenshot_dir / f"fact-box-{name}.png"))


def test_the_gallery_and_fact_box_move_nothing_as_the_page_loads(page):
    page.goto(STORY)
    page.locator("[data-gallery]").scroll_into_view_if_needed()
    page.wait_for_load_state("networkidle")
    assert_steady(page, page.url)
