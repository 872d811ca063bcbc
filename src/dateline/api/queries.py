"""Query parameters the API accepts, with the limits that keep any input a 4xx."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Literal

from django.conf import settings
from ninja import Schema
from pydantic import AfterValidator, Field
from wagtail.models import Locale

from dateline.core import fragments

from .errors import bad_parameter

MAX_ID = 2**63 - 1
SLUG = r"^[-\w]+$"
SITE_LANGUAGES = [code for code, _name in settings.LANGUAGES]
# What /articles/by-path can look up: a path that starts with a site language and names
# more than the language, alone or behind the site's address (http(s), a host name and an
# optional port). The same expression is published in the OpenAPI document.
ARTICLE_ADDRESS = re.compile(
    r"^(?:https?://[-A-Za-z0-9.]+(?::[0-9]{1,5})?)?"
    rf"/(?:{'|'.join(re.escape(code) for code in SITE_LANGUAGES)})/+"
    r"[^/?#\x00-\x1f\x7f][^\x00-\x1f\x7f]*$"
)


def _aware(value: datetime) -> datetime:
    """A time without a zone is UTC; times that cannot be stored are refused. The time is
    given to the database in UTC: an offset such as +23:55 is valid ISO 8601 but beyond what
    PostgreSQL takes."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    try:
        if not 1900 <= value.year <= 9000:
            raise OverflowError
        return value.astimezone(UTC)
    except (OverflowError, ValueError):
        raise ValueError("must be a time between the years 1900 and 9000") from None


Moment = Annotated[
    datetime,
    AfterValidator(_aware),
    # The years _aware takes, so that a time the document calls valid is one it takes.
    Field(json_schema_extra={"pattern": r"^(?:19[0-9]{2}|[2-8][0-9]{3}|9000)-"}),
]
Slug = Annotated[str, Field(max_length=255, pattern=SLUG)]
LanguageCode = Annotated[
    str,
    # Declared as the site's languages, checked by resolve_locale: any other code is a 400
    # naming `lang` and the languages there are, rather than a bare validation error.
    Field(
        description="A site language, e.g. `en`; the default language when left out.",
        json_schema_extra={"enum": SITE_LANGUAGES},
    ),
]


def default_language() -> str:
    return settings.LANGUAGE_CODE


def resolve_locale(code: str) -> Locale:
    """The Locale of a site language; a 400 naming `lang` for any other."""
    languages = [language for language, _name in settings.LANGUAGES]
    locale = (
        fragments.remembered_structure(
            ("locale", code), lambda: Locale.objects.filter(language_code=code).first()
        )
        if code in languages
        else None
    )
    if locale is None:
        raise bad_parameter(
            "lang", f"lang must be one of {', '.join(languages)}.", title="Unknown language"
        )
    return locale


class LanguageQuery(Schema):
    lang: LanguageCode = Field(default_factory=default_language)


class PageQuery(LanguageQuery):
    limit: int = Field(
        settings.DATELINE_API_PAGE_SIZE, ge=1, le=settings.DATELINE_API_MAX_PAGE_SIZE
    )
    cursor: str | None = Field(None, max_length=500, description="From the previous `next`.")


class ArticleQuery(PageQuery):
    section: Slug | None = Field(None, description="A section's slug in `lang`.")
    tag: Slug | None = Field(None, description="A tag's slug.")
    author: Slug | None = Field(None, description="An author's slug.")
    q: str | None = Field(
        None,
        max_length=200,
        description='Search words, as on the site\'s search page (`"phrase"`, `-word`).',
    )
    sort: Literal["relevance", "newest"] = Field(
        "relevance", description="Order of search results (only with `q`)."
    )
    published_after: Moment | None = Field(None, description="Published at or after (ISO 8601).")
    published_before: Moment | None = Field(None, description="Published before (ISO 8601).")
    updated_since: Moment | None = Field(
        None,
        description=(
            "For app sync: articles changed at or after this time, oldest change first, "
            "and in `deleted` those removed from public view since then."
        ),
    )


class PathQuery(Schema):
    path: str = Field(
        max_length=300,
        pattern=r"^[^\x00-\x1f\x7f]+$",
        # The view answers any other shape with a 400 that shows one that works.
        json_schema_extra={"pattern": ARTICLE_ADDRESS.pattern},
        description=(
            "The article's address on the site, e.g. `/en/world/some-story/`, or its full "
            "URL, e.g. `https://news.example/en/world/some-story/`."
        ),
    )
