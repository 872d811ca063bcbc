"""Newsletters: lists per site language, their subscribers, each edition sent, and one
row per recipient of an edition, written before the next one is sent so that a send
resumes after a crash without sending anyone the same edition twice."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale


def new_token() -> str:
    return secrets.token_urlsafe(32)


class NewsletterList(models.Model):
    DIGEST, BREAKING, CUSTOM = "digest", "breaking", "custom"
    KINDS = [
        (DIGEST, _("Daily digest")),
        (BREAKING, _("Breaking news")),
        (CUSTOM, _("Sent by hand")),
    ]

    locale = models.ForeignKey(Locale, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=KINDS, default=CUSTOM)
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=60)
    description = models.CharField(_("description"), max_length=300, blank=True)
    send_at = models.TimeField(
        _("send at"),
        null=True,
        blank=True,
        help_text=_("Daily digests: the time of day it goes out, in the site's time zone."),
    )
    offered = models.BooleanField(
        _("offered to readers"),
        default=True,
        help_text=_("Shown in the sign-up form; others take subscribers an editor adds."),
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("newsletter")
        verbose_name_plural = _("newsletters")
        ordering = ["locale_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["locale", "slug"], name="one_newsletter_slug_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.locale.language_code})"


class Subscriber(models.Model):
    """One e-mail address, the language it reads in, and nothing else about the reader."""

    email = models.EmailField(_("e-mail address"), max_length=254, unique=True)
    locale = models.ForeignKey(Locale, on_delete=models.PROTECT, related_name="+")
    # Secret: in every e-mail's unsubscribe and preferences links.
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    soft_bounces = models.PositiveSmallIntegerField(default=0)
    lists = models.ManyToManyField(
        NewsletterList, through="Subscription", related_name="subscribers"
    )

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")

    def __str__(self) -> str:
        return self.email

    def subscribed_lists(self) -> str:
        return ", ".join(str(newsletter) for newsletter in self.lists.all())


class Subscription(models.Model):
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE)
    newsletter = models.ForeignKey(NewsletterList, on_delete=models.CASCADE)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "newsletter"], name="one_subscription")
        ]
        indexes = [models.Index(fields=["newsletter", "subscriber"], name="subscribers_of_list")]

    def __str__(self) -> str:
        return f"{self.subscriber_id} → {self.newsletter_id}"


class Edition(models.Model):
    """One issue of a newsletter: what it holds, and how its sending went."""

    DRAFT, SENDING, SENT = "draft", "sending", "sent"
    STATES = [(DRAFT, _("Not sent")), (SENDING, _("Sending")), (SENT, _("Sent"))]

    newsletter = models.ForeignKey(
        NewsletterList, on_delete=models.CASCADE, related_name="editions"
    )
    subject = models.CharField(_("subject"), max_length=200)
    note = models.TextField(_("editor's note"), blank=True, max_length=2000)
    # The stories, in order: [{"id": page id, "part": "lead" | "section" | "most_read"}].
    stories = models.JSONField(default=list, blank=True)
    # A breaking alert's story; one alert per story and list.
    story = models.ForeignKey(
        "news.ArticlePage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A digest's day in the site's time zone; one digest per day and list.
    day = models.DateField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=STATES, default=DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    send_requested_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    unsubscribed = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["newsletter", "day"],
                condition=models.Q(day__isnull=False),
                name="one_digest_a_day",
            ),
            models.UniqueConstraint(
                fields=["newsletter", "story"],
                condition=models.Q(story__isnull=False),
                name="one_alert_per_story",
            ),
        ]

    def __str__(self) -> str:
        return self.subject


class Delivery(models.Model):
    """One recipient of one edition. Written as SENDING before the message goes to the mail
    server and as SENT once it took it: a send that resumes skips every SENT one."""

    SENDING, SENT, FAILED, BOUNCED = "sending", "sent", "failed", "bounced"
    STATES = [
        (SENDING, _("Sending")),
        (SENT, _("Sent")),
        (FAILED, _("Failed")),
        (BOUNCED, _("Bounced")),
    ]

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=10, choices=STATES, default=SENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    message_id = models.CharField(max_length=200, blank=True, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["edition", "subscriber"], name="one_delivery_each")
        ]
        indexes = [models.Index(fields=["edition", "state"], name="deliveries_by_state")]

    def __str__(self) -> str:
        return f"edition {self.edition_id} → {self.subscriber_id}: {self.state}"
