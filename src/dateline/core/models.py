"""Site-wide models: images with credits, site settings, the worker lease."""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.images.models import AbstractImage, AbstractRendition, Image


class NewsImage(AbstractImage):
    """A picture in the library; the credit travels with the picture, captions with the story."""

    credit = models.CharField(
        _("credit"), max_length=255, blank=True, help_text=_("Photographer or agency.")
    )

    admin_form_fields = Image.admin_form_fields + ("credit",)


class NewsImageRendition(AbstractRendition):
    image = models.ForeignKey(NewsImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("“%(value)s” is not a known time zone, such as Europe/London or Asia/Yerevan."),
            params={"value": value},
        )


def language_choices() -> list[tuple[str, str]]:
    return list(settings.LANGUAGES)


@register_setting(icon="site")
class SiteSettings(ClusterableModel, BaseGenericSetting):
    """What editors set once for the whole site: time zone, social and app links, texts."""

    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text=_("Publish times are shown in this zone, e.g. Asia/Yerevan."),
    )
    logo = models.ForeignKey(
        NewsImage,
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Shown in the newsroom: its menu and sign-in page. A square picture works best; "
            "without one, the first letter of the site name is shown."
        ),
    )
    x_url = models.URLField(_("X (Twitter)"), blank=True)
    youtube_url = models.URLField(_("YouTube"), blank=True)
    instagram_url = models.URLField(_("Instagram"), blank=True)
    facebook_url = models.URLField(_("Facebook"), blank=True)
    telegram_url = models.URLField(_("Telegram"), blank=True)
    app_store_url = models.URLField(_("App Store"), blank=True)
    google_play_url = models.URLField(_("Google Play"), blank=True)

    panels = [
        FieldPanel("time_zone"),
        FieldPanel("logo"),
        MultiFieldPanel(
            [
                FieldPanel("x_url"),
                FieldPanel("youtube_url"),
                FieldPanel("instagram_url"),
                FieldPanel("facebook_url"),
                FieldPanel("telegram_url"),
            ],
            heading=_("Social profiles (empty ones are hidden)"),
        ),
        MultiFieldPanel(
            [FieldPanel("app_store_url"), FieldPanel("google_play_url")],
            heading=_("Mobile apps"),
        ),
        InlinePanel("texts", heading=_("Texts per language"), label=_("Language")),
    ]

    class Meta:
        verbose_name = _("site settings")

    @property
    def social_links(self) -> list[tuple[str, str, str]]:
        """(key, label, url) for each profile that is set, in header order."""
        links = [
            ("x", "X", self.x_url),
            ("youtube", "YouTube", self.youtube_url),
            ("instagram", "Instagram", self.instagram_url),
            ("facebook", "Facebook", self.facebook_url),
            ("telegram", "Telegram", self.telegram_url),
        ]
        return [link for link in links if link[2]]

    def texts_for(self, language: str | None = None) -> SiteText:
        """The texts in this language, else in the default language, else the defaults."""
        language = language or get_language() or settings.LANGUAGE_CODE
        loaded = getattr(self, "loaded_texts", None)
        texts = {text.language: text for text in (self.texts.all() if loaded is None else loaded)}
        return (
            texts.get(language)
            or texts.get(settings.LANGUAGE_CODE)
            or SiteText(language=language, site_name=settings.WAGTAIL_SITE_NAME)
        )


class SiteText(models.Model):
    settings = ParentalKey(SiteSettings, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=12, choices=language_choices)
    site_name = models.CharField(_("site name"), max_length=100)
    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    reuse_notice = models.TextField(
        _("reuse notice"),
        blank=True,
        help_text=_("Shown in the footer, e.g. the terms for reusing the site's stories."),
    )

    panels = [
        FieldPanel("language"),
        FieldPanel("site_name"),
        FieldPanel("tagline"),
        FieldPanel("reuse_notice"),
    ]

    class Meta:
        verbose_name = _("site text")
        constraints = [
            models.UniqueConstraint(fields=["settings", "language"], name="one_text_per_language")
        ]

    def __str__(self) -> str:
        return f"{self.language}: {self.site_name}"


class WorkerLease(models.Model):
    """A named lease, so that one runner at a time does a job (e.g. scheduled publishing)."""

    name = models.CharField(max_length=64, primary_key=True)
    holder = models.CharField(max_length=128, blank=True)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} held by {self.holder or 'nobody'} until {self.expires_at}"


class PeriodicSlot(models.Model):
    """The last time slot for which a periodic job was queued, so that no slot is queued
    twice, whichever machine's enqueuer gets there."""

    name = models.CharField(max_length=64, primary_key=True)
    slot = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.name} queued up to slot {self.slot}"


class WorkerHeartbeat(models.Model):
    """When each background worker (host:pid) was last heard from; /readyz reads it. A row
    in the database, because that is the one store that every deployment shares."""

    worker = models.CharField(max_length=128, primary_key=True)
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.worker} seen at {self.seen_at}"
