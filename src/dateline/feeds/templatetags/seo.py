"""The head of every page: hreflang alternates, feed links, Open Graph and X cards,
robots directives and JSON-LD; and the About/Contacts links of the footer.

What is said about a page comes from the page itself (`seo_data` and `structured_data`,
see news/seo.py); this tag adds what every page shares and renders it."""

from __future__ import annotations

import json

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from wagtail.models import Page

from dateline.core.addresses import absolute
from dateline.news import seo
from dateline.news.models import StandardPage

from ..content import ordered_alternates, page_alternates

register = template.Library()

OG_LOCALES = {"en": "en_US", "ru": "ru_RU", "hy": "hy_AM", "az": "az_AZ"}
ROBOTS = "index, follow, max-image-preview:large, max-snippet:-1, max-video-preview:-1"
NOINDEX = "noindex, follow"
SITE_CARD = ("feeds/social.png", 1200, 630)  # the picture of pages that have none
# Views that write their own robots directive (noindex) and have no translations.
OWN_ROBOTS_VIEWS = {"search", "search-suggest"}
# As django.utils.html.json_script: nothing in the data can close the <script> element
# or open a comment, whatever an editor types into a headline.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _og_locale(code: str) -> str:
    return OG_LOCALES.get(code, code)


def json_ld(data: dict) -> SafeString:
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    return mark_safe(  # noqa: S308 - escaped above, as json_script does
        '<script type="application/ld+json">' + text.translate(JSON_SCRIPT_ESCAPES) + "</script>"
    )


def _site_card() -> seo.Picture:
    path, width, height = SITE_CARD
    return seo.Picture(seo.static_url(path), width, height)


def _site(context: template.Context, language: str) -> seo.SeoSite:
    site_text = context.get("site_text")
    site_settings = context.get("site_settings")
    return seo.SeoSite(
        name=site_text.site_name if site_text else settings.WAGTAIL_SITE_NAME,
        tagline=site_text.tagline if site_text else "",
        language=language,
        home_url=absolute(f"/{language}/"),
        search_url=absolute(reverse("search")),
        social_profiles=tuple(url for _key, _label, url in site_settings.social_links)
        if site_settings
        else (),
    )


@register.inclusion_tag("feeds/tags.html", takes_context=True)
def seo_tags(context: template.Context) -> dict:
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if (
        match is None
        or match.url_name in OWN_ROBOTS_VIEWS
        or "exception" in context  # the 404 page says noindex itself
    ):
        return {"show": False}
    language = get_language()
    site = _site(context, language)
    page = context.get("page")
    page = page.specific if isinstance(page, Page) else None

    structured: list[dict] = []
    if page is not None:
        url = absolute(page.url)
        alternates = page_alternates(page)
        described = (
            page.seo_data(site) if hasattr(page, "seo_data") else seo.page_defaults(page, site)
        )
        if hasattr(page, "structured_data"):
            structured = page.structured_data(site, described)
    else:
        url = absolute(request.path)
        alternates = ordered_alternates(
            {code: absolute(path) for code, path in (context.get("translation_urls") or {}).items()}
        )
        described = seo.view_seo_data(match.url_name, context, site) or seo.SeoData(
            title=site.name, description=site.tagline
        )

    x_url = context["site_settings"].x_url if context.get("site_settings") else ""
    return {
        "show": True,
        "robots": NOINDEX if described.noindex else ROBOTS,
        "site_name": site.name,
        "og_type": described.og_type,
        "title": described.title,
        "description": described.description,
        "url": url,
        "og_locale": _og_locale(language),
        "og_locale_alternates": [
            _og_locale(code) for code, _url in alternates if code not in {"x-default", language}
        ],
        "image": described.image or _site_card(),
        "image_alt": described.image_alt or site.name,
        "alternates": alternates,
        "feeds": [seo.feed_link(site.name, "language"), *described.feeds],
        "json_ld": [json_ld(item) for item in structured],
        "article": described.article,
        "twitter_site": "@" + x_url.rstrip("/").rsplit("/", 1)[-1] if x_url else "",
    }


@register.simple_tag(takes_context=True)
def site_pages(context: template.Context) -> list[StandardPage]:
    """The live standard pages (About, Contacts…) under the reader's home page."""
    navigation = context.get("navigation")
    home = navigation.get("home") if navigation else None
    if home is None:
        return []
    return list(StandardPage.objects.child_of(home).live().public().order_by("path"))
