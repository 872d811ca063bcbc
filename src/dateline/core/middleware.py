"""Request-wide concerns: the site's time zone, a cap on hostile query strings, methods
the site does not know, and admin forms whose bookkeeping fields were tampered with."""

import logging
from collections.abc import Callable
from types import TracebackType

from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.messages.storage import default_storage
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject, empty
from django.utils.translation import gettext as _

from . import fragments
from .errors import error_response
from .security import ADMIN_PREFIX

logger = logging.getLogger(__name__)

MAX_QUERY_STRING_BYTES = 4096

# Every method some address of the site answers; Wagtail's pages take the same set. Each
# view still refuses those of them it does not handle.
KNOWN_METHODS = ("GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE")


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


class LazyMessageMiddleware(MessageMiddleware):
    """Django's MessageMiddleware, with the message store made when a view or template
    first uses it. Readers' pages never do, and making it (a cookie signer and two stores)
    on every request was a fiftieth of an uncached story's answer."""

    def process_request(self, request: HttpRequest) -> None:
        request._messages = SimpleLazyObject(lambda: default_storage(request))

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        messages = request.__dict__.get("_messages")
        if isinstance(messages, SimpleLazyObject) and messages._wrapped is empty:
            return response  # never used: nothing was added or read, nothing to store
        return super().process_response(request, response)


class KnownMethodsMiddleware:
    """TRACE, CONNECT, WebDAV's methods and made-up ones get a 405 before any view runs:
    Django's views and Wagtail's page serving would otherwise answer them as a GET. The
    layers in front of Django (health checks, page cache, beacon) answer only GET, HEAD
    and POST, so every other method comes through here."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in KNOWN_METHODS:
            return self.get_response(request)
        if request.path_info.startswith("/api/"):
            response = JsonResponse(
                {"type": "about:blank", "title": "Method not allowed", "status": 405},
                status=405,
                content_type="application/problem+json",
            )
        else:
            # Before the language middleware: the reader's language comes from the path.
            language = translation.get_language_from_request(request, check_path=True)
            with translation.override(language):
                response = error_response(
                    request, 405, _("This address does not accept this kind of request.")
                )
        response["Allow"] = ", ".join(KNOWN_METHODS)
        response["Cache-Control"] = "no-store"
        return response


def _raised_reading_form_data(trace: TracebackType | None) -> bool:
    while trace is not None:
        if trace.tb_frame.f_code.co_name == "value_from_datadict":
            return True
        trace = trace.tb_next
    return False


class MalformedAdminFormMiddleware:
    """An admin form whose hidden bookkeeping fields are missing or garbage (a StreamField's
    `body-count`, `body-0-order`, `body-0-deleted`) makes Wagtail's widgets raise KeyError
    or ValueError while reading the post. That is a broken request, not a fault of the
    site: it gets a 400 and a warning. Only exceptions raised while a widget reads posted
    data are caught, so any other fault in the admin still surfaces as one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if (
            request.method != "POST"
            or not request.path_info.startswith(ADMIN_PREFIX)
            or not isinstance(exception, KeyError | ValueError | IndexError)
            or not _raised_reading_form_data(exception.__traceback__)
        ):
            return None
        logger.warning(
            "Unreadable form posted to %s (%s: %s)",
            request.path,
            type(exception).__name__,
            exception,
        )
        return error_response(
            request,
            400,
            _(
                "The form could not be read: some of its fields are missing or were "
                "changed. Reload the page and make the change again."
            ),
        )
