"""What the API answers with: the shapes published in /api/v1/openapi.json."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import Field


class Problem(Schema):
    """An error, as RFC 9457 problem details."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    errors: list[dict] | None = None


class Language(Schema):
    code: str = Field(examples=["en"])
    name: str = Field(examples=["English"])
    default: bool
    home_url: str


class Languages(Schema):
    items: list[Language]


class SocialLink(Schema):
    network: str = Field(examples=["telegram"])
    label: str
    url: str


class AppLinks(Schema):
    app_store: str | None
    google_play: str | None


class SiteInfo(Schema):
    lang: str
    name: str
    tagline: str
    reuse_notice: str
    time_zone: str = Field(examples=["Asia/Yerevan"])
    home_url: str
    social_links: list[SocialLink]
    apps: AppLinks
    languages: list[Language]


class Section(Schema):
    id: int
    lang: str
    slug: str
    title: str
    description: str
    url: str


class Sections(Schema):
    items: list[Section]


class Rendition(Schema):
    name: str = Field(examples=["medium"])
    url: str
    width: int
    height: int


class Picture(Schema):
    caption: str
    credit: str
    width: int
    height: int
    renditions: list[Rendition]


class AuthorRef(Schema):
    id: int
    slug: str
    name: str
    url: str


class Author(AuthorRef):
    lang: str
    role: str
    bio: str
    photo: Picture | None


class Authors(Schema):
    items: list[Author]
    next: str | None


class Tag(Schema):
    slug: str
    name: str
    url: str


class Tags(Schema):
    items: list[Tag]
    next: str | None


class SectionRef(Schema):
    id: int
    slug: str
    title: str


class ArticleSummary(Schema):
    id: int
    lang: str
    headline: str
    standfirst: str
    url: str
    section: SectionRef | None
    authors: list[AuthorRef]
    tags: list[Tag]
    published_at: datetime
    updated_at: datetime
    lead_image: Picture | None


class Tombstone(Schema):
    """An article that apps must drop: unpublished, deleted or no longer public."""

    id: int
    lang: str
    removed_at: datetime


class ArticleList(Schema):
    items: list[ArticleSummary]
    deleted: list[Tombstone] = Field(
        description="Only with updated_since: articles removed from public view since then."
    )
    next: str | None = Field(description="The next page, or null on the last page.")


class Translation(Schema):
    id: int
    lang: str
    headline: str
    url: str


class Correction(Schema):
    kind: str = Field(description="`correction` or `clarification`.")
    text: str
    noted_at: datetime


class Article(ArticleSummary):
    body_html: str = Field(description="The body as sanitised HTML with absolute links.")
    body_text: str = Field(description="The body as plain text, paragraphs apart.")
    source: str
    time_zone: str = Field(description="The site's time zone; times carry its offset.")
    canonical_url: str
    share_links: dict[str, str]
    translations: list[Translation]
    views: int
    material_update_at: datetime | None = Field(
        description="When the newsroom last marked a material update: what readers see as "
        "“Updated”. Not every publish (see updated_at)."
    )
    corrections: list[Correction] = Field(description="Oldest first.")


class NinjsFeed(Schema):
    items: list[dict] = Field(description="IPTC ninjs 2.2 items, newest first.")
    next: str | None = Field(description="The next page, or null on the last page.")
