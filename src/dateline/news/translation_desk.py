"""Where each story stands in each site language: missing, draft, published, or out of
date (its source was published again after the translation last was). Read only; the
translations themselves are made by services.translate_page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import DateTimeField, ExpressionWrapper, F, OuterRef, QuerySet, Subquery
from wagtail.models import Locale

from .models import ArticlePage, SectionPage

MISSING, DRAFT, PUBLISHED, OUT_OF_DATE = "missing", "draft", "published", "out-of-date"
STATES = (MISSING, DRAFT, PUBLISHED, OUT_OF_DATE)
# A translation published within this time of its source (the demo, a bulk import)
# follows that publication of the source.
SAME_PUBLICATION = timedelta(minutes=1)


@dataclass
class Cell:
    locale: Locale
    state: str
    page: ArticlePage | None = None


@dataclass
class Row:
    source: ArticlePage
    cells: list[Cell] = field(default_factory=list)

    def states(self) -> set[str]:
        return {cell.state for cell in self.cells}


def site_languages() -> list[Locale]:
    order = [code for code, _name in settings.LANGUAGES]
    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    return [locales[code] for code in order if code in locales]


def state_of(translation: ArticlePage | None, source: ArticlePage) -> str:
    if translation is None:
        return MISSING
    if not translation.live:
        return DRAFT
    published: datetime | None = translation.last_published_at
    if (
        source.last_published_at
        and published
        and source.last_published_at > published + SAME_PUBLICATION
    ):
        return OUT_OF_DATE
    return PUBLISHED


def sources(source_language: Locale, section_id: int | None = None) -> QuerySet[ArticlePage]:
    """The stories written in `source_language`, newest first: the rows of the overview."""
    stories = ArticlePage.objects.filter(locale=source_language, alias_of__isnull=True)
    if section_id:
        stories = stories.filter(path__startswith=_section_path(section_id))
    return stories.order_by("-first_published_at", "-pk")


def _section_path(section_id: int) -> str:
    section = SectionPage.objects.filter(pk=section_id).only("path").first()
    return section.path if section else "-"


def rows(stories: list[ArticlePage], languages: list[Locale]) -> list[Row]:
    """Each story with its translations' states, in the order of `languages`, with one
    query for all the translations on the page."""
    keys = [story.translation_key for story in stories]
    found: dict[tuple, ArticlePage] = {}
    for page in ArticlePage.objects.filter(translation_key__in=keys, alias_of__isnull=True).only(
        "pk", "title", "live", "last_published_at", "translation_key", "locale_id"
    ):
        found[(page.translation_key, page.locale_id)] = page
    result = []
    for story in stories:
        row = Row(story)
        for locale in languages:
            if locale.pk == story.locale_id:
                continue
            translation = found.get((story.translation_key, locale.pk))
            row.cells.append(Cell(locale, state_of(translation, story), translation))
        result.append(row)
    return result


def with_state(stories: QuerySet[ArticlePage], locale: Locale, state: str) -> QuerySet[ArticlePage]:
    """Only the stories whose translation into `locale` is in `state`, decided in the
    database so that paging stays right on a large site."""

    translations = ArticlePage.objects.filter(
        translation_key=OuterRef("translation_key"), locale=locale, alias_of__isnull=True
    )
    if state == MISSING:
        return stories.exclude(
            translation_key__in=ArticlePage.objects.filter(locale=locale).values("translation_key")
        )
    if state == DRAFT:
        return stories.filter(
            translation_key__in=ArticlePage.objects.filter(locale=locale, live=False).values(
                "translation_key"
            )
        )
    annotated = stories.filter(
        translation_key__in=ArticlePage.objects.filter(locale=locale, live=True).values(
            "translation_key"
        )
    ).annotate(
        translated_at=Subquery(translations.values("last_published_at")[:1]),
        follows_until=ExpressionWrapper(
            F("translated_at") + SAME_PUBLICATION, output_field=DateTimeField()
        ),
    )
    if state == OUT_OF_DATE:
        return annotated.filter(last_published_at__gt=F("follows_until"))
    return annotated.exclude(last_published_at__gt=F("follows_until"))
