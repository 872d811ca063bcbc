"""An editor schedules a story the way docs/editors.md says: the status panel's "Set
schedule", with the go-live time in the site's time zone and the zone named under the
input. A new story opens clean, with the editor's own byline."""

from __future__ import annotations

import json
import os
import secrets
import tempfile
from pathlib import Path

import pytest

from .conftest import run_dateline
from .test_admin_security import CREATE_EDITOR, sign_in

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixtures skip (or fail on CI) with the reason
    if os.environ.get("CI", "").lower() == "true":
        raise
    pytest.skip("Playwright for Python is not installed", allow_module_level=True)

pytestmark = pytest.mark.e2e

# The oldest English story of the last section, which no other browser test edits, and the
# author the editor writes as.
FIND_STORY = """
import json
from dateline.news.models import ArticlePage, Author, SectionPage
from django.contrib.auth import get_user_model
section = SectionPage.objects.filter(locale__language_code="en").order_by("-path").first()
story = ArticlePage.objects.child_of(section).order_by("first_published_at").first()
author = Author.objects.filter(locale__language_code="en").order_by("pk").first()
author.user = get_user_model().objects.get(username={username!r})
author.save()
print(json.dumps({{"story": story.pk, "section": section.pk, "author": author.pk}}))
"""


@pytest.fixture(scope="module")
def clock_editor(live_data_dir) -> dict:
    username, password = "clock-editor", secrets.token_urlsafe(16)
    run_dateline(
        live_data_dir,
        "manage",
        "shell",
        "-c",
        CREATE_EDITOR.format(username=username, password=password),
    )
    found = run_dateline(
        live_data_dir, "manage", "shell", "-c", FIND_STORY.format(username=username)
    )
    return {"login": (username, password), **json.loads(found.stdout.strip().splitlines()[-1])}


def test_editor_sets_a_schedule_in_the_sites_time_zone(page, clock_editor):
    sign_in(page, *clock_editor["login"])
    page.goto(f"/admin/pages/{clock_editor['story']}/edit/")

    page.locator("[data-side-panel-toggle='status']").click()
    page.get_by_role("button", name="Set schedule").click()
    dialog = page.locator("#schedule-publishing-dialog")
    expect(dialog).to_be_visible()

    go_live = dialog.locator("#id_go_live_at")
    go_live.fill("2030-01-15 11:43")
    zone = dialog.locator("#id_go_live_at-time-zone")
    expect(zone).to_have_text("Times are in Asia/Yerevan, the site’s time zone.")
    expect(dialog.locator("#id_expire_at-time-zone")).to_contain_text("Asia/Yerevan")
    # The date picker opens over the label: a click on the dialog's heading closes it.
    page.wait_for_timeout(300)
    dialog.get_by_role("heading", name="Set publishing schedule").click()
    expect(page.locator(".xdsoft_datetimepicker:visible")).to_have_count(0)

    shot = Path(tempfile.gettempdir()) / "dateline-e2e-set-schedule.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 0

    dialog.get_by_role("button", name="Save schedule").click()
    expect(page.locator(".messages")).to_contain_text("has been updated")
    page.locator("[data-side-panel-toggle='status']").click()
    # The schedule reads back as it was entered, not in UTC (07:43).
    expect(page.locator("[data-side-panel='status']")).to_contain_text("11:43")


def test_a_new_story_opens_clean_with_the_editors_byline(page, clock_editor):
    sign_in(page, *clock_editor["login"])
    page.goto(f"/admin/pages/add/news/articlepage/{clock_editor['section']}/")
    expect(page.locator("#id_title")).to_be_visible()
    # One empty paragraph, ready to type in.
    expect(page.locator("#body-root .Draftail-Editor")).to_have_count(1)
    expect(page.get_by_text("The minimum number of items")).to_have_count(0)
    expect(page.locator("#id_bylines-0-author")).to_have_value(str(clock_editor["author"]))
    expect(page.locator("#id_bylines-0-author-title")).not_to_be_empty()
