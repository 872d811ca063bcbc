"""Sitemaps: an index of per-language sitemaps with hreflang alternates, and a Google News
sitemap per language. Wagtail's own sitemap covers one site's tree and emits no
alternates, so Dateline writes its own."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from xml.sax.saxutils import XMLGenerator

from django.conf import settings
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale

from dateline.core.addresses import absolute, page_path
from dateline.core.models import SiteSettings
from dateline.news.models import published_articles

from .content import alternates, indexable_pages, ordered_alternates
from .content import site_languages as languages

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"


class _Writer:
    """A small streaming XML writer; escaping is the generator's."""

    def __init__(self) -> None:
        import io

        self.buffer = io.StringIO()
        self.xml = XMLGenerator(self.buffer, "utf-8", short_empty_elements=True)
        self.xml.startDocument()

    def start(self, name: str, attributes: dict | None = None) -> None:
        self.xml.startElement(name, attributes or {})

    def end(self, name: str) -> None:
        self.xml.endElement(name)

    def element(self, name: str, text: str = "", attributes: dict | None = None) -> None:
        self.xml.startElement(name, attributes or {})
        if text:
            self.xml.characters(text)
        self.xml.endElement(name)

    def bytes(self) -> bytes:
        self.xml.endDocument()
        return self.buffer.getvalue().encode("utf-8")


def w3c(value: datetime) -> str:
    """W3C Datetime with a zone, to the second: 2026-11-28T09:15:00+04:00."""
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def chunk_count(language: str) -> int:
    total = indexable_pages().filter(locale__language_code=language).count()
    return max(1, math.ceil(total / settings.DATELINE_SITEMAP_MAX_URLS))


def sitemap_path(language: str, number: int) -> str:
    return f"/sitemaps/{language}-{number}.xml"


def authors_sitemap_path(language: str) -> str:
    return f"/sitemaps/{language}-authors.xml"


def build_index() -> bytes:
    writer = _Writer()
    writer.start("sitemapindex", {"xmlns": SITEMAP_NS})
    for language in languages():
        pages = indexable_pages().filter(locale__language_code=language)
        lastmod = pages.aggregate(latest=Max("last_published_at"))["latest"]
        for number in range(1, chunk_count(language) + 1):
            writer.start("sitemap")
            writer.element("loc", absolute(sitemap_path(language, number)))
            if lastmod:
                writer.element("lastmod", w3c(lastmod))
            writer.end("sitemap")
        writer.start("sitemap")
        writer.element("loc", absolute(authors_sitemap_path(language)))
        writer.end("sitemap")
        writer.start("sitemap")
        writer.element("loc", absolute(f"/{language}/news-sitemap.xml"))
        writer.end("sitemap")
    writer.end("sitemapindex")
    return writer.bytes()


def build_language_sitemap(language: str, number: int) -> bytes:
    """Part `number` of a language's pages, at most DATELINE_SITEMAP_MAX_URLS of them,
    each with the address of every translation and x-default."""
    limit = settings.DATELINE_SITEMAP_MAX_URLS
    rows = list(
        indexable_pages()
        .filter(locale__language_code=language)
        .order_by("path")
        .values_list("translation_key", "url_path", "last_published_at")[
            (number - 1) * limit : number * limit
        ]
    )
    translations = alternates(key for key, _path, _lastmod in rows)
    writer = _Writer()
    writer.start("urlset", {"xmlns": SITEMAP_NS, "xmlns:xhtml": XHTML_NS})
    for key, url_path, lastmod in rows:
        writer.start("url")
        writer.element("loc", absolute(page_path(url_path, language)))
        if lastmod:
            writer.element("lastmod", w3c(lastmod))
        for hreflang, href in ordered_alternates(translations.get(key, {})):
            writer.element(
                "xhtml:link", attributes={"rel": "alternate", "hreflang": hreflang, "href": href}
            )
        writer.end("url")
    writer.end("urlset")
    return writer.bytes()


def build_authors_sitemap(language: str) -> bytes:
    """The author pages of a language: every author with a version in it, each listing the
    author's page in every language the author has, as the author page's head does."""
    from django.utils import translation

    from dateline.news.models import Author

    authors = list(
        Author.objects.filter(locale__language_code=language)
        .order_by("slug")
        .only("slug", "translation_key")
    )
    keys = [author.translation_key for author in authors]
    versions: dict = {}
    for key, slug, code in Author.objects.filter(translation_key__in=keys).values_list(
        "translation_key", "slug", "locale__language_code"
    ):
        if code in languages():
            with translation.override(code):
                path = reverse("news:author", kwargs={"slug": slug})
            versions.setdefault(key, {})[code] = absolute(path)
    latest = dict(
        published_articles()
        .filter(locale__language_code=language, bylines__author__translation_key__in=keys)
        .order_by()
        .values("bylines__author__translation_key")
        .annotate(latest=Max("last_published_at"))
        .values_list("bylines__author__translation_key", "latest")
    )
    writer = _Writer()
    writer.start("urlset", {"xmlns": SITEMAP_NS, "xmlns:xhtml": XHTML_NS})
    for author in authors:
        urls = versions.get(author.translation_key, {})
        writer.start("url")
        writer.element("loc", urls[language])
        if latest.get(author.translation_key):
            writer.element("lastmod", w3c(latest[author.translation_key]))
        for hreflang, href in ordered_alternates(urls):
            writer.element(
                "xhtml:link", attributes={"rel": "alternate", "hreflang": hreflang, "href": href}
            )
        writer.end("url")
    writer.end("urlset")
    return writer.bytes()


def news_articles(language: str, now: datetime | None = None):
    """The language's stories first published in the last 48 hours and its live blogs still
    covering, newest first, at most
    DATELINE_NEWS_SITEMAP_MAX_URLS (Google's limits)."""
    now = now or timezone.now()
    since = now - timedelta(hours=settings.DATELINE_NEWS_SITEMAP_HOURS)
    locale = Locale.objects.filter(language_code=language).first()
    if locale is None:
        return []
    indexable = indexable_pages(locale).values("pk")
    # A live blog stays in while its coverage goes on, however long ago it opened.
    covering = Q(liveblogpage__isnull=False, liveblogpage__coverage_ended_at=None)
    return (
        published_articles(locale)
        .filter(Q(first_published_at__gte=since) | covering, pk__in=indexable)
        .filter(first_published_at__lte=now)
        .values_list("url_path", "title", "first_published_at")[
            : settings.DATELINE_NEWS_SITEMAP_MAX_URLS
        ]
    )


def build_news_sitemap(language: str, now: datetime | None = None) -> bytes:
    name = SiteSettings.load().texts_for(language).site_name
    writer = _Writer()
    writer.start("urlset", {"xmlns": SITEMAP_NS, "xmlns:news": NEWS_NS})
    for url_path, title, published in news_articles(language, now):
        writer.start("url")
        writer.element("loc", absolute(page_path(url_path, language)))
        writer.start("news:news")
        writer.start("news:publication")
        writer.element("news:name", name)
        writer.element("news:language", language)
        writer.end("news:publication")
        writer.element("news:publication_date", w3c(published))
        writer.element("news:title", title)
        writer.end("news:news")
        writer.end("url")
    writer.end("urlset")
    return writer.bytes()
