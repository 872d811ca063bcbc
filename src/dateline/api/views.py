"""Endpoints for view counting and most-read lists."""

from __future__ import annotations

import json
from typing import Literal

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from wagtail.models import Locale

from dateline.analytics import readers
from dateline.analytics.services import (
    RateLimited,
    is_counting_excluded,
    most_read,
    record_view,
)
from dateline.news.models import ArticlePage, SectionPage

from .errors import ApiProblem

router = Router(tags=["views"])

MAX_BEACON_BYTES = 1024


class ViewCount(Schema):
    article: int
    views: int
    counted: bool


class MostReadItem(Schema):
    id: int
    title: str
    url: str
    views: int


class MostRead(Schema):
    lang: str
    section: str | None
    window: str
    items: list[MostReadItem]


class MostReadQuery(Schema):
    lang: str = settings.LANGUAGE_CODE
    section: str | None = None
    window: Literal["24h", "7d"] = "24h"


def _read_beacon(request: HttpRequest) -> None:
    """The beacon's body is a small JSON object; anything else is refused with a reason."""
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if not declared.isdigit() or int(declared) > MAX_BEACON_BYTES:
        raise ApiProblem(413, "Payload too large", f"A beacon is at most {MAX_BEACON_BYTES} bytes.")
    if request.content_type != "application/json":
        raise ApiProblem(415, "Unsupported media type", "Send the beacon as application/json.")
    body = request.body
    if len(body) > MAX_BEACON_BYTES:
        raise ApiProblem(413, "Payload too large", f"A beacon is at most {MAX_BEACON_BYTES} bytes.")
    try:
        payload = json.loads(body or b"{}")
    except (ValueError, UnicodeDecodeError) as error:
        raise ApiProblem(400, "Malformed body", "The body is not valid JSON.") from error
    if not isinstance(payload, dict):
        raise ApiProblem(400, "Malformed body", "The body must be a JSON object.")


@router.post(
    "/articles/{article_id}/views",
    response=ViewCount,
    summary="Count a reader's view of an article",
    description=(
        "Sent by the article page once it is visible. A reader counts once per article per "
        "day; bots and signed-in editors are not counted. Never cached."
    ),
)
def count_view(request: HttpRequest, article_id: int, response: HttpResponse):
    _read_beacon(request)
    article = ArticlePage.objects.live().public().filter(pk=article_id).first()
    if article is None:
        raise ApiProblem(404, "Not found", "There is no published article with this id.")
    try:
        result = record_view(
            article,
            ip=readers.client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            is_staff_reader=is_counting_excluded(getattr(request, "user", None)),
        )
    except RateLimited as limited:
        raise ApiProblem(
            429,
            "Too many requests",
            f"Try again in {limited.retry_after} seconds.",
            headers={"Retry-After": str(limited.retry_after)},
        ) from limited
    response["Cache-Control"] = "no-store"
    return {"article": article.pk, "views": result.views, "counted": result.counted}


@router.get("/most-read", response=MostRead, summary="The most-read articles")
def most_read_list(request: HttpRequest, query: Query[MostReadQuery]):
    locale = Locale.objects.filter(language_code=query.lang).first()
    if locale is None:
        raise ApiProblem(400, "Unknown language", f"lang must be one of {_languages()}.")
    section = None
    if query.section:
        section = SectionPage.objects.live().filter(locale=locale, slug=query.section).first()
        if section is None:
            raise ApiProblem(
                400, "Unknown section", f"No section “{query.section}” in {query.lang}."
            )
    items = [
        {
            "id": article.pk,
            "title": article.title,
            "url": article.full_url or article.url,
            "views": views,
        }
        for article, views in most_read(locale, section, query.window, limit=10)
    ]
    return {"lang": query.lang, "section": query.section, "window": query.window, "items": items}


def _languages() -> str:
    return ", ".join(code for code, _name in settings.LANGUAGES)
