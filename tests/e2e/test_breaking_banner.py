"""An editor marks a story breaking in the admin, and a reader of a page the page cache
made before the marking sees the banner, without the page moving; clearing takes it away."""

from __future__ import annotations

import json
import os
import secrets
import urllib.request

import pytest

from .conftest import run_dateline
from .layout import layout_shifts
from .test_admin_security import CREATE_EDITOR, sign_in

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixtures skip (or fail on CI) with the reason
    if os.environ.get("CI", "").lower() == "true":
        raise
    pytest.skip("Playwright for Python is not installed", allow_module_level=True)

pytestmark = pytest.mark.e2e

# An English story of the second section that no other browser test edits.
FIND_STORY = """
import json
from dateline.news.models import ArticlePage, SectionPage
section = SectionPage.objects.filter(locale__language_code="en").order_by("path")[1]
story = ArticlePage.objects.live().child_of(section).order_by("first_published_at").first()
print(json.dumps({"id": story.pk, "title": story.title}))
"""


@pytest.fixture(scope="module")
def breaking_desk(live_data_dir) -> dict:
    username, password = "breaking-editor", secrets.token_urlsafe(16)
    run_dateline(
        live_data_dir,
        "manage",
        "shell",
        "-c",
        CREATE_EDITOR.format(username=username, password=password),
    )
    found = run_dateline(live_data_dir, "manage", "shell", "-c", FIND_STORY)
    return {"login": (username, password), **json.loads(found.stdout.strip().splitlines()[-1])}


def cache_outcome(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.headers.get("X-Cache", "")


def test_a_marked_story_reaches_a_cached_page_and_leaves_when_cleared(
    new_page, base_url, breaking_desk, screenshot_dir
):
    section_path = "/en/economy/"
    cache_outcome(base_url + section_path)
    assert cache_outcome(base_url + section_path) == "hit"

    editor = new_page()
    sign_in(editor, *breaking_desk["login"])
    editor.goto(f"/admin/pages/{breaking_desk['id']}/edit/")
    mark_link = editor.locator(f"a[href^='/admin/breaking/{breaking_desk['id']}/']").first
    editor.goto(mark_link.get_attribute("href"))
    expect(editor.get_by_text("the site’s time zone")).to_be_visible()
    editor.get_by_label("Label").fill("Live")
    editor.get_by_role("button", name="Mark as breaking").click()
    expect(editor.locator("[data-breaking-shown]")).to_contain_text(breaking_desk["title"])

    # The reader's page is still the copy cached before the marking.
    assert cache_outcome(base_url + section_path) == "hit"
    reader = new_page()
    reader.goto(section_path)
    banner = reader.get_by_role("complementary", name="Breaking news")
    expect(banner).to_contain_text(breaking_desk["title"], timeout=15_000)
    expect(banner).to_contain_text("Live")
    shift, shifts = layout_shifts(reader)
    assert shift <= 0.02, shifts
    reader.screenshot(path=str(screenshot_dir / "breaking-banner.png"))

    editor.goto("/admin/breaking/")
    editor.get_by_role("button", name=f"Clear “{breaking_desk['title']}”").click()
    expect(editor.get_by_text("is no longer shown as breaking")).to_be_visible()
    later = new_page()
    later.goto(section_path)
    later.wait_for_timeout(12_000)  # what a CDN may keep for 10 s is gone by then
    later.reload()
    expect(later.locator(".breaking")).not_to_contain_text(breaking_desk["title"])


def test_a_reader_who_closes_the_banner_does_not_see_it_again_in_that_tab(new_page):
    reader = new_page()
    reader.goto("/ru/")
    banner = reader.get_by_role("complementary", name="Срочные новости")
    expect(banner).to_be_visible(timeout=15_000)
    expect(banner).to_contain_text("Дороги")
    reader.get_by_role("button", name="Закрыть срочные новости").click()
    expect(banner).to_be_hidden()
    reader.goto("/ru/economy/")
    reader.wait_for_timeout(1000)
    expect(reader.locator(".breaking")).to_be_hidden()
