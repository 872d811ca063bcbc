"""Web push: the browsers that asked for alerts (their push service address and keys, and
the language; nothing else about the reader), and each alert sent to them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PushSubscription(models.Model):
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=100)
    auth = models.CharField(max_length=40)
    language = models.CharField(max_length=12, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Pushes that met a 429 or 5xx in a row; the subscription goes after too many.
    failures = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")
        indexes = [models.Index(fields=["language", "id"], name="push_subscriptions_by_language")]

    def __str__(self) -> str:
        return f"{self.language}: {self.endpoint[:60]}"

    def as_subscription_info(self) -> dict:
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


class PushAlert(models.Model):
    """One story pushed to one language's subscribers, once. Sent in batches of
    subscriptions by id, each batch a task of its own."""

    SENDING = "sending"
    SENT = "sent"
    STATES = [(SENDING, _("sending")), (SENT, _("sent"))]

    story = models.OneToOneField(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="push_alert"
    )
    language = models.CharField(max_length=12)
    title = models.CharField(max_length=300)
    state = models.CharField(max_length=10, choices=STATES, default=SENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The highest subscription id when the alert was made: later subscribers are not sent it.
    last_subscription_id = models.BigIntegerField(default=0)
    sent = models.PositiveIntegerField(default=0)
    removed = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    opened = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("push alert")
        verbose_name_plural = _("push alerts")

    def __str__(self) -> str:
        return self.title


class PushBatch(models.Model):
    """Up to a few hundred subscriptions (ids in (after_id, up_to_id]) of one alert: one
    task. `done_up_to` moves on as it sends, so a batch taken up again after its worker
    died carries on where it stopped."""

    WAITING = "waiting"
    SENDING = "sending"
    DONE = "done"
    STATES = [(WAITING, _("waiting")), (SENDING, _("sending")), (DONE, _("done"))]

    alert = models.ForeignKey(PushAlert, on_delete=models.CASCADE, related_name="push_batches")
    after_id = models.BigIntegerField()
    up_to_id = models.BigIntegerField()
    done_up_to = models.BigIntegerField()
    state = models.CharField(max_length=10, choices=STATES, default=WAITING)
    leased_until = models.DateTimeField(null=True, blank=True)
    # A second pass sends only to the subscriptions whose push met a 429 or 5xx.
    only_failing = models.BooleanField(default=False)
    passes = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["state", "leased_until"], name="push_batches_by_state")]

    def __str__(self) -> str:
        return f"{self.alert_id}: ({self.after_id}, {self.up_to_id}]"
