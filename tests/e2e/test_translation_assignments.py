"""An editor gives a translation to a desk member with a due time; the translator finds it
on the dashboard and in My assignments and starts it, under the admin's policy."""

from __future__ import annotations

import os
import secrets
from datetime import datetime, timedelta

import pytest

from .conftest import run_dateline
from .test_admin_security import CREATE_EDITOR, sign_in, watch_policy_violations

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixtures skip (or fail on CI) with the reason
    if os.environ.get("CI", "").lower() == "true":
        raise
    pytest.skip("Playwright for Python is not installed", allow_module_level=True)

pytestmark = pytest.mark.e2e

HEADLINE = "Korvan opens a tender for a rail freight terminal beside its industrial zone"
TRANSLATOR = "leyla-mammadova"
GIVE_PASSWORD = """
from django.contrib.auth import get_user_model
user = get_user_model().objects.get(username={username!r})
user.set_password({password!r})
user.save()
"""


@pytest.fixture(scope="module")
def accounts(live_data_dir) -> dict[str, tuple[str, str]]:
    editor = ("desk-assigner", secrets.token_urlsafe(16))
    run_dateline(
        live_data_dir,
        "manage",
        "shell",
        "-c",
        CREATE_EDITOR.format(username=editor[0], password=editor[1]),
    )
    translator = (TRANSLATOR, secrets.token_urlsafe(16))
    run_dateline(
        live_data_dir,
        "manage",
        "shell",
        "-c",
        GIVE_PASSWORD.format(username=translator[0], password=translator[1]),
    )
    return {"editor": editor, "translator": translator}


def test_an_assigned_translation_reaches_its_translator(page, new_page, accounts, screenshot_dir):
    violations = watch_policy_violations(page)
    sign_in(page, *accounts["editor"])
    page.goto("/admin/translations/?language=az")
    page.get_by_role("link", name=f"Assign the Azərbaycanca translation of “{HEADLINE}”").click()
    expect(page.get_by_role("heading", name="Assign a translation")).to_be_visible()
    page.locator("#id_assignee").select_option(label="Leyla Mammadova")
    due = (datetime.now() + timedelta(days=1)).strftime("%Y-%m-%d 10:30")
    page.get_by_label("Due").fill(due)
    page.get_by_label("Note for the translator").fill("Start from the second paragraph.")
    page.get_by_role("button", name="Assign", exact=True).click()
    expect(
        page.get_by_text(f"Leyla Mammadova translates “{HEADLINE}” into Azərbaycanca.")
    ).to_be_visible()
    row = page.locator("tr", has_text=HEADLINE)
    expect(row.locator('[data-state^="az:"] [data-assignee]')).to_contain_text("Leyla Mammadova")
    page.screenshot(path=str(screenshot_dir / "translations-assigned.png"))

    translator = new_page()
    violations += watch_policy_violations(translator)
    sign_in(translator, *accounts["translator"])
    panel = translator.locator("[data-assignments-panel]")
    expect(panel).to_contain_text(HEADLINE)
    translator.screenshot(path=str(screenshot_dir / "translator-dashboard.png"))
    translator.get_by_role("link", name="All your assignments").click()
    to_do = translator.locator('[data-my-assignments="to-do"]')
    # Hers from the demo (an out-of-date story) and the one just given.
    expect(to_do.locator("[data-assignment]")).to_have_count(2)
    korvan = to_do.locator("tr", has_text=HEADLINE)
    expect(korvan).to_contain_text("Start from the second paragraph.")
    translator.screenshot(path=str(screenshot_dir / "my-assignments.png"), full_page=True)
    korvan.get_by_role("button", name="Start translating").click()
    # The draft is made in her language and opens in the editor with the source's text.
    expect(translator.locator("#id_title")).to_have_value(HEADLINE)
    assert "/admin/pages/" in translator.url and "/edit/" in translator.url
    assert violations == []
