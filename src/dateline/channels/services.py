"""Every write about channels and their posts: saving a channel's token, offering a story
to its language's channels on first publish, posting, retrying, and the test post.

A post's row is written (state "waiting") when the story is offered, and moves to
"posting" before the network is called: a second run of the same task finds it taken and
does nothing, so a retry never posts twice. When the worker dies during the call the row
stays "posting"; nobody can tell whether the network received it, so it is never posted
again by itself: the story's editor sees it as uncertain and decides."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext
from wagtail.models import PageLogEntry

from dateline.core.addresses import absolute
from dateline.core.images import rendition
from dateline.core.models import SiteSettings
from dateline.core.sealing import CannotUnseal, hint, seal, unseal
from dateline.news.breaking import shown_marks
from dateline.news.models import ArticlePage, published_articles

from . import messages, networks
from .models import Channel, ChannelPost

logger = logging.getLogger("dateline.channels")

# Attempts before a post that keeps meeting an unavailable network is given up.
ATTEMPTS = 6
# A post "posting" for longer than this was left by a worker that stopped.
POSTING_LEASE = timedelta(minutes=10)
PICTURE_SPEC = "width-1280|format-jpeg|jpegquality-85"


class NoToken(networks.Refused):
    pass


def set_token(channel: Channel, token: str) -> None:
    """Keep `token` sealed on the channel (not saved here); only a hint stays readable."""
    token = token.strip()
    channel.sealed_token = seal(token) if token else ""
    channel.token_hint = hint(token) if token else ""


def token_of(channel: Channel) -> str:
    if not channel.sealed_token:
        raise NoToken(gettext("The channel has no access token."))
    try:
        return unseal(channel.sealed_token)
    except CannotUnseal:
        raise NoToken(
            gettext(
                "The access token was saved under another secret key and cannot be read: "
                "enter it again."
            )
        ) from None


# Offering a story


def is_first_publish(story: ArticlePage) -> bool:
    """Whether the publish under way is the story's first: Wagtail logs a publish after
    telling the world about it, so no publish is logged yet."""
    return not PageLogEntry.objects.filter(page=story, action="wagtail.publish").exists()


def offer(story: ArticlePage) -> list[ChannelPost]:
    """One waiting post per channel that is on in the story's language, unless the editor
    unticked "post to channels" or the story was offered already. Returns the new posts."""
    if not story.post_to_channels:
        return []
    posts = []
    for channel in Channel.objects.filter(locale_id=story.locale_id, enabled=True):
        post, created = ChannelPost.objects.get_or_create(story=story, channel=channel)
        if created:
            posts.append(post)
    return posts


# Posting


def _story_url(story: ArticlePage) -> str:
    url = story.get_url() or ""
    return absolute(url) if url.startswith("/") else url


def _picture(story: ArticlePage) -> networks.Picture | None:
    picture = rendition(story.lead_image, PICTURE_SPEC)
    if picture is None:
        return None
    try:
        with picture.file.open("rb") as file:
            return networks.Picture(name=f"{story.slug}.jpg", data=file.read())
    except OSError:
        return None


def _send(channel: Channel, story: ArticlePage) -> networks.Posted:
    token = token_of(channel)
    facts = messages.Story(
        headline=story.title,
        standfirst=story.standfirst,
        url=_story_url(story),
        breaking=shown_marks().filter(story=story).exists(),
    )
    prefix = channel.breaking_prefix
    if channel.network == Channel.TELEGRAM:
        picture = _picture(story)
        message = messages.telegram(facts, prefix, with_picture=picture is not None)
        return networks.telegram_post(token, channel.account, message, picture)
    if channel.network == Channel.X:
        return networks.x_post(token, messages.x(facts, prefix))
    return networks.facebook_post(token, channel.account, messages.facebook(facts, prefix))


def _finish(post: ChannelPost, state: str, **fields) -> None:
    ChannelPost.objects.filter(pk=post.pk).update(state=state, **fields)
    for name, value in {"state": state, **fields}.items():
        setattr(post, name, value)


def post(post_id: int) -> ChannelPost | None:
    """Post the story to the channel if nobody has; see the module's docstring.

    Raises networks.RateLimited or networks.Unavailable when it should be tried again
    (the post waits again), networks.Refused when it should not (the post failed)."""
    post = ChannelPost.objects.select_related("channel", "story").filter(pk=post_id).first()
    if post is None:
        return None
    claimed = ChannelPost.objects.filter(pk=post.pk, state=ChannelPost.WAITING).update(
        state=ChannelPost.POSTING, attempts=F("attempts") + 1, attempted_at=timezone.now()
    )
    if not claimed:
        return post
    post.refresh_from_db(fields=["state", "attempts", "attempted_at"])
    story = published_articles().filter(pk=post.story_id).first()
    if story is None:
        _finish(post, ChannelPost.SKIPPED, error=gettext("Taken down before it was posted."))
        return post
    if not post.channel.enabled:
        _finish(post, ChannelPost.SKIPPED, error=gettext("The channel was turned off."))
        return post
    try:
        posted = _send(post.channel, story)
    except networks.Refused as error:
        _finish(post, ChannelPost.FAILED, error=str(error))
        raise
    except (networks.RateLimited, networks.Unavailable) as error:
        if post.attempts >= ATTEMPTS:
            _finish(post, ChannelPost.FAILED, error=str(error))
            raise networks.Refused(str(error)) from None
        _finish(post, ChannelPost.WAITING, error=str(error))
        raise
    _finish(
        post,
        ChannelPost.POSTED,
        posted_at=timezone.now(),
        remote_id=posted.remote_id[:100],
        remote_url=posted.url[:500],
        error="",
    )
    logger.info("posted story %s to channel %s", post.story_id, post.channel_id)
    return post


def is_uncertain(post: ChannelPost) -> bool:
    """Left "posting" by a worker that stopped: it may or may not be on the channel."""
    return (
        post.state == ChannelPost.POSTING
        and post.attempted_at is not None
        and post.attempted_at < timezone.now() - POSTING_LEASE
    )


def may_retry(post: ChannelPost) -> bool:
    return post.state == ChannelPost.FAILED or is_uncertain(post)


def prepare_retry(post: ChannelPost, user: AbstractBaseUser | None = None) -> bool:
    """Let a failed (or uncertain) post be tried again, with fresh attempts; False when
    it may not be (posted, or being posted now)."""
    if not may_retry(post):
        return False
    with transaction.atomic():
        updated = ChannelPost.objects.filter(pk=post.pk, state=post.state).update(
            state=ChannelPost.WAITING, attempts=0, retried_by=user
        )
    return bool(updated)


def posts_of(story: ArticlePage) -> list[ChannelPost]:
    return list(
        ChannelPost.objects.filter(story=story)
        .select_related("channel")
        .order_by("channel__name", "pk")
    )


# The test post


def send_test_post(channel: Channel) -> str:
    """Post a short test message; returns the network's error, or '' when it worked.
    The result is kept on the channel for its settings page."""
    language = channel.locale.language_code
    with translation.override(language):
        site_name = SiteSettings.load().texts_for(language).site_name
        text = gettext("Test post from %(site)s at %(time)s. It can be deleted.") % {
            "site": site_name,
            "time": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        }
    message = messages.Message(text=text, link="")
    error = ""
    try:
        token = token_of(channel)
        if channel.network == Channel.TELEGRAM:
            networks.telegram_post(token, channel.account, message)
        elif channel.network == Channel.X:
            networks.x_post(token, message)
        else:
            networks.facebook_post(token, channel.account, message)
    except networks.ChannelError as failure:
        error = str(failure) or type(failure).__name__
    Channel.objects.filter(pk=channel.pk).update(last_test_at=timezone.now(), last_test_error=error)
    return error
