"""What a page tells search engines and link previews about itself.

Each page type answers for itself (`DatelinePage.seo_data` and `structured_data` in
news/models.py) in plain data: titles, descriptions, a picture, feed addresses and
schema.org dictionaries. The feeds app turns the answer into the tags of the page's head,
and adds what is the same for every page (robots, hreflang alternates, the site's card),
so a new page type needs no change there. Feed addresses are reversed by their URL names,
so news does not import the app that serves them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from dateline.core.addresses import absolute

SCHEMA_ORG = "https://schema.org"
LOGO = ("feeds/logo.png", 512, 512)


@dataclass(frozen=True)
class SeoSite:
    """The site around the page, in the reader's language."""

    name: str
    tagline: str
    language: str
    home_url: str
    search_url: str = ""
    social_profiles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Picture:
    url: str
    width: int
    height: int


@dataclass(frozen=True)
class FeedLink:
    title: str
    href: str


@dataclass(frozen=True)
class ArticleFacts:
    """Open Graph's `article:*` properties of a story."""

    published_time: str | None
    modified_time: str | None
    section: str
    tags: list[str]
    bylines: list[tuple[str, str]]  # (name, absolute address of the author's page)

    @property
    def authors(self) -> list[str]:
        return [url for _name, url in self.bylines]


@dataclass
class SeoData:
    """A page's own description. Left empty, `image` and `image_alt` become the site's
    card and name; `feeds` come after the language's feed, which every page links."""

    title: str
    description: str = ""
    og_type: str = "website"
    noindex: bool = False
    image: Picture | None = None
    image_alt: str | None = None
    feeds: list[FeedLink] = field(default_factory=list)
    article: ArticleFacts | None = None


def page_defaults(page: Page, site: SeoSite) -> SeoData:
    """What any page says when it says nothing more: its title and the site's tagline."""
    return SeoData(title=page.seo_title or page.title, description=site.tagline)


def feed_link(title: str, url_name: str, **kwargs: str) -> FeedLink:
    return FeedLink(title, reverse(f"feeds:{url_name}", kwargs=kwargs or None))


def view_seo_data(url_name: str, context: Mapping, site: SeoSite) -> SeoData | None:
    """The news views outside the page tree (news/views.py): a tag's stories and an
    author's; None for any other view."""
    if url_name == "tag" and context.get("tag") is not None:
        return tag_seo_data(context["tag"], site)
    if url_name == "author" and context.get("author") is not None:
        return context["author"].seo_data(site)
    return None


def tag_seo_data(tag, site: SeoSite) -> SeoData:
    """The page listing a tag's stories."""
    return SeoData(
        title=f"#{tag.name}",
        description=site.tagline,
        feeds=[feed_link(f"#{tag.name}", "tag", slug=tag.slug)],
    )


def iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def static_url(path: str) -> str:
    url = static(path)
    return absolute(url) if url.startswith("/") else url


def image_url(picture) -> str:
    return absolute(picture.url) if picture.url.startswith("/") else picture.url


def organization(site: SeoSite, *, with_profiles: bool = False) -> dict:
    path, width, height = LOGO
    data = {
        "@type": "Organization",
        "name": site.name,
        "url": site.home_url,
        "logo": {"@type": "ImageObject", "url": static_url(path), "width": width, "height": height},
    }
    if with_profiles and site.social_profiles:
        data["sameAs"] = list(site.social_profiles)
    return data


def website(site: SeoSite) -> dict:
    """The site, with the search box Google may show under it."""
    return {
        "@context": SCHEMA_ORG,
        "@type": "WebSite",
        "name": site.name,
        "url": site.home_url,
        "inLanguage": site.language,
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": site.search_url + "?q={search_term_string}",
            },
            "query-input": "required name=search_term_string",
        },
    }


def breadcrumbs(trail: list[tuple[str, str]]) -> dict:
    """(name, URL) from the home page down to the page itself."""
    return {
        "@context": SCHEMA_ORG,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": url}
            for position, (name, url) in enumerate(trail, start=1)
        ],
    }
