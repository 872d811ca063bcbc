"""schema.org JSON-LD for Google: NewsArticle and BreadcrumbList on stories, Organization
and WebSite (with a SearchAction) on home pages. Properties follow Google's documentation
for article, breadcrumb, organization and sitelinks search box structured data."""

from __future__ import annotations

import json
from datetime import datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from dateline.core.addresses import absolute
from dateline.core.images import STRUCTURED_DATA_SPECS, rendition

# As django.utils.html.json_script: nothing in the data can close the <script> element
# or open a comment, whatever an editor types into a headline.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}
LOGO = ("feeds/logo.png", 512, 512)


def json_ld(data: dict) -> SafeString:
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    return mark_safe(  # noqa: S308 - escaped above, as json_script does
        '<script type="application/ld+json">' + text.translate(JSON_SCRIPT_ESCAPES) + "</script>"
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


def organization(site_name: str, home_url: str, same_as: list[str] | None = None) -> dict:
    path, width, height = LOGO
    data = {
        "@type": "Organization",
        "name": site_name,
        "url": home_url,
        "logo": {
            "@type": "ImageObject",
            "url": static_url(path),
            "width": width,
            "height": height,
        },
    }
    if same_as:
        data["sameAs"] = same_as
    return data


def news_article(article, *, url, language, section, authors, site_name, home_url) -> dict:
    images = [
        image_url(picture)
        for picture in (rendition(article.lead_image, spec) for spec in STRUCTURED_DATA_SPECS)
        if picture is not None
    ]
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": article.title,
        "description": article.search_description or article.standfirst,
        "datePublished": iso(article.first_published_at),
        "dateModified": iso(article.last_published_at or article.first_published_at),
        "author": [
            {"@type": "Person", "name": author.name, "url": absolute(author.get_absolute_url())}
            for author in authors
        ],
        "publisher": organization(site_name, home_url),
        "inLanguage": language,
        "isAccessibleForFree": True,
    }
    if images:
        data["image"] = images
    if section is not None:
        data["articleSection"] = section.title
    keywords = [tag.name for tag in article.tags.all()]
    if keywords:
        data["keywords"] = keywords
    return data


def breadcrumbs(trail: list[tuple[str, str]]) -> dict:
    """(name, URL) from the home page down to the page itself."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": url}
            for position, (name, url) in enumerate(trail, start=1)
        ],
    }


def home_page(*, site_name, home_url, language, search_url, same_as) -> list[dict]:
    return [
        {"@context": "https://schema.org", **organization(site_name, home_url, same_as)},
        {
            "@context": "https://schema.org",
            "@type": "WebSite",
            "name": site_name,
            "url": home_url,
            "inLanguage": language,
            "potentialAction": {
                "@type": "SearchAction",
                "target": {
                    "@type": "EntryPoint",
                    "urlTemplate": search_url + "?q={search_term_string}",
                },
                "query-input": "required name=search_term_string",
            },
        },
    ]
