"""What reaches the newsletters from elsewhere: a story marked breaking (an alert to the
language's breaking list), and a mail provider's word on bounces and complaints
(django-anymail's tracking signal, from its webhooks)."""

from __future__ import annotations

from anymail.signals import tracking
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from dateline.news import events
from dateline.news.events import story_marked_breaking

from . import digests, services
from .models import NewsletterList
from .tasks import request_send


@receiver(story_marked_breaking, dispatch_uid="newsletters-breaking-alert")
def send_breaking_alert(sender, story, mark, **kwargs) -> None:
    edition = digests.build_breaking_alert(story)
    if edition is not None:
        request_send(edition)


@receiver(tracking, dispatch_uid="newsletters-bounces")
def note_bounce_or_complaint(sender, event, esp_name, **kwargs) -> None:
    if event.event_type == "bounced":
        services.record_bounce(event.recipient, permanent=True)
        services.mark_bounced(event.message_id or "")
    elif event.event_type == "deferred":
        services.record_bounce(event.recipient, permanent=False)
    elif event.event_type in ("complained", "unsubscribed"):
        services.record_complaint(event.recipient)


@receiver(post_save, sender=NewsletterList, dispatch_uid="newsletters-list-saved")
@receiver(post_delete, sender=NewsletterList, dispatch_uid="newsletters-list-deleted")
def retire_sign_up_forms(sender, instance, **kwargs) -> None:
    """The sign-up form on every page of the list's language offers the lists."""
    events.raise_change(
        events.ContentChange(events.SETTINGS, languages=(instance.locale.language_code,))
    )
