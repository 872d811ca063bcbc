"""What a change of content does: the one place that says it.

Every change a reader could notice becomes one `content_changed` event, whoever made it
(the admin, the services, the API, the CLI, the demo, the tests), because it is raised
from Wagtail's own signals and from the saves and deletes of the rows shown on pages:

- a page published (a first publish or an edit), unpublished, deleted, moved or given a
  new slug;
- the site settings and texts, languages, sites, redirects, authors, tags, pictures, or a
  page's privacy changed;
- a new release set up (`dateline setup`).

What follows, in this order:

1. The generations (core/generations.py) move on at once, so the rest of the request sees
   the change, and again when the transaction commits, so a copy made in between from the
   old rows is not kept: every cached page and fragment on every server is then out of
   date. Only stories changed: the content generation; anything else: the structure
   generation too. A story taken down (unpublished, deleted, made private) also raises
   the floor below which no copy is served, not even as stale while a new one renders.
2. `content_changed` is sent with a `ContentChange` (kind, pages, languages). The apps
   above news that keep or publish copies listen to it:
   - feeds and sitemaps retire their copies in the languages concerned (their own
     generations, at once and on commit);
   - the page cache tells a CDN, when one is configured, what to purge once the change
     commits (for a takedown: the story and every listing, feed and sitemap of it);
   - search indexes a published page, drops an unpublished one and reindexes a moved or
     restricted subtree (a deleted page's entry goes with its row);
   - the API records the articles concerned in the change log that apps sync from;
   - the view counter stops counting a story taken down.

What a reader may see after each kind of change is in docs/caching.md."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal
from wagtail.models import Page
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from dateline.core import fragments
from dateline.core.signals import models_shown_on_pages

PUBLISHED = "published"
UNPUBLISHED = "unpublished"
DELETED = "deleted"
MOVED = "moved"
SETTINGS = "settings"
AUTHOR = "author"
TAG = "tag"
IMAGE = "image"
PRIVACY = "privacy"
# An editor ended or resumed a live blog's coverage (news/live.py).
COVERAGE = "coverage"
# A new release was set up: templates and static file addresses may have changed.
RELEASE = "release"
# What takes a story away from readers: no copy made before may be served afterwards.
TAKEDOWNS = frozenset({UNPUBLISHED, DELETED, PRIVACY})

# Sent with `change=ContentChange(...)`, in the transaction that made the change.
content_changed = Signal()
# Sent with `story=<ArticlePage>` and `mark=<BreakingNews>` once an editor's marking of a
# published story as breaking has committed (news/breaking.py). What reaches readers away
# from the site (e-mail alerts, push, channels) listens to it; it is sent once per marking,
# never for a later edit.
story_marked_breaking = Signal()


@dataclass(frozen=True)
class ContentChange:
    kind: str
    # The pages changed; none when a row shown on pages changed (settings, an author…).
    pages: tuple[Page, ...] = ()
    # The languages whose pages may show the change; None: every language.
    languages: tuple[str, ...] | None = None
    # Whether what frames every page (navigation, footer, settings) may have changed,
    # rather than only story listings.
    structure: bool = True

    @property
    def takes_down(self) -> bool:
        return self.kind in TAKEDOWNS


def raise_change(change: ContentChange) -> None:
    retire(structure=change.structure, pulled=change.takes_down)
    content_changed.send(sender=ContentChange, change=change)


def retire(*, structure: bool, pulled: bool = False) -> None:
    fragments.retire_fragments(structure=structure, pulled=pulled)
    transaction.on_commit(lambda: fragments.retire_fragments(structure=structure, pulled=pulled))


def _language_of(instance) -> tuple[str, ...] | None:
    try:
        return (instance.locale.language_code,)
    except Exception:  # the locale may already be gone in a cascade
        return None


def _page_change(kind: str):
    def receiver(sender, instance: Page, **kwargs) -> None:
        raise_change(
            ContentChange(
                kind,
                pages=(instance,),
                languages=_language_of(instance),
                structure=not fragments.is_story(instance),
            )
        )

    receiver.__name__ = f"page_{kind}"
    return receiver


_page_published = _page_change(PUBLISHED)
_page_unpublished = _page_change(UNPUBLISHED)
_page_deleted = _page_change(DELETED)
_page_moved = _page_change(MOVED)


def kind_of_row(model: type) -> str:
    from taggit.models import Tag
    from wagtail.models import PageViewRestriction

    from dateline.core.models import NewsImage

    from .models import Author

    kinds = {Author: AUTHOR, Tag: TAG, NewsImage: IMAGE, PageViewRestriction: PRIVACY}
    return kinds.get(model, SETTINGS)


def _row_changed(sender, instance, **kwargs) -> None:
    from wagtail.models import PageViewRestriction

    from .models import Author

    if isinstance(instance, PageViewRestriction):
        _privacy_changed(instance)
        return
    languages = _language_of(instance) if isinstance(instance, Author) else None
    raise_change(ContentChange(kind_of_row(sender), languages=languages))


def _privacy_changed(restriction) -> None:
    """A page made private (or public again): the page and everything under it."""
    page = Page.objects.filter(pk=restriction.page_id).first()
    pages = (page,) if page is not None else ()
    languages = _language_of(page) if page is not None else None
    raise_change(ContentChange(PRIVACY, pages=pages, languages=languages))


def rows_shown_on_pages() -> list[type]:
    from .models import Author

    return [*models_shown_on_pages(), Author]


def connect() -> None:
    receivers = [
        (page_published, _page_published),
        (page_unpublished, _page_unpublished),
        (page_slug_changed, _page_moved),
        (post_page_move, _page_moved),
    ]
    for signal, receiver in receivers:
        signal.connect(receiver, dispatch_uid=f"news-events-{receiver.__name__}-{id(signal)}")
    # Deleting any page deletes its row in Page's own table, which sends this once.
    post_delete.connect(_page_deleted, sender=Page, dispatch_uid="news-events-page-deleted")
    for model in rows_shown_on_pages():
        post_save.connect(_row_changed, sender=model, dispatch_uid=f"news-events-{model}")
        post_delete.connect(_row_changed, sender=model, dispatch_uid=f"news-events-del-{model}")


def languages_of(change: ContentChange, site_languages: Iterable[str]) -> list[str]:
    """The languages a change reaches: its own, or every site language."""
    return list(change.languages) if change.languages is not None else list(site_languages)
