"""Error pages in the reader's language."""

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _


def error_response(request: HttpRequest, status: int, message: str) -> HttpResponse:
    """A small, self-contained error page that needs no database."""
    html = render_to_string(
        "error.html",
        {"status": status, "message": message, "home_label": _("Go to the home page")},
        request=None,
    )
    return HttpResponse(html, status=status)


def server_error(request: HttpRequest) -> HttpResponse:
    return error_response(request, 500, _("Something went wrong on our side. Please try again."))
