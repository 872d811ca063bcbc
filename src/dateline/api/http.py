"""HTTP behaviour of every API read: CORS, caching headers, ETag and 304, gzip and the
per-client rate limit. The endpoints only produce JSON; this wraps them.

Responses are made to be cached by anyone (a page cache, a CDN, the app): they depend
only on the URL, never on cookies, so they vary on nothing but Accept-Encoding."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import get_conditional_response, patch_vary_headers

from dateline.core.ratelimit import RateLimited

from . import throttle
from .errors import PROBLEM_TYPE

API_PREFIX = "/api/"
READS = {"GET", "HEAD"}
EXPOSED_HEADERS = "ETag, Retry-After"


def cache_control() -> str:
    return (
        f"public, max-age={settings.DATELINE_API_MAX_AGE}, "
        f"s-maxage={settings.DATELINE_API_SHARED_MAX_AGE}, "
        f"stale-while-revalidate={settings.DATELINE_API_STALE_WHILE_REVALIDATE}"
    )


def etag_for(content: bytes) -> str:
    return '"' + hashlib.blake2b(content, digest_size=16).hexdigest() + '"'


def _too_many(retry_after: int) -> HttpResponse:
    body = {
        "type": "about:blank",
        "title": "Too many requests",
        "status": 429,
        "detail": f"Try again in {retry_after} seconds.",
    }
    response = HttpResponse(json.dumps(body), status=429, content_type=PROBLEM_TYPE)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


def _preflight() -> HttpResponse:
    response = HttpResponse(status=204)
    response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
    response["Access-Control-Allow-Headers"] = "If-None-Match, Accept, Accept-Language"
    response["Access-Control-Max-Age"] = "86400"
    return response


class ApiHttpMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.gzip = GZipMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        if request.method == "OPTIONS" and "HTTP_ORIGIN" in request.META:
            return self._cors(_preflight())
        if request.method not in READS:
            return self.get_response(request)  # beacons keep their own rules and limit
        try:
            throttle.check(request)
        except RateLimited as limited:
            return self._cors(_too_many(limited.retry_after))
        response = self.get_response(request)
        return self._finish_read(request, response)

    def _cors(self, response: HttpResponse) -> HttpResponse:
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        return response

    def _finish_read(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        self._cors(response)
        if response.streaming:
            return response
        if response.status_code == 200:
            if not response.has_header("Cache-Control"):
                response["Cache-Control"] = cache_control()
            if not response.has_header("ETag"):
                response["ETag"] = etag_for(response.content)
            conditional = get_conditional_response(
                request, etag=response["ETag"], response=response
            )
            if conditional is not response:
                patch_vary_headers(conditional, ["Accept-Encoding"])
                return self._cors(conditional)
        elif not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
        return self.gzip.process_response(request, response)
