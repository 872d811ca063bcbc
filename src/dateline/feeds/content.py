"""Which pages search engines may see, their public addresses and their translations.

Addresses are computed from `url_path` in bulk (one query for thousands of pages, see
core/addresses.py)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db.models import QuerySet
from wagtail.models import Locale, Page

from dateline.core.addresses import absolute, page_path


def indexable_pages(locale: Locale | None = None) -> QuerySet[Page]:
    """Live, public pages that may be indexed: no drafts, no expired or private pages, no
    aliases (they duplicate another page) and nothing an editor marked `noindex`."""
    from dateline.news.models import StandardPage

    pages = (
        Page.objects.live()
        .public()
        .filter(depth__gte=2, alias_of__isnull=True, locale__language_code__in=site_languages())
        .exclude(pk__in=StandardPage.objects.filter(noindex=True).values("pk"))
    )
    if locale is not None:
        pages = pages.filter(locale=locale)
    return pages


def site_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def alternates(translation_keys: Iterable) -> dict:
    """{translation_key: {language: absolute URL}} for every indexable translation."""
    found: dict = defaultdict(dict)
    keys = list(set(translation_keys))
    for start in range(0, len(keys), 5000):
        rows = indexable_pages().filter(translation_key__in=keys[start : start + 5000])
        for key, url_path, language in rows.values_list(
            "translation_key", "url_path", "locale__language_code"
        ):
            found[key][language] = absolute(page_path(url_path, language))
    return found


def ordered_alternates(urls: dict[str, str]) -> list[tuple[str, str]]:
    """(hreflang, URL) in site-language order, then `x-default`: the default language's
    version, else the first language the page has. Every translation lists the same set."""
    ordered = [(code, urls[code]) for code in site_languages() if code in urls]
    if ordered:
        default = urls.get(settings.LANGUAGE_CODE) or ordered[0][1]
        ordered.append(("x-default", default))
    return ordered


def page_alternates(page: Page) -> list[tuple[str, str]]:
    """The hreflang set of one page, or nothing when the page itself is not indexable."""
    urls = alternates([page.translation_key]).get(page.translation_key, {})
    if page.locale.language_code not in urls:
        return []
    return ordered_alternates(urls)
