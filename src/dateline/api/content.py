"""Articles, sections, authors and pictures as the API shows them.

Only serialisation lives here: which articles exist and who wrote them comes from the
news app, addresses from core.addresses (computed from `url_path`, no query per page)."""

from __future__ import annotations

import functools
import html
import json
import re
import zlib
import zoneinfo
from collections.abc import Callable
from datetime import datetime
from typing import Any

import nh3
from django.conf import settings
from django.core.cache import caches
from django.core.signals import setting_changed
from django.db.models import Prefetch, QuerySet
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone, translation
from ninja.responses import NinjaJSONEncoder
from wagtail.images import get_image_model
from wagtail.images.models import Filter
from wagtail.models import Page

from dateline.core import fragments
from dateline.core.addresses import absolute, page_path
from dateline.core.images import rendition
from dateline.core.models import SiteSettings
from dateline.news.models import ArticlePage, Author, SectionPage
from dateline.news.queries import TagName, body_html, bylines, share_links, tags_by_article

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


def body(article: ArticlePage) -> tuple[str, str]:
    """The body as sanitised HTML and as plain text."""
    html_body = body_html(article)
    return html_body, plain_text(html_body)


# ---------------------------------------------------------------- listings


def with_related(
    articles: QuerySet[ArticlePage],
    renditions: dict[str, str] = LIST_RENDITIONS,
    fields: tuple[str, ...] | None = None,
) -> QuerySet:
    """The queries a page of articles needs, made once for the page: the lead picture's
    renditions (sections, bylines and tags are read for the page by `summaries`). With
    `fields`, only those columns of the stories are read."""
    images = get_image_model().objects.prefetch_renditions(*renditions.values())
    if fields is not None:
        articles = articles.only(*fields)
    return articles.select_related("locale").prefetch_related(
        Prefetch("lead_image", queryset=images)
    )


# The columns a summary shows: a story's body and the rest of its page record are not read
# for a list (loading them was a quarter of a list's time).
SUMMARY_FIELDS = (
    "path",
    "url_path",
    "title",
    "locale",
    "first_published_at",
    "last_published_at",
    "standfirst",
    "lead_image",
    "lead_image_caption",
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


@functools.lru_cache(maxsize=8192)
def _news_path(view: str, slug: str, language: str) -> str:
    """The path of an author's or a tag's page in a language. A list of twenty stories
    names some fifty of them, mostly the same few: reversing each under a language
    override was a tenth of the list's time. Forgotten when the URLs change."""
    with translation.override(language):
        return reverse(view, kwargs={"slug": slug})


@receiver(setting_changed)
def _forget_news_paths(*, setting: str, **kwargs) -> None:
    if setting in {"ROOT_URLCONF", "LANGUAGES", "LANGUAGE_CODE"}:
        _news_path.cache_clear()


def author_url(author: Author, language: str) -> str:
    return absolute(_news_path("news:author", author.slug, language))


def tag_url(slug: str, language: str) -> str:
    return absolute(_news_path("news:tag", slug, language))


def author_ref(author: Author, language: str) -> dict:
    return {
        "id": author.pk,
        "slug": author.slug,
        "name": author.name,
        "url": author_url(author, language),
    }


def summary(
    article: ArticlePage,
    zone: zoneinfo.ZoneInfo,
    section: SectionPage | None,
    byline: list[Author],
    tags: list[TagName],
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
            {"slug": tag.slug, "name": tag.name, "url": tag_url(tag.slug, language)} for tag in tags
        ],
        "published_at": local(published, zone),
        "updated_at": local(article.last_published_at or published, zone),
        "lead_image": picture(article.lead_image, renditions, article.lead_image_caption),
    }


def summaries(articles: list[ArticlePage], renditions: dict[str, str] = LIST_RENDITIONS) -> list:
    """A page of articles, with the sections, translated bylines and tags fetched in bulk."""
    zone = site_time_zone()
    sections = sections_by_article(articles)
    authors = bylines(articles)
    tags = tags_by_article(articles)
    return [
        summary(
            article,
            zone,
            sections.get(article.pk),
            authors[article.pk],
            tags[article.pk],
            renditions,
        )
        for article in articles
    ]


# How long a kept summary or article lasts at most: its key carries the content
# generation, which any change a reader could notice moves on (news/events.py); the time
# only bounds what an idle site keeps.
KEPT_SECONDS = 3600


def _kept_key(kind: str, generation: int, renditions: dict[str, str], pk: int) -> str:
    variant = zlib.crc32(repr((sorted(renditions.items()), settings.DATELINE_BASE_URL)).encode())
    return f"api-{kind}:{generation}:{variant:08x}:{pk}"


def _kept(
    kind: str,
    ids: list[int],
    renditions: dict[str, str],
    make: Callable[[list[int]], dict[int, Any]],
) -> list[Any]:
    """What `make(missing ids)` gives for each id, kept in the fragment cache (this process
    first, then the shared cache) for the content generation; in the order of `ids`, without
    those `make` left out."""
    cache = caches["template_fragments"]
    generation = fragments.generation()
    keys = {pk: _kept_key(kind, generation, renditions, pk) for pk in ids}
    kept = cache.get_many(list(keys.values()))
    found = {pk: kept[key] for pk, key in keys.items() if key in kept}
    missing = [pk for pk in ids if pk not in found]
    if missing:
        made = make(missing)
        cache.set_many({keys[pk]: item for pk, item in made.items()}, KEPT_SECONDS)
        found.update(made)
    return [found[pk] for pk in ids if pk in found]


def summary_texts_of(ids: list[int], renditions: dict[str, str] = LIST_RENDITIONS) -> list[str]:
    """The summaries of these published articles as JSON texts, in this order: a list then
    reads the ids of its page and nothing else of a story it has shown before, and writes
    the kept texts as they are (encoding them again was half of what a kept list cost). An
    id whose story is gone by the time its row is read is left out."""

    def make(missing: list[int]) -> dict[int, str]:
        rows = with_related(ArticlePage.objects.filter(pk__in=missing), renditions, SUMMARY_FIELDS)
        return {
            item["id"]: json.dumps(item, cls=NinjaJSONEncoder)
            for item in summaries(list(rows), renditions)
        }

    return _kept("summary-json", ids, renditions, make)


def detail_of(pk: int, views: int) -> dict | None:
    """The published article `pk` whole (`detail`), kept like the summaries but for its
    view count, which is read afresh; None when its row is gone."""

    def make(missing: list[int]) -> dict[int, dict]:
        article = with_related(ArticlePage.objects.filter(pk__in=missing), DETAIL_RENDITIONS)
        found = article.first()
        return {} if found is None else {found.pk: detail(found, views=0)}

    kept = _kept("detail", [pk], DETAIL_RENDITIONS, make)
    return {**kept[0], "views": views} if kept else None


def detail(article: ArticlePage, views: int, shown: dict | None = None) -> dict:
    """The article whole; `shown` is its summary with DETAIL_RENDITIONS when the caller
    made the summaries of a whole page at once."""
    data = dict(shown) if shown is not None else summaries([article], DETAIL_RENDITIONS)[0]
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
    zone = site_time_zone()
    data.update(
        body_html=body_html,
        body_text=body_text,
        source=article.source,
        time_zone=str(zone),
        canonical_url=canonical,
        share_links={link.network: link.url for link in share_links(article)},
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
        material_update_at=local(article.updated_at, zone),
        corrections=[
            {"kind": note.kind, "text": note.text, "noted_at": local(note.noted_at, zone)}
            for note in article.shown_corrections
        ],
    )
    return data


def now_local() -> datetime:
    return timezone.localtime(timezone.now(), site_time_zone())
