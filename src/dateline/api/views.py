"""Endpoints for view counting and most-read lists."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import Path, Query, Router, Schema

from dateline.analytics.beacon import MAX_BEACON_BYTES, BeaconRefused, count_beacon
from dateline.analytics.services import is_counting_excluded, most_read
from dateline.news.models import SectionPage

from .errors import ApiProblem, bad_parameter
from .queries import MAX_ID, LanguageQuery, Slug, resolve_locale
from .schemas import Problem

router = Router(tags=["views"])


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


class MostReadQuery(LanguageQuery):
    section: Slug | None = None
    window: Literal["24h", "7d"] = "24h"


# The body is read by analytics.beacon (shared with the fast path in front of Django), not
# by the API, so it is declared here: an empty JSON object, which is all the page sends.
BEACON_BODY = {
    "required": True,
    "description": (
        "`{}` as application/json; without it the answer is 415. Bodies over "
        f"{MAX_BEACON_BYTES} bytes are refused with 413."
    ),
    "content": {
        "application/json": {
            "schema": {"type": "object", "additionalProperties": False},
            "example": {},
        }
    },
}


@router.post(
    "/articles/{article_id}/views",
    openapi_extra={"requestBody": BEACON_BODY},
    response={
        200: ViewCount,
        400: Problem,
        404: Problem,
        413: Problem,
        415: Problem,
        422: Problem,
        429: Problem,
    },
    summary="Count a reader's view of an article",
    description=(
        "Sent by the article page once it is visible. A reader counts once per article per "
        "day; bots and signed-in editors are not counted. Never cached."
    ),
)
def count_view(
    request: HttpRequest, response: HttpResponse, article_id: int = Path(..., ge=1, le=MAX_ID)
):
    # Beacons without a session are answered in front of Django (analytics.fastpath);
    # this view serves the others, with the same rules.
    try:
        answer = count_beacon(
            article_id,
            meta=request.META,
            read_body=lambda length: request.body,
            is_staff_reader=is_counting_excluded(getattr(request, "user", None)),
        )
    except BeaconRefused as refused:
        raise ApiProblem(
            refused.status, refused.title, refused.detail, refused.headers
        ) from refused
    response["Cache-Control"] = "no-store"
    return answer


@router.get(
    "/most-read",
    response={200: MostRead, 400: Problem, 422: Problem, 429: Problem},
    summary="The most-read articles",
)
def most_read_list(request: HttpRequest, query: Query[MostReadQuery]):
    locale = resolve_locale(query.lang)
    section = None
    if query.section:
        section = SectionPage.objects.live().filter(locale=locale, slug=query.section).first()
        if section is None:
            raise bad_parameter(
                "section", f"No section “{query.section}” in {query.lang}.", "Unknown section"
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
