"""The newsroom keeps working under its Content Security Policy: an editor signs in,
opens the page explorer, edits and publishes a story, and the browser reports no
policy violation. The reader's pages are checked the same way."""

from __future__ import annotations

import os
import re
import secrets
import time

import pytest

from .conftest import run_dateline

try:
    from playwright.sync_api import Page, expect
except ImportError:  # the browser fixtures skip (or fail on CI) with the reason
    if os.environ.get("CI", "").lower() == "true":
        raise
    pytest.skip("Playwright for Python is not installed", allow_module_level=True)

pytestmark = pytest.mark.e2e

CREATE_EDITOR = """
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
user = get_user_model().objects.create_user({username!r}, password={password!r})
user.groups.add(Group.objects.get(name="Editors"))
"""


@pytest.fixture(scope="package")
def editor_login(base_url, live_data_dir) -> tuple[str, str]:
    username, password = "csp-editor", secrets.token_urlsafe(16)
    run_dateline(
        live_data_dir,
        "manage",
        "shell",
        "-c",
        CREATE_EDITOR.format(username=username, password=password),
    )
    return username, password


def watch_policy_violations(page: Page) -> list[str]:
    """Chromium reports every blocked script, style or frame on the console."""
    violations: list[str] = []

    def on_console(message) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            violations.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    return violations


def sign_in(page: Page, username: str, password: str) -> None:
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("navigation", name="Main menu")).to_be_visible()


def test_editor_edits_and_publishes_a_story_under_the_admin_policy(page, editor_login):
    violations = watch_policy_violations(page)
    sign_in(page, *editor_login)

    # The page explorer, down to the World section.
    page.goto("/admin/pages/")
    explore = "Explore child pages"
    page.locator("tr", has=page.locator("a[href='/en/']")).get_by_role("link", name=explore).click()
    world = page.get_by_role("link", name="World", exact=True)
    page.locator("tr", has=world).get_by_role("link", name=explore).click()

    # Edit the first story in it.
    page.locator("table.listing a[title='Edit this page']").first.click()
    title = page.locator("#id_title")
    expect(title).to_be_visible()
    new_title = title.input_value() + " (updated)"
    title.fill(new_title)

    # Publish from the footer's action menu.
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("has been published")
    expect(page.locator(".messages")).to_contain_text(new_title)

    assert not violations, "\n".join(violations)


def test_reader_pages_run_their_scripts_without_violations(page):
    violations = watch_policy_violations(page)
    page.goto("/en/")
    page.locator(".lead-title a, .card-title a").first.click()
    expect(page.locator("article.story h1.headline")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert page.locator("script[type='application/ld+json']").count() >= 1
    assert not violations, "\n".join(violations)


def current_code(secret: str, ahead: int = 0) -> str:
    """What the editor's authenticator app shows for the key it was given, now or
    `ahead` seconds from now (a code is accepted once, within one step either side)."""
    from base64 import b32decode

    from django_otp.oath import TOTP

    totp = TOTP(b32decode(secret), step=30, t0=0, digits=6)
    totp.time = time.time() + ahead
    return f"{totp.token():06d}"


def test_editor_turns_on_two_factor_and_must_then_give_a_code(page, live_data_dir):
    username, password = "otp-editor", secrets.token_urlsafe(16)
    run_dateline(
        live_data_dir,
        "manage",
        "shell",
        "-c",
        CREATE_EDITOR.format(username=username, password=password),
    )
    violations = watch_policy_violations(page)
    sign_in(page, username, password)

    # Enrol from the account page.
    page.goto("/admin/account/")
    page.get_by_role("tab", name="More actions").click()
    page.get_by_role("link", name="Two-factor sign-in").click()
    qr_width = page.locator("[data-two-factor-qr]").evaluate("image => image.naturalWidth")
    assert qr_width > 100, "the QR code did not load"
    secret = page.locator("[data-two-factor-secret]").inner_text()
    code_field = page.get_by_label("Code from your authenticator app")
    code_field.fill("000000" if current_code(secret) != "000000" else "111111")
    page.get_by_role("button", name="Turn two-factor sign-in on").click()
    expect(page.get_by_text("not right")).to_be_visible()
    time.sleep(1.5)  # django-otp makes the next try wait a second after a wrong code
    page.get_by_label("Code from your authenticator app").fill(current_code(secret))
    page.get_by_role("button", name="Turn two-factor sign-in on").click()
    expect(page.locator(".messages")).to_contain_text("Two-factor sign-in is on")

    # Sign out and in again: the password alone no longer opens the admin.
    page.context.clear_cookies()
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/two-factor/verify/"))
    expect(page.get_by_label("Code from your authenticator app")).to_be_visible()
    page.goto("/admin/pages/")
    expect(page).to_have_url(re.compile(r"/admin/two-factor/verify/"))
    expect(page.get_by_label("Code from your authenticator app")).to_be_visible()

    # A wrong code is refused; the right one opens the page asked for.
    page.get_by_label("Code from your authenticator app").fill("12345x")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".messages")).to_contain_text("digits only")
    wrong = "000000" if current_code(secret, ahead=30) != "000000" else "111111"
    page.get_by_label("Code from your authenticator app").fill(wrong)
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".messages")).to_contain_text("not right")
    time.sleep(1.5)
    # The code of the next step: the current one was used to turn two-factor on.
    page.get_by_label("Code from your authenticator app").fill(current_code(secret, ahead=30))
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/admin/pages/$"))
    expect(page.get_by_role("navigation", name="Main menu")).to_be_visible()

    assert not violations, "\n".join(violations)
