"""The API's interactive documentation as a developer's browser shows it."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.e2e

try:
    from playwright.sync_api import Page, Route, expect
except ImportError:  # the conftest skips (or fails on CI) without Playwright
    Page = Route = expect = None


def test_the_api_docs_list_every_operation_from_the_site_alone(
    page: Page, base_url, screenshot_dir
):
    elsewhere: list[str] = []

    def only_the_site(route: Route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.route("**/*", only_the_site)
    document = page.request.get("/api/v1/openapi.json").json()
    operations = [
        (method.upper(), path) for path, methods in document["paths"].items() for method in methods
    ]

    page.goto("/api/v1/docs")

    listed = page.locator(".opblock")
    expect(listed).to_have_count(len(operations))
    for method, path in operations:
        expect(
            page.locator(f".opblock-{method.lower()}").filter(
                has=page.get_by_text(path, exact=True)
            )
        ).to_be_visible()
    expect(page.get_by_text("Count a reader's view of an article")).to_be_visible()
    page.screenshot(path=screenshot_dir / "api-docs.png", full_page=True)
    assert elsewhere == [], "the docs asked for something beyond the site"
    assert refused == [], "the site's Content Security Policy blocked part of the docs"
