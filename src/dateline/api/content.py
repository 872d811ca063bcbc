"""Articles, sections, authors and pictures as the API shows them.

Only serialisation lives here: which articles exist and who wrote them comes from the
news app, addresses from core.addresses (computed from `url_path`, no query per page)."""

from __future__ import annotations

import html
import re
import zoneinfo
from datetime import datetime

import nh3
from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.html import escape
from wagtail.images import get_image_model
from wagtail.images.models import Filter
from wagtail.models import Page
from wagtail.rich_text import expand_db_html

from dateline.core.addresses import absolute, page_path
from dateline.core.images import rendition
from dateline.core.models import SiteSettings
from dateline.news.models import ArticleAuthor, ArticlePage, Author, SectionPage
from dateline.news.sharing import share_links

# Picture sizes apps get (names are part of the API; specs may change).
LIST_RENDITIONS = {"thumbnail": "cover-480x270", "medium": "width-800"}
DETAIL_RENDITIONS = {
    "thumbnail": "cover-480x270",
    "small": "width-480",
    "medium": "width-800",
    "large": "width-1200",
    "social": "cover-1200x630",
}
PHOTO_RENDITIONS = {"square": "cover-240x240"}
BODY_PICTURE = "width-1200"

BODY_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "a", "ul", "ol", "li",
    "blockquote", "figure", "figcaption", "img", "footer",
}  # fmt: skip
BODY_ATTRIBUTES = {"a": {"href"}, "img": {"src", "width", "height", "alt"}}
BLOCK_END = re.compile(r"</(p|h[2-4]|li|blockquote|figcaption)>|<br\s*/?>", re.IGNORECASE)


def site_time_zone() -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(SiteSettings.load().time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def local(value: datetime | None, zone: zoneinfo.ZoneInfo) -> datetime | None:
    return value.astimezone(zone).replace(microsecond=0) if value else None


def page_url(page: Page) -> str:
    return absolute(page_path(page.url_path, page.locale.language_code))


def _absolute_link(tag: str, attribute: str, value: str) -> str | None:
    if attribute in {"href", "src"} and value.startswith("/") and not value.startswith("//"):
        return absolute(value)
    return value


def sanitise(fragment: str) -> str:
    """Only the tags an article body uses, with absolute links: safe to show in any app."""
    return nh3.clean(
        fragment,
        tags=BODY_TAGS,
        attributes=BODY_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        attribute_filter=_absolute_link,
        link_rel="noopener",
    )


def plain_text(fragment: str) -> str:
    text = html.unescape(nh3.clean(BLOCK_END.sub("\n", fragment), tags=set()))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def renditions_of(image, specs: dict[str, str]) -> dict[str, object]:
    """{name: rendition}: those already made are read (prefetched with the page, else one
    query) without writing Wagtail's rendition cache, which costs a file write per picture
    in the embedded mode; only missing ones are made."""
    filters = {name: Filter(spec=spec) for name, spec in specs.items()}
    try:
        existing = image.find_existing_renditions(*filters.values())
    except (OSError, ValueError):
        existing = {}
    found = {}
    for name, spec_filter in filters.items():
        made = existing.get(spec_filter) or rendition(image, spec_filter.spec)
        if made is not None:
            found[name] = made
    return found


def picture(image, specs: dict[str, str], caption: str = "") -> dict | None:
    if image is None:
        return None
    return {
        "caption": caption,
        "credit": getattr(image, "credit", ""),
        "width": image.width,
        "height": image.height,
        "renditions": [
            {
                "name": name,
                "url": _absolute_link("img", "src", made.url),
                "width": made.width,
                "height": made.height,
            }
            for name, made in renditions_of(image, specs).items()
        ],
    }


def _block_html(block) -> str:
    kind, value = block.block_type, block.value
    if kind == "paragraph":
        return expand_db_html(value.source)
    if kind == "heading":
        return f"<h2>{escape(value)}</h2>"
    if kind == "quote":
        attribution = value.get("attribution")
        footer = f"<footer>{escape(attribution)}</footer>" if attribution else ""
        return f"<blockquote><p>{escape(value.get('quote', ''))}</p>{footer}</blockquote>"
    if kind == "figure":
        found = rendition(value.get("image"), BODY_PICTURE)
        if found is None:
            return ""
        caption = value.get("caption") or ""
        return (
            f'<figure><img src="{escape(found.url)}" width="{found.width}" '
            f'height="{found.height}" alt="{escape(caption)}">'
            + (f"<figcaption>{escape(caption)}</figcaption>" if caption else "")
            + "</figure>"
        )
    return ""


def body(article: ArticlePage) -> tuple[str, str]:
    """The body as sanitised HTML and as plain text."""
    parts = [_block_html(block) for block in article.body]
    fragment = "".join(part for part in parts if part)
    return sanitise(fragment), plain_text(fragment)


# ---------------------------------------------------------------- listings


def with_related(
    articles: QuerySet[ArticlePage], renditions: dict[str, str] = LIST_RENDITIONS
) -> QuerySet:
    """The queries a page of articles needs, made once for the page: section, byline,
    tags and the lead picture's renditions."""
    images = get_image_model().objects.prefetch_renditions(*renditions.values())
    return articles.select_related("locale").prefetch_related(
        Prefetch("lead_image", queryset=images),
        Prefetch(
            "bylines",
            queryset=ArticleAuthor.objects.select_related("author").order_by("sort_order"),
        ),
        "tags",
    )


def sections_by_article(articles: list[ArticlePage]) -> dict[int, SectionPage]:
    """Each article's section, in one query (the parent path is a prefix of the path)."""
    steplen = Page.steplen
    parent_paths = {article.path[:-steplen] for article in articles}
    sections = {
        section.path: section
        for section in SectionPage.objects.filter(path__in=parent_paths).only(
            "id", "slug", "title", "path"
        )
    }
    return {
        article.pk: sections[article.path[:-steplen]]
        for article in articles
        if article.path[:-steplen] in sections
    }


def author_url(author: Author, language: str) -> str:
    from django.utils import translation

    with translation.override(language):
        return absolute(author.get_absolute_url())


def tag_url(slug: str, language: str) -> str:
    from django.urls import reverse
    from django.utils import translation

    with translation.override(language):
        return absolute(reverse("news:tag", kwargs={"slug": slug}))


def author_ref(author: Author, language: str) -> dict:
    return {
        "id": author.pk,
        "slug": author.slug,
        "name": author.name,
        "url": author_url(author, language),
    }


def authors_in(language: str, authors: list[Author]) -> list[Author]:
    """The byline in the article's language where the author has a translation."""
    translated = {
        author.translation_key: author
        for author in Author.objects.filter(
            translation_key__in=[author.translation_key for author in authors],
            locale__language_code=language,
        )
    }
    return [translated.get(author.translation_key, author) for author in authors]


def summary(
    article: ArticlePage,
    zone: zoneinfo.ZoneInfo,
    section: SectionPage | None,
    byline: list[Author],
    renditions: dict[str, str] = LIST_RENDITIONS,
) -> dict:
    language = article.locale.language_code
    published = article.first_published_at or article.last_published_at
    return {
        "id": article.pk,
        "lang": language,
        "headline": article.title,
        "standfirst": article.standfirst,
        "url": page_url(article),
        "section": (
            {"id": section.pk, "slug": section.slug, "title": section.title} if section else None
        ),
        "authors": [author_ref(author, language) for author in byline],
        "tags": [
            {"slug": tag.slug, "name": tag.name, "url": tag_url(tag.slug, language)}
            for tag in sorted(article.tags.all(), key=lambda tag: tag.name.lower())
        ],
        "published_at": local(published, zone),
        "updated_at": local(article.last_published_at or published, zone),
        "lead_image": picture(article.lead_image, renditions, article.lead_image_caption),
    }


def summaries(articles: list[ArticlePage], renditions: dict[str, str] = LIST_RENDITIONS) -> list:
    """A page of articles, with the sections and translated bylines fetched in bulk."""
    zone = site_time_zone()
    sections = sections_by_article(articles)
    bylines = {
        article.pk: [byline.author for byline in article.bylines.all()] for article in articles
    }
    by_language: dict[str, list[Author]] = {}
    for article in articles:
        by_language.setdefault(article.locale.language_code, []).extend(bylines[article.pk])
    translated: dict[tuple[str, object], Author] = {}
    for language, authors in by_language.items():
        for original, shown in zip(authors, authors_in(language, authors), strict=True):
            translated[(language, original.translation_key)] = shown
    return [
        summary(
            article,
            zone,
            sections.get(article.pk),
            [
                translated.get((article.locale.language_code, author.translation_key), author)
                for author in bylines[article.pk]
            ],
            renditions,
        )
        for article in articles
    ]


def detail(article: ArticlePage, views: int) -> dict:
    data = summaries([article], DETAIL_RENDITIONS)[0]
    body_html, body_text = body(article)
    canonical = data["url"]
    translations = (
        ArticlePage.objects.live()
        .public()
        .filter(translation_key=article.translation_key, alias_of__isnull=True)
        .exclude(pk=article.pk)
        .select_related("locale")
        .only("id", "title", "url_path", "locale__language_code")
    )
    order = [code for code, _name in settings.LANGUAGES]
    data.update(
        body_html=body_html,
        body_text=body_text,
        source=article.source,
        time_zone=str(site_time_zone()),
        canonical_url=canonical,
        share_links=share_links(canonical, article.title),
        translations=sorted(
            (
                {
                    "id": other.pk,
                    "lang": other.locale.language_code,
                    "headline": other.title,
                    "url": page_url(other),
                }
                for other in translations
                if other.locale.language_code in order
            ),
            key=lambda item: order.index(item["lang"]),
        ),
        views=views,
    )
    return data


def now_local() -> datetime:
    return timezone.localtime(timezone.now(), site_time_zone())
