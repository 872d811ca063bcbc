"""Error pages in the reader's language."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _


def error_response(request: HttpRequest, status: int, message: str) -> HttpResponse:
    """A small, self-contained error page that needs no database."""
    html = render_to_string(
        "error.html",
        {"status": status, "message": message, "home_label": _("Go to the home page")},
        request=None,
    )
    return HttpResponse(html, status=status)


# How long a reader's browser (or a crawler) is asked to wait while the database is away.
RETRY_AFTER_SECONDS = 30


def server_error(request: HttpRequest) -> HttpResponse:
    # The failure may come before the language middleware ran (the site is looked up
    # first), and a worker thread keeps the last request's language: so the reader's
    # language is read again from the request, which needs no database.
    with translation.override(translation.get_language_from_request(request, check_path=True)):
        # Django calls this while handling the exception, so it can still be looked at.
        if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
            return database_unavailable(request)
        return error_response(
            request, 500, _("Something went wrong on our side. Please try again.")
        )


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """The database is down or unreachable: a short outage to sit out, not a broken page."""
    response = error_response(
        request,
        503,
        _("The site is briefly unavailable. Please try again in a minute."),
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
