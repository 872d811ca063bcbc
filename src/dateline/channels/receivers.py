"""What reaches the channels from elsewhere: a story published for the first time."""

from __future__ import annotations

from django.dispatch import receiver
from wagtail.signals import page_published

from dateline.news.models import ArticlePage

from . import services
from .tasks import queue_posts


@receiver(page_published, dispatch_uid="channels-first-publish")
def offer_new_story(sender, instance, **kwargs) -> None:
    if not isinstance(instance, ArticlePage) or not services.is_first_publish(instance):
        return
    queue_posts(services.offer(instance))
