"""Breaking news for the apps: the stories each language's banner shows now."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema

from dateline.news import breaking

from .articles import ERRORS
from .queries import LanguageQuery, resolve_locale

router = Router(tags=["breaking"])


class BreakingItem(Schema):
    id: int
    article_id: int
    label: str
    title: str
    url: str
    marked_at: datetime
    expires_at: datetime


class Breaking(Schema):
    lang: str
    items: list[BreakingItem]


@router.get(
    "/breaking",
    response={200: Breaking, **ERRORS},
    summary="Stories marked breaking in one language, newest first",
    description=(
        "What the site's banner shows now: each item until its `expires_at` or until an "
        f"editor clears it. Kept by caches for {breaking.SHARED_SECONDS} seconds; poll it "
        "no more often."
    ),
)
def breaking_news(request: HttpRequest, response: HttpResponse, query: Query[LanguageQuery]):
    locale = resolve_locale(query.lang)
    seconds = breaking.SHARED_SECONDS
    response["Cache-Control"] = f"public, max-age={seconds}, s-maxage={seconds}"
    return {
        "lang": locale.language_code,
        "items": [
            {
                "id": item.id,
                "article_id": item.story_id,
                "label": item.label,
                "title": item.title,
                "url": item.url,
                "marked_at": item.marked_at,
                "expires_at": item.expires_at,
            }
            for item in breaking.breaking_items(locale.language_code)
        ],
    }
