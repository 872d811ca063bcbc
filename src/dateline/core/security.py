"""Security headers, trusted proxies and sign-in throttling (docs/security.md)."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from collections.abc import Callable
from dataclasses import asdict
from functools import lru_cache
from urllib.parse import urlsplit

from csp.constants import HEADER
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from csp.utils import build_policy
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _

from dateline.core.clients import client_ip, is_trusted_proxy

ADMIN_PREFIX = "/admin/"
# Scripts the admin's own templates write inline: `<script` not already carrying a nonce.
INLINE_SCRIPT_TAG = re.compile(rb"<script(?![^>]*\snonce=)(?=[\s>])", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style>(.*?)</style>", re.DOTALL)


class TrustedProxyMiddleware:
    """X-Forwarded-Proto says whether the reader came over HTTPS; only a trusted proxy
    may say so, or anyone could make the site believe a plain-HTTP request was secure."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        forget_untrusted_forwarded_proto(request.META)
        return self.get_response(request)


def forget_untrusted_forwarded_proto(meta: dict) -> None:
    """Drop X-Forwarded-Proto unless a trusted proxy sent it; the middleware above and
    the beacon's fast path in front of Django both apply it."""
    if "HTTP_X_FORWARDED_PROTO" in meta and not is_trusted_proxy(meta.get("REMOTE_ADDR", "")):
        del meta["HTTP_X_FORWARDED_PROTO"]


@lru_cache(maxsize=1)
def error_page_style_hashes() -> tuple[str, ...]:
    """The error page carries its own small style sheet, so it shows even when static
    files cannot be served; the policy allows exactly that style by its hash."""
    from django.template.loader import get_template

    source = get_template("error.html").template.source
    return tuple(
        f"'sha256-{base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()}'"
        for css in STYLE_ELEMENT.findall(source)
    )


def admin_directives(nonce: str) -> dict[str, list[str]]:
    """The Wagtail admin writes inline scripts for its widgets and inline styles: its
    scripts run by this response's nonce, its styles are allowed inline."""
    directives = {
        name: list(values)
        for name, values in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"].items()
    }
    directives["script-src"] = ["'self'", f"'nonce-{nonce}'"]
    directives["style-src"] = ["'self'", "'unsafe-inline'"]
    directives["img-src"] = ["'self'", "data:", "blob:"]
    return directives


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with two policies: the public one from settings (fixed,
    so cached pages can carry it) and the admin's, with a fresh nonce per response."""

    def _make_nonce(self, request: HttpRequest) -> str:
        # Hex, so the nonce can stand unquoted in HTML and inside JSON strings alike.
        if getattr(request, "_csp_nonce", None) is None:
            request._csp_nonce = secrets.token_hex(16)
        return request._csp_nonce

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if report_only:
            return parts
        if request.path_info.startswith(ADMIN_PREFIX):
            nonce = self._make_nonce(request)
            parts.config = admin_directives(nonce)
            parts.nonce = None  # the directives above carry it already
            return parts
        if response.status_code >= 400 and error_page_style_hashes():
            directives = dict(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"])
            directives["style-src"] = [*directives["style-src"], *error_page_style_hashes()]
            parts.config = directives
        return parts

    # The public policy's header and the settings it was built from.
    _public_header: tuple[object, str] | None = None

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if request.path_info.startswith(ADMIN_PREFIX):
            stamp_admin_scripts(response, self._make_nonce(request))
            return super().process_response(request, response)
        header = self._fixed_public_header(request, response)
        if header is None:
            return super().process_response(request, response)
        if HEADER not in response:
            response[HEADER] = header
        # As django-csp does once its header is written: a nonce asked for now is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

    def _fixed_public_header(self, request: HttpRequest, response: HttpResponseBase) -> str | None:
        """The public policy, built once: it is the same for every reader's answer that
        neither asked for a nonce nor carries a policy of its own. Building it took a
        twentieth of an uncached story's time. None for any other answer."""
        config = settings.CONTENT_SECURITY_POLICY
        if (
            response.status_code >= 400
            or getattr(request, "_csp_nonce", None) is not None
            or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
            or config.get("EXCLUDE_URL_PREFIXES")
            or any(name.startswith("_csp") for name in vars(response))
        ):
            return None
        built = self._public_header
        if built is None or built[0] is not config:
            parts = self.get_policy_parts(request, response)
            built = (config, build_policy(**asdict(parts)))
            self._public_header = built
        return built[1]


def stamp_admin_scripts(response: HttpResponseBase, nonce: str) -> None:
    """Give the inline scripts of an admin page this response's nonce. Inline event
    handlers and `javascript:` URLs stay forbidden, which is what most injected markup
    relies on. Only HTML: in HTML, text from editors is escaped and cannot look like a
    tag, whereas JSON carries it as typed."""
    content_type = response.get("Content-Type", "")
    if getattr(response, "streaming", False) or not content_type.startswith("text/html"):
        return
    content = response.content
    if b"<script" not in content.lower():
        return
    response.content = INLINE_SCRIPT_TAG.sub(b"<script nonce=" + nonce.encode(), content)
    if response.has_header("Content-Length"):
        response["Content-Length"] = str(len(response.content))


def client_ip_for_axes(request: HttpRequest) -> str:
    """Sign-in failures are counted per address as readers' views are: X-Forwarded-For
    only from DATELINE_TRUSTED_PROXIES."""
    return client_ip(request)


def login_locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    response = render(
        request,
        "core/login_locked_out.html",
        {"minutes": minutes, "title": _("Too many failed sign-ins")},
        status=429,
    )
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response


def sent_from_elsewhere(request: HttpRequest) -> bool:
    """A POST whose Origin (or, without one, Referer) names another site: how forms and
    calls on cached pages, which carry no CSRF token, refuse cross-site requests."""
    origin = request.headers.get("Origin") or request.headers.get("Referer") or ""
    if not origin or origin == "null":
        return bool(origin)
    host = urlsplit(origin).netloc.lower()
    allowed = {request.get_host().lower(), urlsplit(settings.DATELINE_BASE_URL).netloc.lower()}
    return host not in allowed
