"""The search overlay in a real browser: suggestions as the reader types, chosen with the
keyboard alone, lead to the story."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_typing_in_the_overlay_suggests_headlines_and_the_keyboard_opens_one(
    new_page, base_url, lang
):
    from playwright.sync_api import expect

    page = new_page()
    page.goto(f"/{lang}/")
    title = page.locator(".lead-title a, .card-title a").first.inner_text()
    word = max(re.findall(r"\w+", title), key=len)

    page.locator("button[data-search-open]").click()
    field = page.locator("#search-overlay-input")
    expect(field).to_be_focused()
    expect(field).to_have_attribute("role", "combobox")
    page.keyboard.type(word[:5], delay=40)  # a partial word: suggestions match prefixes

    listbox = page.locator("#search-suggestions")
    # The answer for the whole text typed, not one for fewer letters still on screen.
    expect(listbox).to_have_attribute("data-query", word[:5])
    expect(listbox).to_be_visible()
    expect(field).to_have_attribute("aria-expanded", "true")
    options = listbox.locator("[role=option]")
    expect(options.first).to_be_visible()
    titles = options.locator("a").all_inner_texts()
    assert any(word[:5].lower() in t.lower() for t in titles), titles

    page.keyboard.press("ArrowDown")
    first = options.nth(0)
    expect(first).to_have_attribute("aria-selected", "true")
    expect(field).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    expect(field).to_be_focused()  # focus stays in the box; the choice is announced
    if options.count() > 1:
        page.keyboard.press("ArrowDown")
        expect(options.nth(1)).to_have_attribute("aria-selected", "true")
        page.keyboard.press("ArrowUp")
        expect(first).to_have_attribute("aria-selected", "true")

    target = first.get_attribute("data-url")
    chosen = first.locator("a").inner_text()
    page.keyboard.press("Enter")
    expect(page).to_have_url(base_url + target)
    expect(page.locator("h1")).to_have_text(chosen)


def test_escape_closes_the_suggestions_before_the_overlay(page):
    from playwright.sync_api import expect

    page.goto("/en/")
    title = page.locator(".lead-title a, .card-title a").first.inner_text()
    word = max(re.findall(r"\w+", title), key=len)
    page.locator("button[data-search-open]").click()
    page.keyboard.type(word[:4], delay=40)
    listbox = page.locator("#search-suggestions")
    expect(listbox).to_have_attribute("data-query", word[:4])
    expect(listbox).to_be_visible()
    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    expect(page.locator("#search-overlay")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#search-overlay")).to_be_hidden()


def test_odd_text_in_the_overlay_raises_no_error(page):
    from playwright.sync_api import expect

    page.goto("/en/")
    page.locator("button[data-search-open]").click()
    for text in ['"', "<script>alert(1)</script>", "😀 NEAR(", "Россия Հայաստան"]:
        page.locator("#search-overlay-input").fill(text)
        page.wait_for_timeout(300)
    expect(page.locator("#search-overlay")).to_be_visible()
