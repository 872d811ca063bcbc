"""Tells the page models who is asking, for what they show without a request."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .permissions import current_viewer


class DraftViewerMiddleware:
    """Remembers the request's user while it is answered: a page's admin title hides a
    draft's headline from those who may not see the draft (news/permissions.py)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Read lazily by the title, so that requests that show no page pay nothing.
        token = current_viewer.set(getattr(request, "user", None))
        try:
            return self.get_response(request)
        finally:
            current_viewer.reset(token)
