"""What reaches readers' browsers from elsewhere: a story marked breaking, and (when
DATELINE_PUSH_LEAD_STORIES is on) a story an editor makes a home page's lead."""

from __future__ import annotations

from django.conf import settings
from django.dispatch import receiver
from django.utils import timezone
from wagtail.signals import page_published

from dateline.news.events import story_marked_breaking
from dateline.news.models import HomePage

from .tasks import push_story


@receiver(story_marked_breaking, dispatch_uid="webapp-push-breaking")
def push_breaking_story(sender, story, mark, **kwargs) -> None:
    push_story.enqueue(story.pk, timezone.now().isoformat())


@receiver(page_published, sender=HomePage, dispatch_uid="webapp-push-lead")
def push_new_lead_story(sender, instance, **kwargs) -> None:
    if settings.DATELINE_PUSH_LEAD_STORIES and instance.lead_article_id:
        push_story.enqueue(instance.lead_article_id, timezone.now().isoformat())
