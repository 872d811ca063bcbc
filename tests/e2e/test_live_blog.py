"""A reader keeps a live blog open while editors post: the new update is offered without
a reload, a hidden tab stops asking, and editors posting at once lose nothing."""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import threading
import time
import urllib.request

import pytest
import requests

from .conftest import run_dateline
from .test_admin_security import CREATE_EDITOR, sign_in

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixtures skip (or fail on CI) with the reason
    if os.environ.get("CI", "").lower() == "true":
        raise
    pytest.skip("Playwright for Python is not installed", allow_module_level=True)

pytestmark = pytest.mark.e2e

FIND_BLOGS = """
import json
from dateline.news.models import LiveBlogPage
blogs = LiveBlogPage.objects.live().filter(locale__language_code="en")
covering = next(blog for blog in blogs if blog.is_covering)
ended = next(blog for blog in blogs if not blog.is_covering)
print(json.dumps({"id": covering.pk, "url": covering.url, "ended_url": ended.url}))
"""

HIDE_TAB = """
() => {
  Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "hidden" });
  document.dispatchEvent(new Event("visibilitychange"));
}
"""

SHOW_TAB = """
() => {
  Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "visible" });
  document.dispatchEvent(new Event("visibilitychange"));
}
"""


@pytest.fixture(scope="module")
def live_desk(live_data_dir) -> dict:
    logins = []
    for number in range(2):
        username, password = f"live-editor-{number}", secrets.token_urlsafe(16)
        run_dateline(
            live_data_dir,
            "manage",
            "shell",
            "-c",
            CREATE_EDITOR.format(username=username, password=password),
        )
        logins.append((username, password))
    found = run_dateline(live_data_dir, "manage", "shell", "-c", FIND_BLOGS)
    return {"logins": logins, **json.loads(found.stdout.strip().splitlines()[-1])}


def polls_of(page) -> list[float]:
    asked: list[float] = []
    page.on(
        "request",
        lambda request: "/updates.json" in request.url and asked.append(time.monotonic()),
    )
    return asked


def test_a_reader_sees_an_editors_update_without_reloading(new_page, live_desk, screenshot_dir):
    reader = new_page()
    reader.goto(live_desk["url"])
    reader.evaluate("() => { window.openedOnce = true; }")

    editor = new_page()
    sign_in(editor, *live_desk["logins"][0])
    editor.goto(f"/admin/live/{live_desk['id']}/")
    editor.get_by_label("Headline").fill("Ferry service resumes")
    editor.wait_for_load_state("networkidle")  # the rich text editor has started
    text = editor.locator(".public-DraftEditor-content")
    text.click()
    text.press_sequentially("The first ferry left the harbour at six.", delay=20)
    expect(text).to_contain_text("The first ferry left the harbour at six.")
    # The rich text editor writes what was typed into the form every quarter second.
    editor.wait_for_timeout(600)
    editor.get_by_role("button", name="Post").click()
    expect(editor.get_by_text("Update posted.")).to_be_visible()
    posted_at = time.monotonic()

    offer = reader.get_by_role("button", name="1 new update")
    expect(offer).to_be_visible(timeout=15_000)
    delay = time.monotonic() - posted_at
    offer.click()
    newest = reader.locator("[data-live-updates] > li").first
    expect(newest).to_contain_text("Ferry service resumes")
    expect(newest).to_contain_text("The first ferry left the harbour at six.")
    assert reader.evaluate("() => window.openedOnce") is True  # no reload happened
    assert delay < 10
    reader.screenshot(path=str(screenshot_dir / "live-blog-new-update.png"))


def test_a_hidden_tab_stops_asking_and_an_ended_blog_never_asks(new_page, live_desk):
    reader = new_page()
    asked = polls_of(reader)
    reader.goto(live_desk["url"])
    reader.wait_for_timeout(9_000)
    assert len(asked) >= 1
    reader.evaluate(HIDE_TAB)
    hidden_at = time.monotonic()
    reader.wait_for_timeout(10_000)
    assert [at for at in asked if at > hidden_at + 0.5] == []
    reader.evaluate(SHOW_TAB)
    reader.wait_for_timeout(1_000)
    assert [at for at in asked if at > hidden_at + 0.5]  # asks at once when shown again

    archive = new_page()
    archive_asked = polls_of(archive)
    archive.goto(live_desk["ended_url"])
    expect(archive.get_by_text("This live coverage has ended.")).to_be_visible()
    archive.wait_for_timeout(9_000)
    assert archive_asked == []


def signed_in_session(base_url: str, username: str, password: str) -> requests.Session:
    session = requests.Session()
    login = session.get(f"{base_url}/admin/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text).group(1)
    answer = session.post(
        f"{base_url}/admin/login/",
        data={"csrfmiddlewaretoken": token, "username": username, "password": password},
        headers={"Referer": f"{base_url}/admin/login/"},
        timeout=30,
    )
    assert answer.ok and "/admin/login/" not in answer.url
    return session


def draftail(text: str) -> str:
    block = {"key": "a1", "text": text, "type": "unstyled", "depth": 0}
    block |= {"inlineStyleRanges": [], "entityRanges": []}
    return json.dumps({"blocks": [block], "entityMap": {}})


def test_editors_posting_at_once_lose_no_update(base_url, live_desk):
    desk = f"{base_url}/admin/live/{live_desk['id']}/"
    sessions = [signed_in_session(base_url, *login) for login in live_desk["logins"]]
    start = threading.Barrier(len(sessions))
    outcomes: list[int] = []

    def post_many(number: int, session: requests.Session) -> None:
        token = re.search(
            r'name="csrfmiddlewaretoken" value="([^"]+)"', session.get(desk, timeout=30).text
        ).group(1)
        start.wait()
        for count in range(8):
            answer = session.post(
                desk,
                data={
                    "csrfmiddlewaretoken": token,
                    "headline": f"Desk {number} update {count}",
                    "body": draftail(f"Report {count} from desk {number}."),
                },
                headers={"Referer": desk},
                allow_redirects=False,
                timeout=60,
            )
            outcomes.append(answer.status_code)

    threads = [
        threading.Thread(target=post_many, args=(number, session))
        for number, session in enumerate(sessions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert outcomes == [302] * 16

    expected = {f"Desk {number} update {count}" for number in range(2) for count in range(8)}
    assert expected <= shown_headlines(f"{base_url}/en/live/{live_desk['id']}/updates.json")


def shown_headlines(address: str) -> set[str]:
    """What readers' pages get, once the copy kept from before the posts has been replaced
    (the first reader after a change may get the kept copy while the new one is made)."""
    deadline = time.monotonic() + 15
    while True:
        with urllib.request.urlopen(address, timeout=30) as answer:
            shown = json.loads(answer.read())
        found = {
            match
            for update in shown["updates"]
            for match in re.findall(r"Desk \d update \d", update["html"])
        }
        if len(found) >= 16 or time.monotonic() > deadline:
            return found
        time.sleep(0.5)


def test_more_open_pages_than_a_thousand_do_not_keep_the_next_reader_waiting(base_url):
    """Each open page keeps its connection between asks; the server keeps them all and
    still lets a new reader in at once (it used to stop accepting at 1,024)."""
    host, port = base_url.removeprefix("http://").split(":")
    request = f"GET /robots.txt HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode()
    held = []
    try:
        for _ in range(1_100):
            connection = socket.create_connection((host, int(port)), timeout=10)
            connection.sendall(request)
            assert connection.recv(64).startswith(b"HTTP/1.1 200")
            held.append(connection)
        started = time.monotonic()
        with urllib.request.urlopen(f"{base_url}/robots.txt", timeout=10) as answer:
            assert answer.status == 200
        assert time.monotonic() - started < 3
    finally:
        for connection in held:
            connection.close()


POST_MANY = """
from dateline.news import live
from dateline.news.models import LiveBlogPage
blog = LiveBlogPage.objects.get(pk={blog_id})
for number in range(25):
    live.post_update(blog, body=f"<p>Earlier report {{number}}.</p>")
print(blog.live_updates.count())
"""


def test_older_updates_come_in_as_the_reader_scrolls(new_page, base_url, live_data_dir, live_desk):
    posted = run_dateline(
        live_data_dir, "manage", "shell", "-c", POST_MANY.format(blog_id=live_desk["id"])
    )
    total = int(posted.stdout.strip().splitlines()[-1])
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:  # until the copy from before the posts is replaced
        with urllib.request.urlopen(base_url + live_desk["url"], timeout=30) as answer:
            if "Earlier report 24." in answer.read().decode():
                break
        time.sleep(0.5)
    reader = new_page()
    reader.goto(live_desk["url"])
    shown = reader.locator("[data-live-updates] > li > [data-update-id]")
    expect(shown).to_have_count(20)
    for _ in range(10):
        if reader.locator("[data-live-older]").count() == 0:
            break
        reader.locator("[data-live-older]").scroll_into_view_if_needed()
        reader.wait_for_timeout(500)
    expect(shown).to_have_count(total)
    ids = [int(i) for i in shown.evaluate_all("nodes => nodes.map(n => n.dataset.updateId)")]
    assert ids == sorted(set(ids), reverse=True)
    assert reader.url.endswith(live_desk["url"])  # paged in, not a new page
