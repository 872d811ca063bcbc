"""What a story's post says on each network: the (breaking prefix and) headline, the
standfirst where it fits, and the link with the newsroom's UTM tags. Nothing here touches
the database or the network."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings

# Telegram: a photo's caption holds 1,024 characters, a message 4,096.
TELEGRAM_CAPTION = 1024
TELEGRAM_TEXT = 4096
# X: 280 by its weighting, where every link counts as 23.
X_LIMIT = 280
X_LINK = 23
# Facebook's limit (63,206) is never near: a standfirst holds 500.


@dataclass(frozen=True)
class Story:
    """The parts of a story that a post is made from."""

    headline: str
    standfirst: str
    url: str
    breaking: bool = False


@dataclass(frozen=True)
class Message:
    text: str
    link: str
    # Telegram's text is HTML; the others' is plain.
    html: bool = False


def tagged(url: str, network: str) -> str:
    """The address with the UTM tags from DATELINE_CHANNEL_UTM ({network} filled in)."""
    tags = settings.DATELINE_CHANNEL_UTM
    if not tags:
        return url
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    query += [(name, value.replace("{network}", network)) for name, value in parse_qsl(tags)]
    return urlunsplit(parts._replace(query=urlencode(query)))


def _headline(story: Story, prefix: str) -> str:
    prefix = prefix.strip()
    return f"{prefix} {story.headline}" if story.breaking and prefix else story.headline


def _shortened(text: str, room: int) -> str:
    """`text` cut at a word to fit `room` characters, with an ellipsis; '' when no room."""
    if len(text) <= room:
        return text
    if room < 20:
        return ""
    cut = text[: room - 1].rsplit(" ", 1)[0].rstrip(" ,;:—-")
    return cut + "…"


def telegram(story: Story, prefix: str, *, with_picture: bool) -> Message:
    link = tagged(story.url, "telegram")
    headline = f"<b>{escape(_headline(story, prefix))}</b>"
    ending = f'<a href="{escape(link)}">{escape(link)}</a>'
    limit = TELEGRAM_CAPTION if with_picture else TELEGRAM_TEXT
    # Telegram counts the characters left once the HTML is parsed.
    visible = len(_headline(story, prefix)) + len(link) + 4
    standfirst = _shortened(story.standfirst, limit - visible)
    parts = [headline, escape(standfirst), ending] if standfirst else [headline, ending]
    return Message(text="\n\n".join(parts), link=link, html=True)


def x_length(text: str) -> int:
    """The length X counts: most scripts (Latin, Cyrillic, Armenian…) weigh 1 a character,
    others (Chinese, Japanese, emoji) 2; a link weighs 23 whatever its length."""
    return sum(1 if ord(char) <= 0x10FF or 0x2000 <= ord(char) <= 0x206F else 2 for char in text)


def x(story: Story, prefix: str) -> Message:
    link = tagged(story.url, "x")
    headline = _headline(story, prefix)
    room = X_LIMIT - X_LINK - 2
    if x_length(headline) > room:
        headline = _shortened(headline, room - (x_length(headline) - len(headline)) - 1)
    text = headline
    with_standfirst = f"{headline}\n\n{story.standfirst}"
    if story.standfirst and x_length(with_standfirst) <= room - 2:
        text = with_standfirst
    return Message(text=f"{text}\n\n{link}", link=link)


def facebook(story: Story, prefix: str) -> Message:
    link = tagged(story.url, "facebook")
    parts = [_headline(story, prefix), story.standfirst]
    return Message(text="\n\n".join(part for part in parts if part), link=link)
