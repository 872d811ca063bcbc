"""Beacons answered before Django's request stack: a counted view needs no session,
middleware or URL routing, and the full stack costs more than the count itself.

Requests that carry a session cookie (an editor may be signed in) go through Django, where
signed-in editors are recognised and not counted. So do requests that fail a check Django's
middleware makes of every route (a host the site does not serve, plain HTTP when HTTPS is
required): Django then gives them the same 400 or redirect as any other address."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.core.signals import request_finished, request_started

from dateline.core.security import forget_untrusted_forwarded_proto

from .beacon import BeaconRefused, count_beacon

logger = logging.getLogger(__name__)

BEACON_PATH = re.compile(r"/api/v1/articles/([0-9]{1,18})/views")


# What Django's security middleware adds to other answers (docs/security.md); a beacon
# answer is data, never a page, so its policy allows nothing.
BEACON_SECURITY_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
)


def _json(start_response, status: int, reason: str, body: dict, content_type: str, headers=()):
    data = json.dumps(body).encode()
    start_response(
        f"{status} {reason}",
        [
            ("Content-Type", content_type),
            ("Content-Length", str(len(data))),
            ("Cache-Control", "no-store"),
            *BEACON_SECURITY_HEADERS,
            *headers,
        ],
    )
    return [data]


REASONS = {
    200: "OK",
    400: "Bad Request",
    404: "Not Found",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    429: "Too Many Requests",
    503: "Service Unavailable",
}


def passes_site_wide_checks(environ: dict) -> bool:
    """The host is one the site serves (ALLOWED_HOSTS), and the request came over HTTPS
    when SECURE_SSL_REDIRECT asks for it, as Django's middleware requires of every route."""
    request = WSGIRequest(environ)
    forget_untrusted_forwarded_proto(request.META)
    try:
        request.get_host()
    except DisallowedHost:
        return False
    return not settings.SECURE_SSL_REDIRECT or request.is_secure()


class BeaconFastPath:
    def __init__(self, app: Callable) -> None:
        self.app = app
        self.session_cookie = f"{settings.SESSION_COOKIE_NAME}="

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        match = BEACON_PATH.fullmatch(environ.get("PATH_INFO", ""))
        if (
            match is None
            or environ.get("REQUEST_METHOD") != "POST"
            or self.session_cookie in environ.get("HTTP_COOKIE", "")
            or not passes_site_wide_checks(environ)
        ):
            return self.app(environ, start_response)
        # The same signals Django's handler sends: connections are recycled as for any request.
        request_started.send(sender=self.__class__, environ=environ)
        try:
            answer = count_beacon(
                int(match.group(1)),
                meta=environ,
                read_body=lambda length: environ["wsgi.input"].read(length),
            )
            return _json(start_response, 200, "OK", answer, "application/json")
        except BeaconRefused as refused:
            problem = {
                "type": "about:blank",
                "title": refused.title,
                "status": refused.status,
                "detail": refused.detail,
            }
            return _json(
                start_response,
                refused.status,
                REASONS.get(refused.status, ""),
                problem,
                "application/problem+json",
                list(refused.headers.items()),
            )
        except Exception:
            logger.exception("counting a view failed")
            problem = {
                "type": "about:blank",
                "title": "Not counted",
                "status": 503,
                "detail": "The view could not be counted just now.",
            }
            return _json(
                start_response,
                503,
                "Service Unavailable",
                problem,
                "application/problem+json",
                [("Retry-After", "5")],
            )
        finally:
            request_finished.send(sender=self.__class__)
