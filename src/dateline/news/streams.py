"""How a live blog's stream of updates is shown and followed, shared by the page, the list
its open pages poll and its feed (news/live.py has the writes): how many at a time, how
often pages ask, and the generation every copy of them follows."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

import nh3
from django.http import HttpResponse

from dateline.core import generations

# How many updates a page shows before "Older updates", and each poll carries.
PAGE_SIZE = 20
# How often an open page asks for new updates, in seconds, while the tab is visible.
POLL_SECONDS = 4
# How long a CDN may keep what open pages poll.
SHARED_SECONDS = 2
STRUCTURED_DATA_UPDATES = 10
KEY_EVENTS_SHOWN = 10
PINNED_SHOWN = 3
# Page numbers beyond this are no page: the databases' integer keys stop there.
LARGEST_ID = 2**31 - 1

_UPDATE_ID = re.compile(r"[1-9][0-9]{0,17}")  # LiveUpdate ids are 64-bit
_BLOCK_END = re.compile(r"</(?:p|li|blockquote)>|<br\s*/?>")


def update_id(text: str | None) -> int | None:
    """The update number a reader's address names (`before=`), or None if it names none."""
    if text is None or not _UPDATE_ID.fullmatch(text):
        return None
    return int(text)


def generation_name(blog_id: int) -> str:
    return f"live:{blog_id}"


def generation_mark(blog) -> str:
    """What a response made now follows: read before its content is."""
    return generations.follows_value([generation_name(blog.pk)])


def mark_followed(response: HttpResponse, following: str, *, covering: bool) -> None:
    if response.status_code != 200:
        return
    response[generations.FOLLOWS_HEADER] = following
    if covering:
        response["Cache-Control"] = f"public, max-age=0, s-maxage={SHARED_SECONDS}"


def plain_text(body: str) -> str:
    """An update's words without markup."""
    text = html.unescape(nh3.clean(_BLOCK_END.sub(" ", body), tags=set()))
    return " ".join(text.split())


@dataclass(frozen=True)
class UpdatesPage:
    updates: list[Any]  # LiveUpdate, newest first
    older_than: int | None  # the id to ask `before` for the next older page; None at the end
