"""A reader signs up from a story page, confirms through the link in the e-mail (kept in
the data folder, as the embedded mode does), receives the day's digest, reads it in a
mail-sized window in light and dark, and leaves with the mail client's one-click
unsubscribe."""

from __future__ import annotations

import email
import email.policy
import os
import re
import secrets

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

READER = "morning.reader@example.org"
DIGEST_AT_MIDNIGHT = """
from datetime import time
from dateline.newsletters.models import NewsletterList
NewsletterList.objects.filter(
    kind=NewsletterList.DIGEST, locale__language_code="en"
).update(send_at=time(0, 0))
"""


def kept_mail(data_dir) -> list[email.message.EmailMessage]:
    """Every e-mail the site kept as a file, oldest first."""
    separator = b"\n" + b"-" * 79 + b"\n"
    found = []
    folder = data_dir / "mail"
    for path in sorted(folder.glob("*.log"), key=lambda path: path.stat().st_mtime):
        for chunk in path.read_bytes().split(separator):
            if chunk.strip():
                found.append(
                    email.message_from_bytes(chunk.strip(b"\n"), policy=email.policy.default)
                )
    return found


def to_reader(data_dir) -> list[email.message.EmailMessage]:
    return [message for message in kept_mail(data_dir) if READER in str(message["To"])]


def test_a_reader_subscribes_confirms_gets_the_digest_and_unsubscribes(
    page, new_page, live_site, live_data_dir, base_url, screenshot_dir
):
    story = page.request.get(f"{base_url}/api/v1/articles?lang=en").json()["items"][0]
    page.goto(
        story["url"].replace("http://127.0.0.1:8000", base_url)
        if "127.0.0.1:8000" in story["url"]
        else story["url"]
    )
    form = page.locator("[data-newsletter-signup]").first
    form.scroll_into_view_if_needed()
    form.get_by_label("Your e-mail address").fill(READER)
    page.screenshot(path=str(screenshot_dir / "newsletter-signup.png"))
    form.get_by_role("button", name="Sign up").click()
    expect(page.locator("[data-newsletter-sent]")).to_be_visible()

    live_site.run("worker", "--once")
    (confirmation,) = to_reader(live_data_dir)
    link = re.search(
        r"https?://\S+/confirm/\S+/", confirmation.get_body(("plain",)).get_content()
    ).group(0)
    assert link.startswith(base_url)
    page.goto(link)
    page.get_by_role("button", name="Confirm my subscription").click()
    expect(page.locator("[data-newsletter-confirmed]")).to_be_visible()

    # The English daily digest's time has come for its first reader: its hour is set to
    # midnight in the newsroom, so that it is due whatever the time of day of this run (at
    # the demo's 07:00 the test failed from midnight to 07:00 in Yerevan).
    live_site.shell(DIGEST_AT_MIDNIGHT)
    live_site.run("worker", "--once")
    digest = to_reader(live_data_dir)[-1]
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html = digest.get_body(("html",)).get_content()
    for scheme in ("light", "dark"):
        reader = new_page(viewport={"width": 600, "height": 900}, color_scheme=scheme)
        reader.set_content(html)
        expect(reader.locator("a").first).to_be_visible()
        reader.screenshot(
            path=str(screenshot_dir / f"newsletter-digest-{scheme}.png"), full_page=True
        )

    # What a mail client sends for its "Unsubscribe" button (RFC 8058).
    unsubscribe = str(digest["List-Unsubscribe"]).strip().strip("<>")
    answer = page.request.post(
        unsubscribe,
        data="List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert answer.status == 200
    preferences = re.search(
        r"https?://\S+/newsletters/preferences/\S+/", digest.get_body(("plain",)).get_content()
    ).group(0)
    page.goto(preferences)
    expect(page.get_by_text(READER)).to_be_visible()
    # Nothing ticked on the settings form (the footer's sign-up form has its own boxes).
    assert page.locator(".newsletter-preferences input[name=lists]:checked").count() == 0

    # The newsroom's Outbox shows what was sent.
    editor = ("outbox-editor", secrets.token_urlsafe(16))
    run_dateline(
        live_data_dir,
        "manage",
        "shell",
        "-c",
        CREATE_EDITOR.format(username=editor[0], password=editor[1]),
    )
    admin = new_page()
    sign_in(admin, *editor)
    admin.goto("/admin/newsletter_outbox/")
    expect(
        admin.locator("[data-outbox-message]", has_text="Confirm your newsletter subscription")
    ).to_have_count(1)
    admin.screenshot(path=str(screenshot_dir / "newsletter-outbox.png"))
