"""Articles: the newest first with filters, search, app sync with tombstones, and one
article by id or by its address on the site."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Path, Query, Router
from ninja.renderers import JSONRenderer
from taggit.models import Tag
from wagtail.models import Locale

from dateline.analytics.services import view_count_of
from dateline.news.models import ArticlePage, ArticleTag, Author, HomePage, SectionPage
from dateline.news.models import published_articles as news_published_articles
from dateline.news.queries import section_by_slug
from dateline.search import services as search

from . import content, ninjs, paging
from .errors import ApiProblem, bad_parameter
from .models import ArticleChange
from .queries import (
    ARTICLE_ADDRESS,
    MAX_ID,
    SITE_LANGUAGES,
    ArticleQuery,
    PageQuery,
    PathQuery,
    resolve_locale,
)
from .schemas import Article, ArticleList, NinjsFeed, Problem

router = Router(tags=["articles"])
# The API's own renderer (api.py keeps ninja's JSON renderer).
LIST_RENDERER = JSONRenderer()
ERRORS = {400: Problem, 404: Problem, 422: Problem, 429: Problem}


def public_articles(locale: Locale | None = None) -> QuerySet[ArticlePage]:
    """Live articles anyone may read, newest first; aliases are left to their original,
    and a page made live without ever being published has no publish time to show."""
    return news_published_articles(locale).filter(
        alias_of__isnull=True, first_published_at__isnull=False
    )


# ---------------------------------------------------------------- filters


def _section(locale: Locale, slug: str) -> SectionPage:
    found = section_by_slug(slug, locale)
    if found is None:
        raise bad_parameter(
            "section", f"No section “{slug}” in {locale.language_code}.", "Unknown section"
        )
    return found


def _tag(slug: str) -> Tag:
    found = Tag.objects.filter(slug=slug).first()
    if found is None:
        raise bad_parameter("tag", f"No tag “{slug}”.", "Unknown tag")
    return found


def _author(locale: Locale, slug: str) -> Author:
    found = (
        Author.objects.filter(slug=slug, locale=locale).first()
        or Author.objects.filter(slug=slug).order_by("pk").first()
    )
    if found is None:
        raise bad_parameter("author", f"No author “{slug}”.", "Unknown author")
    return found


def filtered(query: ArticleQuery, locale: Locale) -> QuerySet[ArticlePage]:
    articles = public_articles(locale)
    if query.section:
        articles = articles.descendant_of(_section(locale, query.section))
    if query.tag:
        tagged = ArticleTag.objects.filter(tag=_tag(query.tag)).values("content_object_id")
        articles = articles.filter(pk__in=tagged)
    if query.author:
        author = _author(locale, query.author)
        articles = articles.filter(
            pk__in=ArticlePage.objects.filter(
                bylines__author__translation_key=author.translation_key
            ).values("pk")
        )
    if query.published_after:
        articles = articles.filter(first_published_at__gte=query.published_after)
    if query.published_before:
        articles = articles.filter(first_published_at__lt=query.published_before)
    return articles


def _refuse_with(query: ArticleQuery, mode: str, names: tuple[str, ...]) -> None:
    for name in names:
        if getattr(query, name):
            raise bad_parameter(name, f"{name} cannot be combined with {mode}.")


# ---------------------------------------------------------------- the three listings


def newest(request: HttpRequest, query: ArticleQuery, locale: Locale) -> dict:
    rows = list(
        _after_cursor(query, locale).values_list("pk", "first_published_at")[: query.limit + 1]
    )
    more, rows = len(rows) > query.limit, rows[: query.limit]
    next_link = _newest_next_link(request, *rows[-1]) if more else None
    items = content.summary_texts_of([pk for pk, _ in rows])
    return {"items": items, "deleted": [], "next": next_link}


def newest_page(
    request: HttpRequest,
    query: ArticleQuery,
    locale: Locale,
    renditions: dict[str, str] = content.LIST_RENDITIONS,
) -> tuple[list[ArticlePage], str | None]:
    """One page of the newest articles, each whole, and the link to the next page (None
    at the end)."""
    page = list(content.with_related(_after_cursor(query, locale), renditions)[: query.limit + 1])
    more, page = len(page) > query.limit, page[: query.limit]
    last = page[-1] if more else None
    next_link = _newest_next_link(request, last.pk, last.first_published_at) if last else None
    return page, next_link


def _after_cursor(query: ArticleQuery, locale: Locale) -> QuerySet[ArticlePage]:
    articles = filtered(query, locale)
    position = paging.time_position(paging.decode(query.cursor, "p"), "p")
    if position:
        moment, pk = position
        articles = articles.filter(
            Q(first_published_at__lt=moment) | Q(first_published_at=moment, pk__lt=pk)
        )
    return articles


def _newest_next_link(request: HttpRequest, pk: int, published: datetime) -> str:
    return paging.next_link(request, paging.encode("p", t=published.isoformat(), i=pk))


def changed(request: HttpRequest, query: ArticleQuery, locale: Locale) -> dict:
    """App sync: every change at or after `updated_since`, oldest first. An article that
    left public view comes back in `deleted`; filters other than `lang` apply to the
    articles that are still public."""
    _refuse_with(query, "updated_since", ("q",))
    changes = ArticleChange.objects.filter(
        language=locale.language_code, changed_at__gte=query.updated_since
    )
    if any([query.section, query.tag, query.author, query.published_after, query.published_before]):
        changes = changes.filter(
            Q(public=False) | Q(page_id__in=filtered(query, locale).values("pk"))
        )
    position = paging.time_position(paging.decode(query.cursor, "c"), "c")
    if position:
        moment, pk = position
        changes = changes.filter(Q(changed_at__gt=moment) | Q(changed_at=moment, page_id__gt=pk))
    rows = list(
        changes.order_by("changed_at", "page_id").values_list(
            "page_id", "language", "changed_at", "public", named=True
        )[: query.limit + 1]
    )
    more, rows = len(rows) > query.limit, rows[: query.limit]
    live = set(
        public_articles()
        .filter(pk__in=[row.page_id for row in rows if row.public])
        .values_list("pk", flat=True)
    )
    zone = content.site_time_zone()
    items, deleted = [], []
    for row in rows:
        if row.page_id in live:
            items.append(row.page_id)
        else:  # removed, or no longer public although the log has not heard yet
            deleted.append(
                {
                    "id": row.page_id,
                    "lang": row.language,
                    "removed_at": content.local(row.changed_at, zone),
                }
            )
    next_link = None
    if more:
        cursor = paging.encode("c", t=rows[-1].changed_at.isoformat(), i=rows[-1].page_id)
        next_link = paging.next_link(request, cursor)
    return {"items": content.summary_texts_of(items), "deleted": deleted, "next": next_link}


def searched(request: HttpRequest, query: ArticleQuery, locale: Locale) -> dict:
    """The site's search, page by page: the same hits, in the same order."""
    _refuse_with(query, "q", ("tag", "author", "updated_since"))
    filters = search.Filters(
        section_id=_section(locale, query.section).pk if query.section else None,
        sort=query.sort,
        published_after=query.published_after,
        published_before=query.published_before,
    )
    results = search.search(query.q, locale, filters)
    data = paging.decode(query.cursor, "s")
    try:
        offset = int(data["o"]) if data else 0
    except (KeyError, TypeError, ValueError):
        offset = -1
    if not 0 <= offset <= search.max_results():
        raise bad_parameter("cursor", "The cursor is damaged; start again without it.")
    ids = results.ids(offset, query.limit + 1)
    more, ids = len(ids) > query.limit, ids[: query.limit]
    public = set(public_articles(locale).filter(pk__in=ids).values_list("pk", flat=True))
    next_link = None
    if more and offset + query.limit < search.max_results():
        next_link = paging.next_link(request, paging.encode("s", o=offset + query.limit))
    items = content.summary_texts_of([pk for pk in ids if pk in public])
    return {"items": items, "deleted": [], "next": next_link}


@router.get(
    "/articles",
    response={200: ArticleList, **ERRORS},
    summary="Articles, newest first; search; changes since a time",
    description=(
        "Live public articles of one language. With `q`: the site's search (ranked like "
        "the search page; combine with `section`, `published_after/before`, `sort`). With "
        "`updated_since`: every article changed since then, oldest change first, and in "
        "`deleted` those removed from public view. Follow `next` for the next page."
    ),
)
def article_list(request: HttpRequest, query: Query[ArticleQuery]):
    locale = resolve_locale(query.lang)
    if query.q is not None:
        query.q = search.clean_query(query.q)
    if query.q:
        answer = searched(request, query, locale)
    elif query.updated_since:
        answer = changed(request, query, locale)
    else:
        answer = newest(request, query, locale)
    return list_answer(request, answer)


def list_answer(request: HttpRequest, answer: dict) -> HttpResponse:
    """A list as JSON: its items are the summaries' kept JSON texts (`content.
    summary_texts_of`), written between the rest of the answer as the renderer writes it,
    without validating them against ArticleList again; the tests compare each kind of list
    with the schema's own rendering of it."""
    rest = LIST_RENDERER.render(
        request, {"deleted": answer["deleted"], "next": answer["next"]}, response_status=200
    )
    text = '{"items": [' + ", ".join(answer["items"]) + "], " + rest.removeprefix("{")
    return HttpResponse(
        text, content_type=f"{LIST_RENDERER.media_type}; charset={LIST_RENDERER.charset}"
    )


# ---------------------------------------------------------------- one article


def _article_detail(articles: QuerySet[ArticlePage], missing: str) -> dict:
    """The one article of `articles` whole, with its view count; a 404 saying `missing`."""
    pk = articles.values_list("pk", flat=True).first()
    answer = None if pk is None else content.detail_of(pk, view_count_of(pk))
    if answer is None:
        raise ApiProblem(404, "Not found", missing)
    return answer


def _with_detail(articles: QuerySet[ArticlePage]) -> ArticlePage | None:
    return content.with_related(articles, content.DETAIL_RENDITIONS).first()


@router.get(
    "/articles/by-path",
    response={200: Article, **ERRORS},
    summary="One article by its address on the site",
)
def article_by_path(request: HttpRequest, query: Query[PathQuery]):
    if not ARTICLE_ADDRESS.fullmatch(query.path):
        raise bad_parameter(
            "path",
            "Give the article's path, e.g. /en/world/some-story/, or its full URL; "
            f"the path starts with a site language ({', '.join(SITE_LANGUAGES)}).",
        )
    path = urlsplit(query.path).path
    segments = [segment for segment in path.split("/") if segment]
    locale = resolve_locale(segments[0])
    home = HomePage.objects.filter(locale=locale).order_by("path").first()
    url_path = (home.url_path if home else "") + "/".join(segments[1:]) + "/"
    found = (
        public_articles(locale).filter(url_path=url_path) if home else ArticlePage.objects.none()
    )
    return _article_detail(found, f"No published article at {path}.")


@router.get(
    "/articles.ninjs",
    response={200: NinjsFeed, **ERRORS},
    summary="Articles, newest first, as IPTC ninjs 2.2",
    description=(
        "For partner newsrooms and aggregators: the newest public articles of one language, "
        "each a whole IPTC ninjs 2.2 item (headline, summary, body, byline, picture, "
        "source), in `items`. Follow `next` for older ones."
    ),
)
def article_feed_ninjs(request: HttpRequest, query: Query[PageQuery]):
    locale = resolve_locale(query.lang)
    page, next_link = newest_page(
        request, ArticleQuery(**query.dict()), locale, content.DETAIL_RENDITIONS
    )
    return {"items": ninjs.items(page), "next": next_link}


@router.get(
    "/articles/{article_id}.ninjs",
    response={200: dict, **ERRORS},
    summary="One article as IPTC ninjs 2.2",
)
def article_ninjs(request: HttpRequest, article_id: int = Path(..., ge=1, le=MAX_ID)):
    article = _with_detail(public_articles().filter(pk=article_id))
    if article is None:
        raise ApiProblem(404, "Not found", f"No published article has the id {article_id}.")
    return ninjs.items([article])[0]


@router.get(
    "/articles/{article_id}",
    response={200: Article, **ERRORS},
    summary="One article",
)
def article_detail(request: HttpRequest, article_id: int = Path(..., ge=1, le=MAX_ID)):
    return _article_detail(
        public_articles().filter(pk=article_id), f"No published article has the id {article_id}."
    )
