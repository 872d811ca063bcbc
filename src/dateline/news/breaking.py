"""Breaking news: an editor marks a published story breaking, with a short label and a time
until which it is shown, and every page of the story's language shows a banner linking to
it, newest first, until that time or until an editor clears it.

Marking needs no publish and throws away no cached page: pages carry an empty banner that
a small script fills from `/<language>/breaking.json`, which every server answers from its
own memory while nothing changed (the `breaking` generation, moved by every mark and clear,
and the content generation, moved by every publish and takedown) and which a CDN may keep
for `SHARED_SECONDS`. So a reader of any page, cached or not, sees a marking within that
time, and a story taken down leaves the banner at once on the servers.

`story_marked_breaking` (news/events.py) is sent once per marking, when it commits: what
alerts readers away from the site listens to it."""

from __future__ import annotations

import threading
import time
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from wagtail.models import Locale

from dateline.core import generations
from dateline.core.addresses import absolute, page_path

from .events import story_marked_breaking
from .models import ArticlePage, BreakingNews, published_articles

GENERATION = "breaking"
DEFAULT_DURATION = timedelta(hours=2)
LONGEST_DURATION = timedelta(days=7)
# How many banners a page shows at most: the newest.
MOST_SHOWN = 5
# How long a CDN or a browser may keep what the banner shows.
SHARED_SECONDS = 10
LABEL_LENGTH = BreakingNews._meta.get_field("label").max_length


class BreakingRefused(ValueError):
    """A marking that cannot be made: the story is not live and public, or the label or
    the time until which it is shown is unusable. The message says which, for the editor."""


@dataclass(frozen=True)
class BreakingItem:
    id: int
    story_id: int
    label: str
    title: str
    path: str
    marked_at: datetime
    expires_at: datetime

    @property
    def url(self) -> str:
        return absolute(self.path)

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "story_id": self.story_id,
            "label": self.label,
            "title": self.title,
            "url": self.path,
            "marked_at": self.marked_at.isoformat(),
            "expires_at": self.expires_at.isoformat(),
        }


def clean_label(label: str) -> str:
    """The label as shown: spaces collapsed, control characters dropped."""
    printable = "".join(ch for ch in label if unicodedata.category(ch)[0] != "C" or ch in "\t\n")
    return " ".join(printable.split())


def check_expiry(expires_at: datetime, now: datetime | None = None) -> datetime:
    now = now or timezone.now()
    if timezone.is_naive(expires_at):
        raise BreakingRefused(gettext("The time until which it is shown needs a time zone."))
    if expires_at <= now:
        raise BreakingRefused(gettext("The time until which it is shown has already passed."))
    if expires_at > now + LONGEST_DURATION:
        raise BreakingRefused(
            gettext("A story can be shown as breaking for at most %(days)d days.")
            % {"days": LONGEST_DURATION.days}
        )
    return expires_at


def _shown_marks():
    return BreakingNews.objects.filter(cleared_at=None, expires_at__gt=timezone.now())


def mark_breaking(
    story: ArticlePage,
    *,
    label: str = "",
    expires_at: datetime | None = None,
    user: AbstractBaseUser | None = None,
) -> BreakingNews:
    """Show a banner for the live, public `story` on every page of its language until
    `expires_at` (two hours from now when not given). Marking a story already shown changes
    its label and time, and is not a new marking: no second alert goes out."""
    label = clean_label(label)
    if len(label) > LABEL_LENGTH:
        raise BreakingRefused(
            gettext("The label can be at most %(count)d characters long.") % {"count": LABEL_LENGTH}
        )
    now = timezone.now()
    expires_at = check_expiry(expires_at or now + DEFAULT_DURATION, now)
    with transaction.atomic():
        live = published_articles().filter(pk=story.pk).select_for_update(of=("self",)).first()
        if live is None:
            raise BreakingRefused(
                gettext("Only a published story open to every reader can be marked breaking.")
            )
        mark = _shown_marks().filter(story=live).first()
        if mark is None:
            mark = BreakingNews.objects.create(
                story=live, label=label, expires_at=expires_at, marked_by=_user(user)
            )
            transaction.on_commit(
                lambda: story_marked_breaking.send(sender=BreakingNews, story=live, mark=mark)
            )
        else:
            mark.label, mark.expires_at = label, expires_at
            mark.save(update_fields=["label", "expires_at"])
        _changed()
    return mark


def clear_breaking(story: ArticlePage, user: AbstractBaseUser | None = None) -> int:
    """Stop showing the story's banner. Returns how many markings were cleared (0 when it
    was not shown: clearing twice is harmless)."""
    with transaction.atomic():
        cleared = (
            _shown_marks()
            .filter(story_id=story.pk)
            .update(cleared_at=timezone.now(), cleared_by=_user(user))
        )
        if cleared:
            _changed()
    return cleared


def _user(user: AbstractBaseUser | None) -> AbstractBaseUser | None:
    return user if user is not None and user.is_authenticated else None


def _changed() -> None:
    generations.advance(GENERATION)
    transaction.on_commit(lambda: generations.advance(GENERATION))


def shown_marks(locale: Locale | None = None):
    """The markings shown now (of one language's stories), newest first."""
    stories = published_articles(locale)
    return (
        _shown_marks()
        .filter(story__in=stories.values("pk"))
        .select_related("story", "story__locale")
        .order_by("-marked_at", "-pk")
    )


def _items(language: str) -> list[BreakingItem]:
    locale = Locale.objects.filter(language_code=language).first()
    if locale is None:
        return []
    with translation.override(language):
        default_label = gettext("Breaking")
    return [
        BreakingItem(
            id=mark.pk,
            story_id=mark.story_id,
            label=mark.label or default_label,
            title=mark.story.title,
            path=page_path(mark.story.url_path, language),
            marked_at=mark.marked_at,
            expires_at=mark.expires_at,
        )
        for mark in shown_marks(locale)[:MOST_SHOWN]
    ]


_remembered: dict[str, tuple[tuple[int, int], float, list[BreakingItem]]] = {}
_lock = threading.Lock()


def breaking_items(language: str) -> list[BreakingItem]:
    """What the banners of `language` show now, newest first. Kept in this process until a
    marking, a publish or a takedown on any server, or the first of them expires."""
    key = (generations.current(GENERATION), generations.current(generations.CONTENT))
    remembered = _remembered.get(language)
    if remembered is not None and remembered[0] == key and time.time() < remembered[1]:
        return remembered[2]
    items = _items(language)
    until = min((item.expires_at.timestamp() for item in items), default=float("inf"))
    with _lock:
        _remembered[language] = (key, min(until, time.time() + 60), items)
    return items
