"""An editor finds the demo's wire items in Incoming, opens one as a draft and finds it
filled in, in the editor, with no script or style blocked by the admin's policy."""

from __future__ import annotations

import os
import secrets

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

HEADLINE = "Fish market reopens after roof repairs"


@pytest.fixture(scope="module")
def wire_editor(live_data_dir) -> tuple[str, str]:
    username, password = "wire-editor", secrets.token_urlsafe(16)
    command = CREATE_EDITOR.format(username=username, password=password)
    run_dateline(live_data_dir, "manage", "shell", "-c", command)
    return username, password


def test_an_editor_opens_a_wire_item_as_a_draft(page, wire_editor, screenshot_dir):
    violations = watch_policy_violations(page)
    sign_in(page, *wire_editor)
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Incoming").click()
    expect(page.get_by_role("heading", name="Incoming")).to_be_visible()
    items = page.locator("[data-incoming-item]")
    # The demo's four sources: three English, two each in Russian, Armenian, Azerbaijani.
    expect(items).to_have_count(9)

    page.locator("[data-incoming-filters]").get_by_label("Language").select_option("en")
    page.get_by_role("button", name="Show").click()
    expect(items).to_have_count(3)
    page.screenshot(path=str(screenshot_dir / "incoming.png"), full_page=True)

    page.get_by_role("button", name=f"Open “{HEADLINE}” as a draft").click()
    expect(page.locator("#id_title")).to_have_value(HEADLINE)
    expect(page.locator("#id_standfirst")).to_have_value(
        "Traders return to the covered hall after six weeks in tents on the quay."
    )
    expect(page.locator("#id_source_url")).to_have_value(
        "https://wire.example.org/2026/fish-market-reopens"
    )
    expect(page.get_by_text("six weeks of roof repairs").first).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "incoming-draft.png"))

    # Back in Incoming, the item is no longer new; under "Used" it leads to the draft.
    page.goto("/admin/incoming/?language=en")
    expect(items).to_have_count(2)
    page.goto("/admin/incoming/?language=en&state=used")
    expect(page.get_by_role("link", name="Edit the draft")).to_have_count(1)
    assert violations == []
