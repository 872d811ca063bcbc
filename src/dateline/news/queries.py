"""The read side of news: the lookups and renderings that the site's views, the feeds and
the API share, so that a reader, a feed reader and an app get the same answer.

Writes go through services.py; these functions only read. None of them caches: pages,
feeds and API answers are cached whole by their owners. Bylines are translated by
`models.authors_in_language`, which the article page's own `authors()` uses too."""

from __future__ import annotations

from typing import NamedTuple

import nh3
from django.db.models import QuerySet
from django.utils.html import escape
from django.utils.translation import get_language
from taggit.models import Tag
from wagtail.models import Locale
from wagtail.rich_text import expand_db_html

from dateline.core.addresses import absolute, page_path
from dateline.core.images import rendition

from .embeds import facade
from .models import (
    ArticleAuthor,
    ArticleCorrection,
    ArticlePage,
    ArticleTag,
    Author,
    SectionPage,
    authors_in_language,
    published_articles,
)
from .sharing import ShareLink
from .sharing import share_links as share_links_for

# What a story's body may hold outside the site (feeds, apps): the editor's tags and the
# blocks' own, nothing else.
BODY_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "a", "ul", "ol", "li",
    "blockquote", "figure", "figcaption", "img", "footer", "aside",
}  # fmt: skip
BODY_ATTRIBUTES = {"a": {"href"}, "img": {"src", "width", "height", "alt"}}
BODY_PICTURE = "width-1200"


def author_by_slug(slug: str, locale: Locale) -> Author | None:
    """The author with this slug in `locale`; else whoever has it in another language (the
    earliest created), shown in `locale` where they have a translation. The reader's
    language comes first because two people may share a slug in different languages."""
    found = (
        Author.objects.filter(slug=slug, locale=locale).first()
        or Author.objects.filter(slug=slug).order_by("pk").first()
    )
    if found is None:
        return None
    return found.get_translation_or_none(locale) or found


def section_by_slug(slug: str, locale: Locale) -> SectionPage | None:
    """The live, public section with this slug in `locale` (sections sit only under a
    language's home, so the slug is unique there)."""
    return SectionPage.objects.live().public().filter(slug=slug, locale=locale).first()


def tag_by_slug(slug: str) -> Tag | None:
    return Tag.objects.filter(slug=slug).first()


def byline(article: ArticlePage, language: str | None = None) -> list[Author]:
    """The story's authors in order, each in `language` (the reader's when not given)
    where they have a translation."""
    authors = [item.author for item in article.bylines.select_related("author")]
    return authors_in_language(authors, language or get_language())


def bylines(articles: list[ArticlePage]) -> dict[int, list[Author]]:
    """{story id: its byline in the story's own language} for a page of stories, in one
    query per language, after one for the bylines of them all (a prefetch through the
    stories' own byline relation cost twice that, a fifth of an API list's time)."""
    authors: dict[int, list[Author]] = {article.pk: [] for article in articles}
    rows = (
        ArticleAuthor.objects.filter(article_id__in=authors)
        .select_related("author")
        .order_by("sort_order", "pk")
    )
    for row in rows:
        authors[row.article_id].append(row.author)
    by_language: dict[str, list[ArticlePage]] = {}
    for article in articles:
        by_language.setdefault(article.locale.language_code, []).append(article)
    shown: dict[int, list[Author]] = {}
    for language, stories in by_language.items():
        everyone = [author for story in stories for author in authors[story.pk]]
        translated = iter(authors_in_language(everyone, language))
        for story in stories:
            shown[story.pk] = [next(translated) for _author in authors[story.pk]]
    return shown


class TagName(NamedTuple):
    slug: str
    name: str


def tags_by_article(articles: list[ArticlePage]) -> dict[int, list[TagName]]:
    """{story id: its tags by name} for a page of stories, in one query, as slugs and names:
    the tag manager's own prefetch builds a query per story to hold each story's share,
    and a list of twenty stories names some fifty tags, each two model objects to make."""
    tags: dict[int, list[TagName]] = {article.pk: [] for article in articles}
    rows = ArticleTag.objects.filter(content_object_id__in=tags).values_list(
        "content_object_id", "tag__slug", "tag__name"
    )
    for story, slug, name in rows:
        tags[story].append(TagName(slug, name))
    for story_tags in tags.values():
        story_tags.sort(key=lambda tag: tag.name.lower())
    return tags


def body_html(article: ArticlePage) -> str:
    """The story's body as HTML for readers outside the site: only the tags a body uses,
    links and pictures at absolute addresses, pictures at one size. Feeds and the API
    show this; the article page renders the blocks through their own templates."""
    parts = (_block_html(block) for block in article.body)
    return _sanitise("".join(part for part in parts if part))


def story_address(article: ArticlePage) -> str:
    """The story's public address, from its path (no query)."""
    return absolute(page_path(article.url_path, article.locale.language_code))


def share_links(article: ArticlePage) -> list[ShareLink]:
    """Where a reader can share the story, by network, pointing at its public address."""
    return share_links_for(story_address(article), article.title)


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
        return _figure_html(value.get("image"), value.get("caption") or "")
    if kind == "gallery":
        title = value.get("title")
        pictures = (
            _figure_html(picture.get("image"), picture.get("caption") or "")
            for picture in value.get("pictures") or []
        )
        return (f"<h3>{escape(title)}</h3>" if title else "") + "".join(pictures)
    if kind == "fact_box":
        facts = value.get("facts")
        return (
            f"<aside><h3>{escape(value.get('title') or '')}</h3>"
            f"{expand_db_html(facts.source) if facts else ''}</aside>"
        )
    if kind == "embed" and value is not None:
        shown = facade(value.url)
        if shown is None:
            return ""
        label = f"{shown.provider}: {shown.title}" if shown.title else shown.provider
        return f'<p><a href="{escape(shown.url)}">{escape(label)}</a></p>'
    return ""


def _figure_html(image, caption: str) -> str:
    found = rendition(image, BODY_PICTURE)
    if found is None:
        return ""
    return (
        f'<figure><img src="{escape(found.url)}" width="{found.width}" '
        f'height="{found.height}" alt="{escape(caption)}">'
        + (f"<figcaption>{escape(caption)}</figcaption>" if caption else "")
        + "</figure>"
    )


def _site_address(tag: str, attribute: str, value: str) -> str:
    if attribute in {"href", "src"} and value.startswith("/") and not value.startswith("//"):
        return absolute(value)
    return value


def _sanitise(fragment: str) -> str:
    return nh3.clean(
        fragment,
        tags=BODY_TAGS,
        attributes=BODY_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        attribute_filter=_site_address,
        link_rel="noopener",
    )


def published_corrections(locale: Locale) -> QuerySet[ArticleCorrection]:
    """The corrections noted on the language's published stories, newest first."""
    return (
        ArticleCorrection.objects.filter(article__in=published_articles(locale).values("pk"))
        .select_related("article")
        .order_by("-noted_at", "-pk")
    )
