"""What a change of content does: the one place that says it.

Every change a reader could notice becomes one `content_changed` event, whoever made it
(the admin, the services, the API, the CLI, the demo, the tests), because it is raised
from Wagtail's own signals and from the saves and deletes of the rows shown on pages:

- a page published (a first publish or an edit), unpublished, deleted, moved or given a
  new slug;
- the site settings and texts, languages, sites, redirects, authors, tags, pictures, or a
  page's privacy changed.

What follows, in this order:

1. The shared fragments (core/fragments.py) are retired at once, so the rest of the
   request sees the change, and again when the transaction commits, so a request that
   read the old rows in between cannot keep them. Only stories changed: the content
   generation; anything else: the structure generation too.
2. `content_changed` is sent with a `ContentChange` (kind, pages, languages). Apps above
   news that keep copies listen to it:
   - the page cache raises its generation once the transaction commits (every cached
     page on every server is then stale) and tells a CDN what to purge;
   - feeds and sitemaps retire the cached copies of the languages concerned, at once and
     on commit.

Search's index, the API's sync log and the view counter's list of countable stories
still follow Wagtail's page signals themselves."""

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

# Sent with `change=ContentChange(...)`, in the transaction that made the change.
content_changed = Signal()


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


def raise_change(change: ContentChange) -> None:
    retire_fragments(structure=change.structure)
    content_changed.send(sender=ContentChange, change=change)


def retire_fragments(*, structure: bool) -> None:
    fragments.retire_fragments(structure=structure)
    transaction.on_commit(lambda: fragments.retire_fragments(structure=structure))


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
    from .models import Author

    languages = _language_of(instance) if isinstance(instance, Author) else None
    raise_change(ContentChange(kind_of_row(sender), languages=languages))


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
