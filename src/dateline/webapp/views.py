"""The installable site: a web app manifest per language, the service worker, and the
page a reader sees offline.

The service worker (templates/webapp/sw.js) asks the network first for every page, so a
reader online never gets an old copy; it keeps the last stories the reader opened, and
answers with them, or with the offline page in the reader's language, only when the
network is not there. Hashed static files (their names change with their content) come
from its cache first. It leaves everything else alone: the API, the view counter's
beacon, forms."""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language, get_language_bidi, gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from dateline.core.clients import client_ip, client_network
from dateline.core.models import SiteSettings
from dateline.core.ratelimit import RateLimited, check_shared
from dateline.core.security import sent_from_elsewhere

from . import push, services

# Light and dark, as the site's own colours (static/dateline/css/site.css).
THEME_COLOUR = "#c8102e"
BACKGROUND = "#ffffff"
DARK_BACKGROUND = "#121316"
ICONS = [
    ("dateline/icons/icon-192.png", "192x192", "any"),
    ("dateline/icons/icon-512.png", "512x512", "any"),
    ("dateline/icons/icon-maskable-512.png", "512x512", "maskable"),
]
# What the offline page needs, kept when the service worker is installed.
SHELL_FILES = [
    "dateline/css/site.css",
    "dateline/js/prefs.js",
    "dateline/js/site.js",
    "dateline/js/offline.js",
    "dateline/favicon.svg",
]
# The first part of a path that is not a section: no story lives below it.
NOT_SECTIONS = ["tags", "authors", "corrections", "search", "newsletters", "offline", "live"]
# How many stories the service worker keeps for reading offline.
KEPT_STORIES = 30


def manifest(request: HttpRequest) -> JsonResponse:
    language = get_language()
    texts = SiteSettings.load().texts_for(language)
    home = f"/{language}/"
    data = {
        "id": home,
        "name": texts.site_name,
        "short_name": texts.site_name[:12],
        "description": texts.tagline,
        "lang": language,
        "dir": "rtl" if get_language_bidi() else "ltr",
        "start_url": home,
        "scope": "/",
        "display": "standalone",
        "background_color": BACKGROUND,
        "theme_color": THEME_COLOUR,
        "icons": [
            {"src": static(path), "sizes": sizes, "type": "image/png", "purpose": purpose}
            for path, sizes, purpose in ICONS
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    response["Cache-Control"] = "public, max-age=3600"
    return response


def _release() -> str:
    """Changes whenever a release changes the static files (their hashed names)."""
    names = [static("dateline/css/site.css"), static("dateline/js/site.js")]
    names += [static(path) for path, _, _ in ICONS]
    return hashlib.sha256("|".join(names).encode()).hexdigest()[:16]


def service_worker(request: HttpRequest) -> HttpResponse:
    offline_pages = {}
    for code, _ in settings.LANGUAGES:
        with translation.override(code):
            offline_pages[code] = reverse("webapp:offline")
    context = {
        "release": _release(),
        "offline_pages": json.dumps(offline_pages),
        "shell_files": json.dumps([static(path) for path in SHELL_FILES]),
        "default_language": settings.LANGUAGE_CODE,
        "static_prefix": json.dumps(settings.STATIC_URL),
        "not_sections": json.dumps(NOT_SECTIONS),
        "kept_stories": KEPT_STORIES,
        "icon": json.dumps(static(ICONS[0][0])),
    }
    response = render(request, "webapp/sw.js", context, content_type="text/javascript")
    # Browsers look for a new worker on each visit; a copy an hour old is fine for a CDN.
    response["Cache-Control"] = "public, max-age=0, s-maxage=3600"
    return response


def offline(request: HttpRequest) -> HttpResponse:
    return render(request, "webapp/offline.html")


# Web push: the reader's browser asks for alerts in the page's language, or stops them.
# The bell and the prompt sit on cached pages, so these calls carry no CSRF token; a call
# from another site is refused by its Origin instead.

MAX_BODY = 4096


def _json_error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _read_json(request: HttpRequest) -> object:
    if len(request.body) > MAX_BODY:
        raise ValueError(gettext("The request is too large."))
    try:
        return json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise ValueError(gettext("Send JSON.")) from None


@never_cache
def push_key(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"key": push.application_server_key()})


@never_cache
@csrf_exempt
@require_POST
def push_subscribe(request: HttpRequest) -> JsonResponse:
    if sent_from_elsewhere(request):
        return _json_error(gettext("This can only be asked from this site."), 403)
    try:
        check_shared(
            f"push-subscribe:{client_network(client_ip(request))}",
            settings.DATELINE_PUSH_SUBSCRIPTIONS_PER_ADDRESS,
            3600,
        )
    except RateLimited as limited:
        response = _json_error(gettext("Too many requests from here; try again later."), 429)
        response["Retry-After"] = str(limited.retry_after)
        return response
    try:
        data = _read_json(request)
        services.subscribe(data, get_language())
    except ValueError as error:
        status = 413 if len(request.body) > MAX_BODY else 400
        return _json_error(str(error), status)
    except ValidationError as error:
        return _json_error(" ".join(error.messages), 400)
    return JsonResponse({"subscribed": True, "language": get_language()}, status=201)


@never_cache
@csrf_exempt
@require_POST
def push_unsubscribe(request: HttpRequest) -> JsonResponse:
    if sent_from_elsewhere(request):
        return _json_error(gettext("This can only be asked from this site."), 403)
    try:
        data = _read_json(request)
    except ValueError as error:
        return _json_error(str(error), 400)
    endpoint = data.get("endpoint") if isinstance(data, dict) else None
    return JsonResponse({"subscribed": False, "removed": services.unsubscribe(endpoint)})


@never_cache
@csrf_exempt
@require_POST
def push_opened(request: HttpRequest, alert_id: int) -> HttpResponse:
    """A count of alerts opened, from the service worker; nothing about who opened it."""
    if sent_from_elsewhere(request):
        return _json_error(gettext("This can only be asked from this site."), 403)
    services.note_opened(alert_id)
    return HttpResponse(status=204)
