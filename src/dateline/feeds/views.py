"""Feeds, sitemaps and robots.txt. Thin: the work is in rss.py and sitemaps.py."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Locale

from dateline.core.addresses import absolute
from dateline.core.models import SiteSettings
from dateline.news import breaking, streams
from dateline.news.models import LiveBlogPage, published_articles
from dateline.news.queries import author_by_slug, section_by_slug, tag_by_slug

from . import sitemaps
from .cache import ALL_LANGUAGES, cached
from .content import site_languages
from .rss import FeedSource, build_feed, build_live_blog_feed

RSS_TYPE = "application/rss+xml; charset=utf-8"
XML_TYPE = "application/xml; charset=utf-8"


def _respond(body: bytes, content_type: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    seconds = settings.DATELINE_FEED_CACHE_SECONDS
    response["Cache-Control"] = f"public, max-age=60, s-maxage={seconds}"
    return response


def _site_name(language: str) -> str:
    return SiteSettings.load().texts_for(language).site_name


def _feed(request: HttpRequest, name: str, make_source) -> HttpResponse:
    """The cached feed `name` of the request's language. Lookups happen only on a miss,
    inside `make_source`, which raises Http404 for what does not exist (never cached)."""
    language = get_language()

    def build() -> bytes:
        return build_feed(make_source(Locale.get_active()), request.path, language)

    return _respond(cached(language, name, build), RSS_TYPE)


def language_feed(request: HttpRequest) -> HttpResponse:
    def source(locale: Locale) -> FeedSource:
        texts = SiteSettings.load().texts_for(locale.language_code)
        return FeedSource(
            title=texts.site_name,
            description=texts.tagline,
            link=absolute(f"/{locale.language_code}/"),
            articles=published_articles(locale),
        )

    return _feed(request, "rss", source)


def breaking_feed(request: HttpRequest) -> HttpResponse:
    """The stories the language's banner shows now. Made afresh (a marking is no publish,
    so the feeds' copies would not follow it) and kept by a CDN for seconds only."""
    locale = Locale.get_active()
    shown = [item.story_id for item in breaking.breaking_items(locale.language_code)]
    source = FeedSource(
        title=_("Breaking news — %(site)s") % {"site": _site_name(locale.language_code)},
        description=_("Stories marked breaking, while they are."),
        link=absolute(f"/{locale.language_code}/"),
        articles=published_articles(locale).filter(pk__in=shown),
    )
    response = HttpResponse(
        build_feed(source, request.path, locale.language_code), content_type=RSS_TYPE
    )
    seconds = breaking.SHARED_SECONDS
    response["Cache-Control"] = f"public, max-age={seconds}, s-maxage={seconds}"
    return response


def live_blog_feed(request: HttpRequest, page_id: int) -> HttpResponse:
    """A live blog's updates. Follows the blog's stream like its page (news/live.py), so
    the page cache keeps it until the next update."""
    blog = None
    if page_id <= streams.LARGEST_ID:
        blog = (
            LiveBlogPage.objects.live()
            .public()
            .filter(pk=page_id, locale=Locale.get_active())
            .first()
        )
    if blog is None:
        raise Http404(_("There is no such live blog."))
    following = streams.generation_mark(blog)
    response = HttpResponse(
        build_live_blog_feed(blog, request.path, get_language()), content_type=RSS_TYPE
    )
    streams.mark_followed(response, following, covering=blog.is_covering)
    return response


def section_feed(request: HttpRequest, section: str) -> HttpResponse:
    def source(locale: Locale) -> FeedSource:
        found = section_by_slug(section, locale)
        if found is None:
            raise Http404(_("There is no such section."))
        return FeedSource(
            title=f"{found.title} — {_site_name(locale.language_code)}",
            description=found.description,
            link=absolute(found.url),
            articles=found.articles(),
        )

    return _feed(request, f"section:{section}", source)


def tag_feed(request: HttpRequest, slug: str) -> HttpResponse:
    def source(locale: Locale) -> FeedSource:
        tag = tag_by_slug(slug)
        if tag is None:
            raise Http404(_("There is no such tag."))
        return FeedSource(
            title=f"#{tag.name} — {_site_name(locale.language_code)}",
            description=f"#{tag.name}",
            link=absolute(request.path.removesuffix("rss.xml")),
            articles=published_articles(locale).filter(tagged_items__tag=tag).distinct(),
        )

    return _feed(request, f"tag:{slug}", source)


def author_feed(request: HttpRequest, slug: str) -> HttpResponse:
    def source(locale: Locale) -> FeedSource:
        shown = author_by_slug(slug, locale)
        if shown is None:
            raise Http404(_("There is no such author."))
        return FeedSource(
            title=f"{shown.name} — {_site_name(locale.language_code)}",
            description=shown.role or shown.name,
            link=absolute(request.path.removesuffix("rss.xml")),
            articles=published_articles(locale)
            .filter(bylines__author__translation_key=shown.translation_key)
            .distinct(),
        )

    return _feed(request, f"author:{slug}", source)


def sitemap_index(request: HttpRequest) -> HttpResponse:
    body = cached(ALL_LANGUAGES, "sitemap-index", sitemaps.build_index)
    return _respond(body, XML_TYPE)


def language_sitemap(request: HttpRequest, language: str, number: int) -> HttpResponse:
    if language not in site_languages() or number < 1:
        raise Http404(_("There is no such sitemap."))

    def build() -> bytes:
        if number > sitemaps.chunk_count(language):
            raise Http404(_("There is no such sitemap."))
        return sitemaps.build_language_sitemap(language, number)

    return _respond(cached(language, f"sitemap:{number}", build), XML_TYPE)


def authors_sitemap(request: HttpRequest, language: str) -> HttpResponse:
    if language not in site_languages():
        raise Http404(_("There is no such sitemap."))
    body = cached(language, "sitemap:authors", lambda: sitemaps.build_authors_sitemap(language))
    return _respond(body, XML_TYPE)


def news_sitemap(request: HttpRequest) -> HttpResponse:
    language = get_language()
    body = cached(language, "news-sitemap", lambda: sitemaps.build_news_sitemap(language))
    return _respond(body, XML_TYPE)


def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /api/"]
    lines += [f"Disallow: /{code}/search/" for code in site_languages()]
    lines += ["", f"Sitemap: {absolute('/sitemap.xml')}"]
    lines += [f"Sitemap: {absolute(f'/{code}/news-sitemap.xml')}" for code in site_languages()]
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600"
    return response
