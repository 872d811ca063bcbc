"""Where each story stands in each site language: missing, draft, published, or out of
date (its source was published again after the translation last was). Read only; the
translations themselves are made by services.translate_page."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from difflib import SequenceMatcher
from html import unescape

from django.conf import settings
from django.db.models import DateTimeField, ExpressionWrapper, F, OuterRef, QuerySet, Subquery
from wagtail.models import Locale, PageLogEntry

from .models import ArticlePage, SectionPage, TranslationAssignment

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
    assignment: TranslationAssignment | None = None

    @property
    def open_assignment(self) -> TranslationAssignment | None:
        """Whom the translation is with, until it is published and up to date."""
        return self.assignment if self.state != PUBLISHED else None


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
    """Each story with its translations' states and assignments, in the order of
    `languages`, with one query for all the translations on the page and one for all
    the assignments."""
    keys = [story.translation_key for story in stories]
    found: dict[tuple, ArticlePage] = {}
    for page in ArticlePage.objects.filter(translation_key__in=keys, alias_of__isnull=True).only(
        "pk", "title", "live", "last_published_at", "translation_key", "locale_id"
    ):
        found[(page.translation_key, page.locale_id)] = page
    assignments = {
        (assignment.source_id, assignment.locale_id): assignment
        for assignment in TranslationAssignment.objects.filter(
            source__in=[story.pk for story in stories]
        ).select_related("assignee")
    }
    result = []
    for story in stories:
        row = Row(story)
        for locale in languages:
            if locale.pk == story.locale_id:
                continue
            translation = found.get((story.translation_key, locale.pk))
            row.cells.append(
                Cell(
                    locale,
                    state_of(translation, story),
                    translation,
                    assignments.get((story.pk, locale.pk)),
                )
            )
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


# --- What changed in the source since a translation was last published ---------------


@dataclass
class ChangedPart:
    kind: str  # "same", "changed", "added", "removed"
    old: str = ""
    new: str = ""
    words: list[tuple[str, str]] = field(default_factory=list)  # (kind, text) for "changed"


def source_of(translation: ArticlePage) -> ArticlePage | None:
    languages = site_languages()
    if not languages:
        return None
    return (
        ArticlePage.objects.filter(translation_key=translation.translation_key, locale=languages[0])
        .exclude(pk=translation.pk)
        .first()
    )


def followed_revision(source: ArticlePage, translation: ArticlePage):
    """The source's revision that was published when the translation last was: what the
    translator translated from (read from the source's publishing history)."""
    if translation.last_published_at is None:
        return None
    entry = (
        PageLogEntry.objects.filter(
            page=source,
            action__in=["wagtail.publish", "wagtail.publish.scheduled"],
            timestamp__lte=translation.last_published_at + SAME_PUBLICATION,
            revision__isnull=False,
        )
        .select_related("revision")
        .order_by("-timestamp", "-pk")
        .first()
    )
    return entry.revision if entry else None


def text_of(page: ArticlePage) -> list[str]:
    """A story's words, a paragraph a line: headline, standfirst, then the body's text."""
    parts = [page.title, page.standfirst]
    for block in page.body:
        value = block.value
        if block.block_type == "paragraph":
            html = value.source
        elif block.block_type == "heading":
            html = str(value)
        elif block.block_type == "quote":
            html = f"{value.get('quote', '')} {value.get('attribution') or ''}"
        elif block.block_type == "fact_box":
            html = (
                f"{value.get('title', '')}\n{value['facts'].source if value.get('facts') else ''}"
            )
        elif block.block_type in ("figure",):
            html = value.get("caption") or ""
        elif block.block_type == "gallery":
            html = "\n".join(
                picture.get("caption") or "" for picture in value.get("pictures") or []
            )
        elif block.block_type == "embed":
            html = getattr(value, "url", "") or ""
        else:
            html = ""
        for line in re.split(r"</(?:p|li|h[2-4]|blockquote)>|<br\s*/?>|\n", html):
            text = " ".join(unescape(re.sub(r"<[^>]+>", " ", line)).split())
            if text:
                parts.append(text)
    return [part for part in parts if part]


def changes(old: list[str], new: list[str]) -> list[ChangedPart]:
    result: list[ChangedPart] = []
    for op, a1, a2, b1, b2 in SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op == "equal":
            result.extend(ChangedPart("same", old=line, new=line) for line in old[a1:a2])
            continue
        pairs = list(zip(old[a1:a2], new[b1:b2], strict=False)) if op == "replace" else []
        for before, after in pairs:
            result.append(ChangedPart("changed", before, after, _word_changes(before, after)))
        result.extend(ChangedPart("removed", old=line) for line in old[a1 + len(pairs) : a2])
        result.extend(ChangedPart("added", new=line) for line in new[b1 + len(pairs) : b2])
    return result


def _word_changes(before: str, after: str) -> list[tuple[str, str]]:
    old, new = before.split(" "), after.split(" ")
    words: list[tuple[str, str]] = []
    for op, a1, a2, b1, b2 in SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op == "equal":
            words.append(("same", " ".join(old[a1:a2])))
            continue
        if a2 > a1:
            words.append(("removed", " ".join(old[a1:a2])))
        if b2 > b1:
            words.append(("added", " ".join(new[b1:b2])))
    return words
