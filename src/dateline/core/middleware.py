"""Request-wide concerns: the site's time zone and a cap on hostile query strings."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import timezone
from django.utils.translation import gettext as _

from . import fragments
from .errors import error_response

MAX_QUERY_STRING_BYTES = 4096


class SiteTimeZoneMiddleware:
    """Shows every time in the zone the newsroom chose in its site settings."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_STRING_BYTES:
            if request.path_info.startswith("/api/"):
                return JsonResponse(
                    {"type": "about:blank", "title": "URI too long", "status": 414},
                    status=414,
                    content_type="application/problem+json",
                )
            return error_response(request, 414, _("The address is too long."))
        if request.path_info.startswith("/api/"):
            return self.get_response(request)  # the API gives times with their offset
        timezone.activate(fragments.site_settings().time_zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class SharedStateMiddleware:
    """Reads the content generation once per request (see fragments.py), so that the
    site, its settings and navigation come from this process's memory, not the database."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        fragments.begin_request()
        try:
            request._wagtail_site = fragments.site_for(request)
            return self.get_response(request)
        finally:
            fragments.end_request()


class SiteLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, except that a 404 outside the reader's pages (the API,
    the admin, files) stays a 404 instead of redirecting to a language prefix."""

    UNPREFIXED_PATHS = ("/api/", "/admin/", "/media/", "/static/", "/documents/")

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if request.path_info.startswith(self.UNPREFIXED_PATHS):
            return response
        return super().process_response(request, response)
