"""Writes to the news content: the demo, the CLI, importers and the tests create, publish,
translate, schedule and take down stories through these functions.

Every publish, here or in the admin (the editor's button, bulk publishing, a workflow's
approval, scheduled publishing), passes news/publishing.py, where the newsroom's rules are
checked, and ends in Wagtail's own publish action; what a change then does to the site is
news/events.py's `content_changed`. So a rule that must hold for every publish belongs in
publishing.py's hook, and an effect of every change in a `content_changed` receiver, not
only here."""

from __future__ import annotations

import io
import logging
import os
import socket
from collections.abc import Sequence
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.models import Locale, Page, PageLogEntry, Revision, Site
from wagtail.rich_text import RichText

from dateline.core.leases import acquire_lease, release_lease

# Importers and the API clean rich text from outside the editor with sanitise_html.
from dateline.core.sanitise import sanitise_html

from .models import (
    ArticleAuthor,
    ArticleCorrection,
    ArticlePage,
    ArticleRelatedStory,
    Author,
    HomePage,
    SectionPage,
)

logger = logging.getLogger(__name__)

SCHEDULER_LEASE = "scheduled-publishing"


def text_to_rich_text(paragraphs: list[str]) -> str:
    """Plain-text paragraphs (from an import or a command) as rich text, every one
    escaped: text that looks like markup is shown, never run."""
    return sanitise_html("".join(f"<p>{escape(text)}</p>" for text in paragraphs))


def site_locales() -> list[Locale]:
    """The Locale of every configured site language, created where missing."""
    return [
        Locale.objects.get_or_create(language_code=code)[0] for code, _name in settings.LANGUAGES
    ]


@transaction.atomic
def ensure_site(
    site_name: str = "Dateline", hostname: str = "localhost", port: int = 80
) -> HomePage:
    """The default site with a home page in every site language. Safe to run again."""
    locales = site_locales()
    default_locale = locales[0]
    root = Page.get_first_root_node()

    site = Site.objects.filter(is_default_site=True).first()
    home = site.root_page.specific if site else None
    if not isinstance(home, HomePage):
        if home is not None and not home.get_children().exists():
            # Wagtail's install leaves an empty welcome page as the site root; the news
            # home replaces it (its site goes with it and is made again below).
            home.delete()
            site = None
        home = HomePage(title=site_name, slug="home", locale=default_locale)
        root.add_child(instance=home)
        home.save_revision().publish()
        base = urlsplit(settings.DATELINE_BASE_URL)
        site = site or Site(is_default_site=True)
        site.hostname = base.hostname or hostname
        site.port = base.port or (443 if base.scheme == "https" else port)
        site.site_name = site_name
        site.root_page = home
        site.save()

    for locale in locales[1:]:
        if not home.has_translation(locale):
            translation = home.copy_for_translation(locale)
            translation.save_revision().publish()
    return home


def home_for(locale: Locale) -> HomePage:
    return ensure_site().get_translation(locale)


def publish(page: Page, user: AbstractBaseUser | None = None) -> Page:
    """Publish the page's current state as a new revision (scheduled if go_live_at is ahead)."""
    revision = page.save_revision(user=user, log_action=True)
    revision.publish(user=user)
    page.refresh_from_db()
    return page.specific


class CorrectionRefused(ValueError):
    """A correction that cannot be noted: the story is not live, or the text is unusable."""


def note_correction(
    article: ArticlePage,
    *,
    text: str,
    kind: str = ArticleCorrection.CORRECTION,
    noted_at: datetime | None = None,
    user: AbstractBaseUser | None = None,
) -> ArticleCorrection:
    """Add a correction to a live story and publish it, so readers see it at once. Refused
    while the story has unpublished changes: publishing them with the correction is the
    editor's decision, made in the editor."""
    article = ArticlePage.objects.get(pk=article.pk)
    text = text.strip()
    if not article.live:
        raise CorrectionRefused("a correction can only be noted on a published story")
    if article.has_unpublished_changes:
        raise CorrectionRefused("the story has unpublished changes: correct it in the editor")
    if not text or len(text) > ArticleCorrection._meta.get_field("text").max_length:
        raise CorrectionRefused("a correction needs a text of at most 1000 characters")
    if kind not in dict(ArticleCorrection.KINDS):
        raise CorrectionRefused(f"unknown kind of correction: {kind!r}")
    correction = ArticleCorrection(kind=kind, text=text, noted_at=noted_at or timezone.now())
    article.corrections.add(correction)
    publish(article, user=user)
    return article.corrections.get(noted_at=correction.noted_at, text=text)


def choose_related(
    article: ArticlePage, stories: Sequence[ArticlePage], user: AbstractBaseUser | None = None
) -> ArticlePage:
    """Set the stories shown as related under a live story, in this order, and publish."""
    article = ArticlePage.objects.get(pk=article.pk)
    for story in stories:
        if story.pk == article.pk or story.locale_id != article.locale_id:
            raise ValueError(f"{story} cannot be related to {article}")
    article.related_stories = [ArticleRelatedStory(story=story) for story in stories]
    return publish(article, user=user)


def unpublish(
    page: Page, user: AbstractBaseUser | None = None, *, include_descendants: bool = False
) -> Page:
    """Take the page down (and its live descendants, when asked). No rule can refuse this."""
    UnpublishPageAction(page, user=user, include_descendants=include_descendants).execute(
        skip_permission_checks=True
    )
    page.refresh_from_db()
    return page.specific


@transaction.atomic
def create_article(
    section: SectionPage,
    *,
    title: str,
    standfirst: str = "",
    paragraphs: Sequence[str] = (),
    authors: Sequence[Author] = (),
    tags: Sequence[str] = (),
    publish_now: bool = True,
    user: AbstractBaseUser | None = None,
    kind: type[ArticlePage] = ArticlePage,
    **fields,
) -> ArticlePage:
    """A story in `section`, in the section's language, published unless `publish_now` is
    False (then it stays a draft). `paragraphs` are plain text, escaped; other page fields
    (slug, body, lead_image, source, first_published_at, go_live_at...) pass through.
    `kind` is the story's type: LiveBlogPage for a live blog."""
    if paragraphs and "body" not in fields:
        fields["body"] = [("paragraph", RichText(text_to_rich_text([p]))) for p in paragraphs]
    fields.setdefault("body", [])
    article = kind(
        title=title, standfirst=standfirst, locale_id=section.locale_id, live=publish_now, **fields
    )
    set_byline(article, list(authors))
    if tags:
        article.tags.set(list(tags))
    section.add_child(instance=article)
    if publish_now:
        return publish(article, user)
    article.save_revision(user=user, log_action=True)
    return article


@transaction.atomic
def create_section(home: HomePage, *, title: str, slug: str, description: str) -> SectionPage:
    section = SectionPage(title=title, slug=slug, description=description, locale=home.locale)
    home.add_child(instance=section)
    return publish(section)


def translate_page(
    page: Page, locale: Locale, user: AbstractBaseUser | None = None, **fields
) -> Page:
    """A linked copy of the page in another language, its parents translated first if needed.

    The copy is a draft until published; `fields` replace the copied text."""
    translation = page.specific.copy_for_translation(locale, copy_parents=True)
    for name, value in fields.items():
        setattr(translation, name, value)
    if fields:
        translation.save_revision(user=user)
        translation.save()
    return translation


def schedule(page: Page, go_live_at: datetime, user: AbstractBaseUser | None = None) -> Revision:
    """Approve the page's current state to go live at `go_live_at`."""
    page.go_live_at = go_live_at
    revision = page.save_revision(user=user, log_action=True)
    revision.publish(user=user)
    return revision


def set_byline(article: ArticlePage, authors: list[Author]) -> None:
    article.bylines = [
        ArticleAuthor(author=author, sort_order=i) for i, author in enumerate(authors)
    ]


def _due_revisions():
    return Revision.page_revisions.filter(approved_go_live_at__lte=timezone.now())


def _expired_pages():
    return Page.objects.filter(live=True, expire_at__lt=timezone.now())


def run_scheduled_publishing(holder: str | None = None) -> int | None:
    """Publish what is due and unpublish what has expired, one runner at a time.

    Returns how many revisions were published, or None when another runner holds the lease."""
    holder = holder or f"{socket.gethostname()}:{os.getpid()}"
    if not acquire_lease(SCHEDULER_LEASE, holder, timedelta(minutes=5)):
        return None
    try:
        due = _due_revisions().count()
        if due or _expired_pages().exists():
            call_command("publish_scheduled", stdout=io.StringIO())
            logger.info("scheduled publishing: %d revision(s) published", due)
        return due
    finally:
        release_lease(SCHEDULER_LEASE, holder)


def publish_log_count(page: Page) -> int:
    return PageLogEntry.objects.filter(page=page, action="wagtail.publish").count()
