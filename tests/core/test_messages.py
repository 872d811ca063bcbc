"""Messages to the newsroom ("Page published", a failed sign-in) still reach the next
page, while readers' pages, which never show any, do not make a message store."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse

from dateline.core import middleware

pytestmark = pytest.mark.django_db


def counting_stores(monkeypatch) -> list:
    made = []
    real = middleware.default_storage

    def default_storage(request):
        made.append(request.path)
        return real(request)

    monkeypatch.setattr(middleware, "default_storage", default_storage)
    return made


def test_a_readers_page_makes_no_message_store(client, article, monkeypatch):
    made = counting_stores(monkeypatch)
    response = client.get(article.url)
    assert response.status_code == 200
    assert made == []
    assert "messages" not in response.cookies


def request_with_session(rf, cookies: dict | None = None):
    request = rf.get("/admin/")
    request.COOKIES.update(cookies or {})
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    return request


def test_a_message_given_by_a_view_is_shown_on_the_next_page(rf, monkeypatch):
    made = counting_stores(monkeypatch)

    def saving_view(request):
        messages.success(request, "The story was published.")
        return HttpResponse("saved")

    response = middleware.LazyMessageMiddleware(saving_view)(request_with_session(rf))
    assert len(made) == 1
    cookie = response.cookies["messages"].value

    shown = []

    def next_page(request):
        shown.extend(str(message) for message in messages.get_messages(request))
        return HttpResponse("next")

    after = middleware.LazyMessageMiddleware(next_page)(
        request_with_session(rf, {"messages": cookie})
    )
    assert shown == ["The story was published."]
    # Read once: the cookie is cleared so the message is not shown again.
    assert after.cookies["messages"].value == ""


def test_a_view_that_only_reads_the_level_works(rf):
    def view(request):
        return HttpResponse(str(messages.get_level(request)))

    response = middleware.LazyMessageMiddleware(view)(request_with_session(rf))
    assert response.content == str(messages.INFO).encode()
