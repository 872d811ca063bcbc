"""Keeping the search index in step with publishing."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import connection, transaction
from wagtail.models import Page

from dateline.core import fragments
from dateline.news.models import ArticlePage, published_articles

from .models import SearchEntry, time_key
from .stemmers import stemmed_text, stemmer_for, words
from .vocabulary import add_words, vocabulary_of

logger = logging.getLogger(__name__)

# PostgreSQL's own configurations where it has one; `simple` over our stems otherwise.
DEFAULT_TS_CONFIGS = {"en": "english", "ru": "russian", "hy": "armenian"}


def ts_config(language: str) -> str:
    configs = getattr(settings, "DATELINE_SEARCH_CONFIGS", DEFAULT_TS_CONFIGS)
    return configs.get(language, "simple")


def body_text(article: ArticlePage) -> str:
    body = article.body
    parts = list(body.stream_block.get_searchable_content(body)) if body else []
    return "\n".join(part for part in parts if part)


def entry_for(article: ArticlePage) -> SearchEntry:
    language = article.locale.language_code
    parent = article.get_parent()
    body = body_text(article)
    lower = stemmer_for(language, stemming=False)
    published_at = article.first_published_at or article.last_published_at
    return SearchEntry(
        page_id=article.pk,
        time_key=time_key(published_at, article.pk),
        language=language,
        ts_config=ts_config(language),
        section_id=parent.pk if parent else None,
        published_at=published_at,
        headline=article.title,
        standfirst=article.standfirst or "",
        body=body,
        headline_words=" ".join(lower(word) for word in words(article.title)),
        headline_terms=stemmed_text(article.title, language),
        standfirst_terms=stemmed_text(article.standfirst or "", language),
        body_terms=stemmed_text(body, language),
    )


def _searchable(page: Page) -> bool:
    return page.live and not page.get_view_restrictions().exists()


def index_page(page: Page) -> bool:
    """Add or refresh the page's entry if it is a live public article; drop it otherwise."""
    page = page.specific
    if not isinstance(page, ArticlePage) or not _searchable(page):
        remove_page(page.pk)
        return False
    entry = entry_for(page)
    with transaction.atomic():
        SearchEntry.objects.filter(page_id=page.pk).delete()
        entry.save(force_insert=True)
        add_words(vocabulary_of(_texts(entry), entry.language), entry.language)
    return True


def _texts(entry: SearchEntry) -> tuple[str, str, str]:
    return entry.headline, entry.standfirst, entry.body


def remove_page(page_id: int) -> None:
    SearchEntry.objects.filter(page_id=page_id).delete()


def index_subtree(page: Page) -> int:
    """Reindex the page and every article under it (after a move)."""
    count = 0
    for descendant in Page.objects.descendant_of(page, inclusive=True).specific():
        if isinstance(descendant, ArticlePage):
            count += index_page(descendant)
    return count


def rebuild(languages: Iterable[str] | None = None, batch: int = 500) -> int:
    """Drop and rebuild the index (all languages, or the given ones)."""
    entries = SearchEntry.objects.all()
    articles = published_articles().public()
    if languages:
        entries = entries.filter(language__in=list(languages))
        articles = articles.filter(locale__language_code__in=list(languages))
    count = 0
    with transaction.atomic():
        entries.delete()
        pending: list[SearchEntry] = []
        for article in articles.select_related("locale").iterator(chunk_size=batch):
            if article.get_view_restrictions().exists():
                continue
            pending.append(entry_for(article))
            if len(pending) >= batch:
                _write_entries(pending)
                count += len(pending)
                pending = []
        _write_entries(pending)
        count += len(pending)
    optimize()
    # Ranked sets kept for the current generation (search/services.py) predate the new index.
    fragments.retire_fragments(structure=False)
    return count


def _write_entries(entries: list[SearchEntry]) -> None:
    SearchEntry.objects.bulk_create(entries)
    by_language: dict[str, set[str]] = {}
    for entry in entries:
        by_language.setdefault(entry.language, set()).update(
            vocabulary_of(_texts(entry), entry.language)
        )
    for language, found in by_language.items():
        add_words(found, language)


def optimize() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for table in ("dateline_search_fts", "dateline_search_suggest"):
                cursor.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")
        elif connection.vendor == "postgresql":
            cursor.execute("ANALYZE dateline_search_entry")
            cursor.execute("ANALYZE dateline_search_document")
