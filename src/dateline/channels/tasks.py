"""Channel work on the background queue: one task per (story, channel) post, and the test
post from a channel's settings page."""

from __future__ import annotations

from django.db import transaction
from django_tasks import task

from dateline.core.retries import GiveUp, RetryLater, retrying

from . import networks, services
from .models import Channel, ChannelPost


@task()
@retrying(attempts=services.ATTEMPTS, first_delay=30, max_delay=1800)
def post_to_channel(post_id: int) -> str:
    """Post once; a network that asks to wait or is away is tried again later (the
    post's own row counts the attempts), a refusal stops until an editor retries."""
    try:
        post = services.post(post_id)
    except networks.RateLimited as error:
        raise RetryLater(error.seconds, str(error)) from None
    except networks.Refused as error:
        raise GiveUp(str(error)) from None
    return post.state if post is not None else "gone"


@task()
def send_test_post(channel_id: int) -> str:
    channel = Channel.objects.select_related("locale").filter(pk=channel_id).first()
    if channel is None:
        return "gone"
    return services.send_test_post(channel) or "ok"


def queue_posts(posts: list[ChannelPost]) -> None:
    """Queue each post once the transaction that made it commits."""
    for post in posts:
        transaction.on_commit(lambda post_id=post.pk: post_to_channel.enqueue(post_id))
