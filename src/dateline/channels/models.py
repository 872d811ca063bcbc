"""The newsroom's channels on social networks (one Telegram channel, X account or Facebook
Page per row, in one site language) and what was posted to them: one row per (story,
channel), written before the network is called, so that a retry never posts twice."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale


class Channel(models.Model):
    TELEGRAM = "telegram"
    X = "x"
    FACEBOOK = "facebook"
    NETWORKS = [(TELEGRAM, "Telegram"), (X, "X"), (FACEBOOK, _("Facebook Page"))]

    name = models.CharField(_("name"), max_length=100, help_text=_("Shown only in the admin."))
    network = models.CharField(_("network"), max_length=20, choices=NETWORKS)
    locale = models.ForeignKey(
        Locale,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("language"),
        help_text=_("Stories first published in this language are posted here."),
    )
    enabled = models.BooleanField(_("on"), default=True)
    account = models.CharField(
        _("channel or page"),
        max_length=200,
        blank=True,
        help_text=_(
            "Telegram: the channel's @name or chat id. Facebook: the Page's id. "
            "X: leave empty (the token names the account)."
        ),
    )
    # The access token, encrypted with the site's secret key (channels/secrets.py).
    sealed_token = models.TextField(blank=True, editable=False)
    token_hint = models.CharField(max_length=8, blank=True, editable=False)
    breaking_prefix = models.CharField(
        _("breaking prefix"),
        max_length=40,
        blank=True,
        help_text=_("Put before the headline of a breaking story, e.g. “BREAKING:” or 🔴."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_test_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_test_error = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["locale__language_code", "name"]
        verbose_name = _("channel")
        verbose_name_plural = _("channels")

    def __str__(self) -> str:
        return self.name


class ChannelPost(models.Model):
    WAITING = "waiting"
    POSTING = "posting"
    POSTED = "posted"
    FAILED = "failed"
    SKIPPED = "skipped"
    STATES = [
        (WAITING, _("waiting")),
        (POSTING, _("posting")),
        (POSTED, _("posted")),
        (FAILED, _("failed")),
        (SKIPPED, _("not posted")),
    ]

    story = models.ForeignKey(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="channel_posts"
    )
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="posts")
    state = models.CharField(max_length=10, choices=STATES, default=WAITING)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    attempted_at = models.DateTimeField(null=True, blank=True)
    posted_at = models.DateTimeField(null=True, blank=True)
    remote_id = models.CharField(max_length=100, blank=True)
    remote_url = models.URLField(max_length=500, blank=True)
    error = models.TextField(blank=True)
    retried_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["story", "channel"], name="one_post_per_story_channel")
        ]
        indexes = [models.Index(fields=["state", "-created_at"], name="channel_posts_by_state")]
        verbose_name = _("channel post")
        verbose_name_plural = _("channel posts")

    def __str__(self) -> str:
        return f"{self.channel} · {self.story_id}"
