"""Posts and videos from other sites in a story: YouTube, Vimeo, X, Instagram, Facebook
and Telegram. Readers see a facade (the provider, the title where known, a button) and
nothing comes from the provider until they press it; the player then loads in a frame
whose address is built here from the post's address, never taken from the provider's own
markup (for X and Instagram that is a script, which the site's policy would refuse).

Titles and authors come from the provider's oEmbed endpoint (its address a setting) when
an editor saves the story; a provider that does not answer leaves the embed without a
title, asked again an hour later. Reading a story never calls a provider."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import quote

import requests
from django.conf import settings
from django.utils import timezone
from django.utils.html import escape
from wagtail.embeds.finders.base import EmbedFinder

# How long a title found for an embed is kept before the provider is asked again, and
# how soon a provider that did not answer is.
KEEP_FOUND = timedelta(days=30)
RETRY_MISSING = timedelta(hours=1)
# A provider's oEmbed answer is a small JSON object.
MAX_ANSWER_BYTES = 256 * 1024


@dataclass(frozen=True)
class Provider:
    name: str
    pattern: re.Pattern
    frame: Callable[[re.Match], str]
    # Name of the setting with the provider's oEmbed endpoint, if it has an open one.
    endpoint_setting: str | None
    video: bool
    # Where its frame loads from: listed in the site's policy (DATELINE_EMBED_FRAME_HOSTS).
    frame_host: str


PROVIDERS = [
    Provider(
        "YouTube",
        re.compile(
            r"https?://(?:www\.|m\.)?(?:youtube\.com/(?:watch\?(?:[^#]*&)?v=|shorts/|embed/)"
            r"|youtu\.be/)([\w-]{11})"
        ),
        lambda m: f"https://www.youtube-nocookie.com/embed/{m[1]}?autoplay=1",
        "DATELINE_OEMBED_YOUTUBE_URL",
        video=True,
        frame_host="www.youtube-nocookie.com",
    ),
    Provider(
        "Vimeo",
        re.compile(r"https?://(?:www\.)?vimeo\.com/(\d+)"),
        lambda m: f"https://player.vimeo.com/video/{m[1]}?autoplay=1&dnt=1",
        "DATELINE_OEMBED_VIMEO_URL",
        video=True,
        frame_host="player.vimeo.com",
    ),
    Provider(
        "X",
        re.compile(r"https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/\w{1,15}/status/(\d+)"),
        lambda m: f"https://platform.twitter.com/embed/Tweet.html?id={m[1]}&dnt=true",
        "DATELINE_OEMBED_X_URL",
        video=False,
        frame_host="platform.twitter.com",
    ),
    Provider(
        "Instagram",
        re.compile(r"https?://(?:www\.)?instagram\.com/(?:p|reel)/([\w-]+)"),
        lambda m: f"https://www.instagram.com/p/{m[1]}/embed/",
        None,
        video=False,
        frame_host="www.instagram.com",
    ),
    Provider(
        "Facebook",
        re.compile(r"https?://(?:www\.|m\.)?facebook\.com/[\w.-]+/(?:posts|videos)/[\w.-]+/?"),
        lambda m: "https://www.facebook.com/plugins/post.php?href=" + quote(m[0], safe=""),
        None,
        video=False,
        frame_host="www.facebook.com",
    ),
    Provider(
        "Telegram",
        re.compile(r"https?://t\.me/(\w{5,32})/(\d+)"),
        lambda m: f"https://t.me/{m[1]}/{m[2]}?embed=1",
        None,
        video=False,
        frame_host="t.me",
    ),
]
PROVIDER_NAMES = ", ".join(provider.name for provider in PROVIDERS)


def provider_for(url: str) -> tuple[Provider, re.Match] | None:
    for provider in PROVIDERS:
        found = provider.pattern.match(url.strip())
        if found:
            return provider, found
    return None


@dataclass(frozen=True)
class Facade:
    url: str
    provider: str
    frame: str
    video: bool
    title: str = ""
    author: str = ""


def facade(url: str) -> Facade | None:
    """What the reader is shown before choosing to load the embed: from what was found
    when the story was saved, without asking the provider."""
    from wagtail.embeds.models import Embed

    matched = provider_for(url)
    if matched is None:
        return None
    provider, found = matched
    known = Embed.objects.filter(url=url).order_by("-last_updated").first()
    return Facade(
        url=url,
        provider=provider.name,
        frame=provider.frame(found),
        video=provider.video,
        title=(known.title if known else "")[:300],
        author=(known.author_name if known else "")[:200],
    )


def _ask_provider(provider: Provider, url: str) -> dict:
    endpoint = getattr(settings, provider.endpoint_setting or "", "")
    if not endpoint:
        return {}
    try:
        with requests.get(
            endpoint,
            params={"url": url, "format": "json"},
            timeout=settings.DATELINE_OEMBED_TIMEOUT,
            stream=True,
        ) as response:
            if response.status_code != 200:
                return {}
            body = response.raw.read(MAX_ANSWER_BYTES + 1, decode_content=True)
            if len(body) > MAX_ANSWER_BYTES:
                return {}
            answer = json.loads(body)
    except (requests.RequestException, ValueError):
        return {}
    return answer if isinstance(answer, dict) else {}


class StoryEmbedFinder(EmbedFinder):
    """Wagtail's embed finder for the providers above; never fails for one of them."""

    def accept(self, url: str) -> bool:
        return provider_for(url) is not None

    def find_embed(self, url: str, max_width=None, max_height=None) -> dict:
        provider, found = provider_for(url)
        answer = _ask_provider(provider, url)
        text = {name: answer.get(name) for name in ("title", "author_name")}
        text = {name: value if isinstance(value, str) else "" for name, value in text.items()}
        frame = escape(provider.frame(found))
        label = escape(text["title"] or provider.name)
        return {
            "title": text["title"][:300],
            "author_name": text["author_name"][:200],
            "provider_name": provider.name,
            "type": "video" if provider.video else "rich",
            "thumbnail_url": "",
            "width": None,
            "height": None,
            "html": f'<iframe src="{frame}" title="{label}"></iframe>',
            "cache_until": timezone.now() + (KEEP_FOUND if answer else RETRY_MISSING),
        }
