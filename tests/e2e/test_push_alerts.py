"""Breaking-news alerts as a reader's Chromium drives them: the prompt after the second
story, turning alerts on, an alert pushed to (a local fake of) the browser's push
service that only the browser's key opens, the service worker showing it, and the bell
turning alerts off.

Headless Chromium cannot reach a real push service from here, so `pushManager` hands the
page a subscription at a local fake push service, with keys the test holds; everything
else is the site's own code."""

from __future__ import annotations

import json

import pytest

from tests.fake_service import Answer, FakeService
from tests.webapp.test_push import Browser

pytestmark = pytest.mark.e2e

try:
    from playwright.sync_api import expect
except ImportError:  # the conftest skips (or fails on CI) without Playwright
    expect = None

FAKE_PUSH_MANAGER = """
(() => {
  const subscription = {
    endpoint: %(endpoint)s,
    expirationTime: null,
    toJSON() { return {endpoint: this.endpoint, expirationTime: null, keys: %(keys)s}; },
    async unsubscribe() { window.localStorage.removeItem("fake-push"); return true; },
  };
  PushManager.prototype.subscribe = async function () {
    window.localStorage.setItem("fake-push", "1");
    return subscription;
  };
  PushManager.prototype.getSubscription = async function () {
    return window.localStorage.getItem("fake-push") ? subscription : null;
  };
})();
"""

COUNT = """
from dateline.webapp.models import PushSubscription
print(PushSubscription.objects.filter(endpoint={endpoint!r}, language="en").count())
"""

MARK = """
from datetime import timedelta
from django.utils import timezone
from dateline.news import breaking
from dateline.news.models import ArticlePage
story = ArticlePage.objects.live().get(url_path__endswith="/{slug}/", locale__language_code="en")
breaking.mark_breaking(story, expires_at=timezone.now() + timedelta(minutes=30))
print(story.title)
"""


@pytest.fixture
def push_service():
    service = FakeService(lambda call: Answer(201, b""))
    yield service
    service.close()


def test_a_reader_turns_alerts_on_gets_one_and_turns_them_off(
    new_page, base_url, live_site, push_service, screenshot_dir
):
    browser = Browser(f"{push_service.url}/push/reader-1")
    subscription = browser.subscription()
    page = new_page()
    page.context.grant_permissions(["notifications"], origin=base_url)
    page.context.add_init_script(
        FAKE_PUSH_MANAGER
        % {"endpoint": json.dumps(browser.endpoint), "keys": json.dumps(subscription["keys"])}
    )
    prompt = page.locator("[data-push-prompt]")

    page.goto(f"{base_url}/en/")
    links = page.locator(".card-title a")
    first, second = links.nth(1).get_attribute("href"), links.nth(2).get_attribute("href")
    page.wait_for_timeout(500)
    expect(prompt).to_be_hidden()  # never on a first visit
    page.goto(base_url + first)
    page.wait_for_timeout(500)
    expect(prompt).to_be_hidden()
    page.goto(base_url + second)
    expect(prompt).to_be_visible()
    page.screenshot(path=screenshot_dir / "push-prompt.png")

    page.locator("[data-push-accept]").click()
    expect(page.locator("[data-push-status]")).to_contain_text("alerts are on")
    bell = page.locator("[data-push-bell]")
    expect(bell).to_have_attribute("aria-pressed", "true")
    assert live_site.shell(COUNT.format(endpoint=browser.endpoint)).strip() == "1"

    slug = second.rstrip("/").rsplit("/", 1)[-1]
    title = live_site.shell(MARK.format(slug=slug)).strip().splitlines()[-1]
    live_site.run("worker", "--once")
    # Only this story: the demo's earlier breaking stories were marked before the reader
    # subscribed.
    (pushed,) = [call for call in push_service.calls if call.path == "/push/reader-1"]
    alert = browser.read(pushed.body)
    assert alert["title"] == title and alert["url"] == second

    # What the browser does with it: the service worker shows the notification.
    session = page.context.new_cdp_session(page)
    registrations = []
    session.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.extend(event["registrations"]),
    )
    session.send("ServiceWorker.enable")
    page.wait_for_timeout(500)
    registration = next(r for r in registrations if r["scopeURL"] == f"{base_url}/")
    session.send(
        "ServiceWorker.deliverPushMessage",
        {
            "origin": base_url,
            "registrationId": registration["registrationId"],
            "data": json.dumps(alert),
        },
    )
    page.wait_for_function(
        "navigator.serviceWorker.ready.then((worker) => worker.getNotifications())"
        f".then((shown) => shown.some((n) => n.title === {json.dumps(title)}))"
    )

    bell.click()
    expect(bell).to_have_attribute("aria-pressed", "false")
    expect(page.locator("[data-push-status]")).to_contain_text("alerts are off")
    assert live_site.shell(COUNT.format(endpoint=browser.endpoint)).strip() == "0"
