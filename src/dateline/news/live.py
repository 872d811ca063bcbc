"""Live blogs: editors post short updates to a live blog (LiveBlogPage) while an event
unfolds, and readers with the page open see "N new updates" without reloading.

An update is a row of its own, not part of the page's revisions: posting one needs no
publish, and editors posting at once each add a row, never overwriting each other. Every
post, correction and deletion is written to the page's history.

Readers' pages follow the blog's own generation (`live:<page id>`), moved by every change
of its updates: the page and `/<language>/live/<id>/updates.json`, which open pages poll,
stay in the page cache until then, so thousands of readers polling cost the servers a
memory lookup each, and a post reaches them at their next poll. Every other page of the
site stays cached. A CDN may keep what they poll for `SHARED_SECONDS`.

When an editor ends the coverage, the page stays as an archive and stops polling."""

from __future__ import annotations

import re

import nh3
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from wagtail.log_actions import log

from dateline.core import generations

from .events import COVERAGE, ContentChange, raise_change
from .models import LiveBlogPage, LiveUpdate
from .streams import generation_name, plain_text

# Stored markup of one update; a long report belongs in a story of its own.
MAX_BODY_CHARACTERS = 20_000
HEADLINE_LENGTH = LiveUpdate._meta.get_field("headline").max_length

POSTED = "news.live_update.post"
REVISED = "news.live_update.revise"
DELETED = "news.live_update.delete"
ENDED = "news.live_blog.end"
RESUMED = "news.live_blog.resume"

# What an update may hold: the editor's rich text (news/models.py LIVE_UPDATE_FEATURES) in
# the stored form, where pictures and embeds are <embed> elements that the page expands.
_ALLOWED_TAGS = {"p", "br", "b", "strong", "i", "em", "a", "ol", "ul", "li", "blockquote", "embed"}
_EMBED = re.compile(r"<embed(\b[^>]*?)\s*/?>")
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "linktype", "id"},
    "embed": {"embedtype", "id", "format", "alt", "url"},
}


class LiveRefused(ValueError):
    """A change that cannot be made: the blog is not covering, or the update is empty or
    too long. The message says which, for the editor."""


def clean_body(body: str) -> str:
    """The update's markup with anything a reader's browser could run taken out."""
    cleaned = nh3.clean(
        body,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
    ).strip()
    # The page expands only the stored form of pictures and embeds, `<embed …/>`.
    return _EMBED.sub(r"<embed\1/>", cleaned)


def _checked(body: str, headline: str) -> tuple[str, str]:
    headline = " ".join(headline.split())
    if len(headline) > HEADLINE_LENGTH:
        raise LiveRefused(
            gettext("The headline can be at most %(count)d characters long.")
            % {"count": HEADLINE_LENGTH}
        )
    if len(body) > MAX_BODY_CHARACTERS:
        raise LiveRefused(
            gettext("An update can be at most %(count)d characters long; this one has %(length)d.")
            % {"count": MAX_BODY_CHARACTERS, "length": len(body)}
        )
    body = clean_body(body)
    if not plain_text(body) and "<embed" not in body:
        raise LiveRefused(gettext("An update needs some text, a picture or an embed."))
    return body, headline


def _byline(user: AbstractBaseUser | None) -> str:
    if user is None:
        return ""
    from .models import Author

    author = Author.objects.filter(user=user).order_by("pk").first()
    if author is not None:
        return author.name
    return (user.get_full_name() or user.get_username())[:120]


def _user(user: AbstractBaseUser | None) -> AbstractBaseUser | None:
    return user if user is not None and user.is_authenticated else None


def _covering(blog: LiveBlogPage) -> LiveBlogPage:
    """The blog, locked against ending while an update is added, if it is covering."""
    current = LiveBlogPage.objects.select_for_update(of=("self",)).filter(pk=blog.pk).first()
    if current is None or not current.live:
        raise LiveRefused(gettext("Updates can be posted only to a published live blog."))
    if current.coverage_ended_at is not None:
        raise LiveRefused(
            gettext("The coverage has ended; resume it before posting another update.")
        )
    return current


def _changed(blog: LiveBlogPage) -> None:
    name = generation_name(blog.pk)
    generations.advance(name)
    transaction.on_commit(lambda: generations.advance(name))


def _logged(action: str, blog: LiveBlogPage, user, update: LiveUpdate | None = None) -> None:
    data = {}
    if update is not None:
        data = {"update_id": update.pk, "headline": update.headline, "body": update.body}
    log(instance=blog, action=action, user=_user(user), data=data)


def post_update(
    blog: LiveBlogPage,
    *,
    body: str,
    headline: str = "",
    pinned: bool = False,
    key_event: bool = False,
    user: AbstractBaseUser | None = None,
    byline: str | None = None,
) -> LiveUpdate:
    """Add an update to the top of a covering live blog; readers see it at their next poll.
    The byline is the posting editor's author name unless one is given."""
    body, headline = _checked(body, headline)
    with transaction.atomic():
        current = _covering(blog)
        update = LiveUpdate.objects.create(
            blog=current,
            author=_user(user),
            byline=(byline if byline is not None else _byline(_user(user)))[:120],
            headline=headline,
            body=body,
            pinned=pinned,
            key_event=key_event,
        )
        _logged(POSTED, current, user, update)
        _changed(current)
    return update


def revise_update(
    update: LiveUpdate,
    *,
    body: str,
    headline: str = "",
    pinned: bool = False,
    key_event: bool = False,
    user: AbstractBaseUser | None = None,
) -> LiveUpdate:
    """Correct an update. Allowed after the coverage ended: an archive is still corrected."""
    body, headline = _checked(body, headline)
    with transaction.atomic():
        locked = LiveUpdate.objects.select_for_update().filter(pk=update.pk).first()
        if locked is None:
            raise LiveRefused(gettext("This update has been deleted."))
        locked.body, locked.headline = body, headline
        locked.pinned, locked.key_event = pinned, key_event
        locked.revised_at = timezone.now()
        locked.save(update_fields=["body", "headline", "pinned", "key_event", "revised_at"])
        _logged(REVISED, locked.blog, user, locked)
        _changed(locked.blog)
    return locked


def delete_update(update: LiveUpdate, *, user: AbstractBaseUser | None = None) -> bool:
    """Remove an update from the blog; its text stays in the page's history. Deleting one
    already gone is harmless (returns False)."""
    with transaction.atomic():
        locked = (
            LiveUpdate.objects.select_for_update().select_related("blog").filter(pk=update.pk)
        ).first()
        if locked is None:
            return False
        _logged(DELETED, locked.blog, user, locked)
        locked.delete()
        _changed(locked.blog)
    return True


def end_coverage(blog: LiveBlogPage, *, user: AbstractBaseUser | None = None) -> LiveBlogPage:
    """End the coverage: the page stays as an archive, and open pages stop polling."""
    with transaction.atomic():
        current = _covering(blog)
        current.coverage_ended_at = timezone.now()
        LiveBlogPage.objects.filter(pk=current.pk).update(
            coverage_ended_at=current.coverage_ended_at
        )
        _logged(ENDED, current, user)
        _coverage_changed(current)
    return current


def resume_coverage(blog: LiveBlogPage, *, user: AbstractBaseUser | None = None) -> LiveBlogPage:
    with transaction.atomic():
        current = LiveBlogPage.objects.select_for_update(of=("self",)).get(pk=blog.pk)
        if current.coverage_ended_at is None:
            return current
        current.coverage_ended_at = None
        LiveBlogPage.objects.filter(pk=current.pk).update(coverage_ended_at=None)
        _logged(RESUMED, current, user)
        _coverage_changed(current)
    return current


def _coverage_changed(blog: LiveBlogPage) -> None:
    # Listings mark a covering blog, and the news sitemap lists it while it covers.
    _changed(blog)
    language = blog.locale.language_code
    raise_change(ContentChange(COVERAGE, pages=(blog,), languages=(language,), structure=False))
