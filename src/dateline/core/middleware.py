"""Request-wide concerns: the site's time zone and a cap on hostile query strings."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import error_response
from .models import SiteSettings

MAX_QUERY_STRING_BYTES = 4096


class SiteTimeZoneMiddleware:
    """Shows every time in the zone the newsroom chose in its site settings."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_STRING_BYTES:
            return error_response(request, 414, _("The address is too long."))
        site_settings = SiteSettings.load(request_or_site=request)
        timezone.activate(site_settings.time_zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
