"""The head of every page: hreflang alternates, feed links, Open Graph and X cards,
robots directives and JSON-LD; and the About/Contacts links of the footer."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language
from wagtail.models import Page

from dateline.core.addresses import absolute
from dateline.core.images import SOCIAL_SPEC, rendition
from dateline.news.models import ArticlePage, HomePage, SectionPage, StandardPage

from .. import structured_data
from ..content import ordered_alternates, page_alternates

register = template.Library()

OG_LOCALES = {"en": "en_US", "ru": "ru_RU", "hy": "hy_AM", "az": "az_AZ"}
ROBOTS = "index, follow, max-image-preview:large, max-snippet:-1, max-video-preview:-1"
# Views that write their own robots directive (noindex) and have no translations.
OWN_ROBOTS_VIEWS = {"search", "search-suggest"}


def _og_locale(code: str) -> str:
    return OG_LOCALES.get(code, code)


def _feed_link(title: str, name: str, **kwargs) -> dict:
    return {"title": title, "href": reverse(f"feeds:{name}", kwargs=kwargs or None)}


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
    site_text = context.get("site_text")
    site_name = site_text.site_name if site_text else settings.WAGTAIL_SITE_NAME
    tagline = site_text.tagline if site_text else ""
    page = context.get("page")
    page = page.specific if isinstance(page, Page) else None
    home_url = absolute(f"/{language}/")

    data = {
        "show": True,
        "robots": ROBOTS,
        "site_name": site_name,
        "og_type": "website",
        "title": site_name,
        "description": tagline,
        "url": absolute(request.path),
        "og_locale": _og_locale(language),
        "image": None,
        "image_alt": site_name,
        "alternates": [],
        "feeds": [_feed_link(site_name, "language")],
        "json_ld": [],
        "article": None,
    }
    if page is not None:
        data["url"] = absolute(page.url)
        data["alternates"] = page_alternates(page)
        data["title"] = page.seo_title or page.title
        if isinstance(page, StandardPage) and page.noindex:
            data["robots"] = "noindex, follow"
    elif context.get("translation_urls"):
        data["alternates"] = ordered_alternates(
            {code: absolute(url) for code, url in context["translation_urls"].items()}
        )

    if isinstance(page, HomePage):
        data["title"] = site_name
        data["json_ld"] = structured_data.home_page(
            site_name=site_name,
            home_url=home_url,
            language=language,
            search_url=absolute(reverse("search")),
            same_as=[url for _key, _label, url in context["site_settings"].social_links],
        )
    elif isinstance(page, SectionPage):
        data["description"] = page.description
        data["feeds"].append(_feed_link(page.title, "section", section=page.slug))
    elif isinstance(page, ArticlePage):
        _article(data, page, context.get("section") or page.section, language, home_url)
    elif isinstance(page, StandardPage):
        data["description"] = page.search_description or tagline
    elif context.get("tag") is not None and match.url_name == "tag":
        tag = context["tag"]
        data["title"] = f"#{tag.name}"
        data["feeds"].append(_feed_link(f"#{tag.name}", "tag", slug=tag.slug))
    elif context.get("author") is not None and match.url_name == "author":
        author = context["author"]
        data["title"] = author.name
        data["description"] = author.role or tagline
        data["og_type"] = "profile"
        data["feeds"].append(_feed_link(author.name, "author", slug=author.slug))

    data["og_locale_alternates"] = [
        _og_locale(code) for code, _url in data["alternates"] if code not in {"x-default", language}
    ]
    if data["image"] is None:
        data["image"] = {
            "url": structured_data.static_url("feeds/social.png"),
            "width": 1200,
            "height": 630,
        }
    x_url = context["site_settings"].x_url if context.get("site_settings") else ""
    data["twitter_site"] = "@" + x_url.rstrip("/").rsplit("/", 1)[-1] if x_url else ""
    data["json_ld"] = [structured_data.json_ld(item) for item in data["json_ld"]]
    return data


def _article(data: dict, article: ArticlePage, section, language: str, home_url: str) -> None:
    url = data["url"]
    authors = article.authors()
    site_name = data["site_name"]
    data["og_type"] = "article"
    data["description"] = article.search_description or article.standfirst
    data["article"] = {
        "published_time": structured_data.iso(article.first_published_at),
        "modified_time": structured_data.iso(
            article.last_published_at or article.first_published_at
        ),
        "section": section.title if section else "",
        "tags": [tag.name for tag in article.tags.all()],
        "authors": [absolute(author.get_absolute_url()) for author in authors],
    }
    picture = rendition(article.lead_image, SOCIAL_SPEC)
    if picture is not None:
        data["image"] = {
            "url": structured_data.image_url(picture),
            "width": picture.width,
            "height": picture.height,
        }
        data["image_alt"] = article.lead_image_caption or article.title
    if section is not None:
        data["feeds"].append(_feed_link(section.title, "section", section=section.slug))
    trail = [(site_name, home_url)]
    if section is not None:
        trail.append((section.title, absolute(section.url)))
    trail.append((article.title, url))
    data["json_ld"] = [
        structured_data.news_article(
            article,
            url=url,
            language=language,
            section=section,
            authors=authors,
            site_name=site_name,
            home_url=home_url,
        ),
        structured_data.breadcrumbs(trail),
    ]


@register.simple_tag(takes_context=True)
def site_pages(context: template.Context) -> list[StandardPage]:
    """The live standard pages (About, Contacts…) under the reader's home page."""
    navigation = context.get("navigation")
    home = navigation.get("home") if navigation else None
    if home is None:
        return []
    return list(StandardPage.objects.child_of(home).live().public().order_by("path"))
