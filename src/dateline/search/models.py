"""The search index: one row per live article, and the searches readers typed.

`SearchEntry` holds the article's text and its stemmed terms. The engine's own index
sits beside it and is kept in step by database triggers (see migrations/0002 to 0004):
SQLite: an FTS5 table over the stemmed terms (`dateline_search_fts`); PostgreSQL: a
narrow table `dateline_search_document` (page, language, section, publish time and a
tsvector built with the language's text search configuration, GIN indexed), so that
finding and ranking never read the stories' text."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_WORD_LENGTH = 40


class SearchEntry(models.Model):
    page = models.OneToOneField(
        "wagtailcore.Page", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    language = models.CharField(max_length=16)
    # PostgreSQL text search configuration the tsvector is built with.
    ts_config = models.CharField(max_length=32, default="simple")
    section = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField()
    # Publish time (seconds) * 2**20 + page id mod 2**20: the SQLite full-text tables' rowid,
    # so "newest matches first" is a backwards walk of the index. See time_key().
    time_key = models.BigIntegerField(unique=True, null=True)
    headline = models.TextField()
    standfirst = models.TextField(blank=True)
    body = models.TextField(blank=True)
    # The headline's words, lower-cased but not stemmed: suggestions match their prefixes.
    headline_words = models.TextField(blank=True)
    headline_terms = models.TextField(blank=True)
    standfirst_terms = models.TextField(blank=True)
    body_terms = models.TextField(blank=True)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "dateline_search_entry"
        indexes = [models.Index(fields=["language", "-published_at"], name="search_lang_time")]

    def __str__(self) -> str:
        return self.headline


def time_key(published_at, page_id: int) -> int:
    return int(published_at.timestamp()) * 2**20 + page_id % 2**20


class SearchQueryLog(models.Model):
    """A search that found something, once per reader per day: the reader is a hash made
    with the day's salt (no address, no cookie), kept only for the popular-searches list."""

    day = models.DateField()
    language = models.CharField(max_length=16)
    query = models.CharField(max_length=100)
    reader = models.CharField(max_length=40)

    class Meta:
        db_table = "dateline_search_query_log"
        constraints = [
            models.UniqueConstraint(
                fields=["day", "language", "query", "reader"], name="search_query_once_a_day"
            )
        ]
        indexes = [models.Index(fields=["language", "day"], name="search_query_lang_day")]

    def __str__(self) -> str:
        return self.query


class HiddenSearchTerm(models.Model):
    """A search that editors never want listed as popular, in any language."""

    query = models.CharField(
        _("search"),
        max_length=100,
        unique=True,
        help_text=_("Hidden from popular searches in every language, whoever searches for it."),
    )
    hidden_at = models.DateTimeField(_("hidden at"), auto_now_add=True)

    class Meta:
        db_table = "dateline_search_hidden_term"
        ordering = ["query"]
        verbose_name = _("hidden search")
        verbose_name_plural = _("hidden searches")

    def __str__(self) -> str:
        return self.query


class SearchWord(models.Model):
    """A word that occurs in the stories of a language, lower-cased and not stemmed: the
    vocabulary that spelling suggestions are drawn from when a search finds nothing. Words
    are added as stories are indexed and never counted; a suggestion is offered only
    after a search for it has found something."""

    language = models.CharField(max_length=16)
    word = models.CharField(max_length=MAX_WORD_LENGTH)
    # The first letter and the length: a misspelling is looked up among words that share
    # its first letter and are about as long, never the whole vocabulary.
    initial = models.CharField(max_length=1)
    length = models.PositiveSmallIntegerField()

    class Meta:
        db_table = "dateline_search_word"
        constraints = [
            models.UniqueConstraint(fields=["language", "word"], name="search_word_once")
        ]
        indexes = [models.Index(fields=["language", "initial", "length"], name="search_word_near")]

    def __str__(self) -> str:
        return self.word
