"""The site around the articles: languages, settings, sections, authors and tags."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from ninja import Query, Router
from taggit.models import Tag

from dateline.core.addresses import absolute
from dateline.core.i18n import home_url
from dateline.core.models import SiteSettings
from dateline.news.models import ArticleTag, Author, SectionPage

from . import content, paging
from .articles import ERRORS, public_articles
from .errors import bad_parameter
from .queries import LanguageQuery, PageQuery, resolve_locale
from .schemas import Authors, Languages, Sections, SiteInfo, Tags

router = Router(tags=["site"])


def _languages() -> list[dict]:
    return [
        {
            "code": code,
            "name": name,
            "default": code == settings.LANGUAGE_CODE,
            "home_url": absolute(home_url(code)),
        }
        for code, name in settings.LANGUAGES
    ]


@router.get("/languages", response={200: Languages, 429: ERRORS[429]}, summary="Site languages")
def languages(request: HttpRequest):
    return {"items": _languages()}


@router.get(
    "/site",
    response={200: SiteInfo, **ERRORS},
    summary="Site name, texts, social and app links in one language",
)
def site(request: HttpRequest, query: Query[LanguageQuery]):
    locale = resolve_locale(query.lang)
    site_settings = SiteSettings.load()
    texts = site_settings.texts_for(locale.language_code)
    return {
        "lang": locale.language_code,
        "name": texts.site_name,
        "tagline": texts.tagline,
        "reuse_notice": texts.reuse_notice,
        "time_zone": site_settings.time_zone,
        "home_url": absolute(home_url(locale.language_code)),
        "social_links": [
            {"network": key, "label": label, "url": url}
            for key, label, url in site_settings.social_links
        ],
        "apps": {
            "app_store": site_settings.app_store_url or None,
            "google_play": site_settings.google_play_url or None,
        },
        "languages": _languages(),
    }


@router.get("/sections", response={200: Sections, **ERRORS}, summary="Sections of a language")
def sections(request: HttpRequest, query: Query[LanguageQuery]):
    locale = resolve_locale(query.lang)
    found = SectionPage.objects.live().public().filter(locale=locale).order_by("path")
    return {
        "items": [
            {
                "id": section.pk,
                "lang": locale.language_code,
                "slug": section.slug,
                "title": section.title,
                "description": section.description,
                "url": content.page_url(section),
            }
            for section in found.select_related("locale")
        ]
    }


def _by_name(items: QuerySet, query: PageQuery, kind: str, field: str = "name") -> tuple:
    """A page of items ordered by name, then id; and the cursor for the next one."""
    position = paging.decode(query.cursor, kind)
    if position is not None:
        name, pk = position.get("n"), position.get("i")
        if not isinstance(name, str) or not isinstance(pk, int) or "\x00" in name:
            raise bad_parameter("cursor", "The cursor is damaged; start again without it.")
        items = items.filter(Q(**{f"{field}__gt": name}) | Q(**{field: name, "pk__gt": pk}))
    page = list(items.order_by(field, "pk")[: query.limit + 1])
    more, page = len(page) > query.limit, page[: query.limit]
    cursor = paging.encode(kind, n=getattr(page[-1], field), i=page[-1].pk) if more else None
    return page, cursor


@router.get(
    "/authors", response={200: Authors, **ERRORS}, summary="Authors, by name, in a language"
)
def authors(request: HttpRequest, query: Query[PageQuery]):
    locale = resolve_locale(query.lang)
    found = Author.objects.filter(locale=locale).select_related("photo")
    page, cursor = _by_name(found, query, "a")
    language = locale.language_code
    return {
        "items": [
            {
                **content.author_ref(author, language),
                "lang": language,
                "role": author.role,
                "bio": author.bio,
                "photo": content.picture(author.photo, content.PHOTO_RENDITIONS),
            }
            for author in page
        ],
        "next": paging.next_link(request, cursor) if cursor else None,
    }


@router.get(
    "/tags",
    response={200: Tags, **ERRORS},
    summary="Tags of a language's published articles, by name",
)
def tags(request: HttpRequest, query: Query[PageQuery]):
    locale = resolve_locale(query.lang)
    used = ArticleTag.objects.filter(
        content_object__in=public_articles(locale).values("pk")
    ).values("tag_id")
    page, cursor = _by_name(Tag.objects.filter(pk__in=used), query, "t")
    language = locale.language_code
    return {
        "items": [
            {"slug": tag.slug, "name": tag.name, "url": content.tag_url(tag.slug, language)}
            for tag in page
        ],
        "next": paging.next_link(request, cursor) if cursor else None,
    }
