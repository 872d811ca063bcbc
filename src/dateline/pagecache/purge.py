"""Tell a CDN (configured through wagtail.contrib.frontend_cache) which addresses a
change affects: the page, its translations, and every listing, feed and sitemap that
shows it."""

from __future__ import annotations

import logging

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache
from wagtail.models import Page

logger = logging.getLogger(__name__)


def affected_urls(page: Page) -> list[str]:
    base = settings.DATELINE_BASE_URL.rstrip("/")
    urls: set[str] = {f"{base}/sitemap.xml", f"{base}/robots.txt"}
    pages = [page, *page.get_translations()]
    for each in pages:
        specific = each.specific
        url = each.get_url()
        if url:
            urls.add(base + url if url.startswith("/") else url)
        language = each.locale.language_code
        with translation.override(language):
            urls.add(base + reverse("feeds:language"))
            urls.add(base + reverse("feeds:news_sitemap"))
            for ancestor in each.get_ancestors().live().exclude(depth=1):
                ancestor_url = ancestor.get_url()
                if ancestor_url:
                    urls.add(base + ancestor_url)
                    urls.add(base + ancestor_url + "rss.xml")
            for tag in specific.tags.all() if hasattr(specific, "tags") else []:
                urls.add(base + reverse("news:tag", kwargs={"slug": tag.slug}))
                urls.add(base + reverse("feeds:tag", kwargs={"slug": tag.slug}))
            for author in specific.authors() if hasattr(specific, "authors") else []:
                urls.add(base + reverse("news:author", kwargs={"slug": author.slug}))
                urls.add(base + reverse("feeds:author", kwargs={"slug": author.slug}))
    return sorted(urls)


def purge_urls(urls: list[str]) -> None:
    try:
        purge_urls_from_cache(urls)
    except Exception:  # the CDN's answer must not undo the change that was made
        logger.exception("the CDN could not be told to purge %d addresses", len(urls))


def purge_everything() -> None:
    """For changes shown on every page (site settings): the front pages, sections, feeds
    and sitemaps of every language. Stories on the CDN follow within its s-maxage."""
    from dateline.news.models import HomePage, SectionPage

    base = settings.DATELINE_BASE_URL.rstrip("/")
    urls = {f"{base}/sitemap.xml", f"{base}/robots.txt"}
    for page in [*HomePage.objects.live(), *SectionPage.objects.live()]:
        url = page.get_url()
        if url:
            urls.update({base + url, base + url + "rss.xml"})
    purge_urls(sorted(urls))
