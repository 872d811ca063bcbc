"""Where news comes in from (agency feeds, partner outlets, drop folders) and what came:
each item waits in Incoming until an editor opens it as a draft story or ignores it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceFormat(models.TextChoices):
    FEED = "feed", _("RSS or Atom feed")
    NINJS = "ninjs", _("IPTC ninjs (JSON)")
    NEWSML = "newsml", _("IPTC NewsML-G2 (XML)")


class Source(models.Model):
    """A feed address or a folder on the server that files are dropped into."""

    name = models.CharField(
        _("name"), max_length=120, unique=True, help_text=_("Shown as the story's source.")
    )
    format = models.CharField(_("format"), max_length=16, choices=SourceFormat.choices)
    url = models.URLField(_("address"), max_length=1000, blank=True)
    folder = models.CharField(
        _("drop folder"),
        max_length=1000,
        blank=True,
        help_text=_("A folder on the server; each file in it is read (.xml, .rss, .atom, .json)."),
    )
    locale = models.ForeignKey(
        "wagtailcore.Locale", verbose_name=_("language"), on_delete=models.PROTECT, related_name="+"
    )
    section = models.ForeignKey(
        "news.SectionPage",
        verbose_name=_("section"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Where drafts from this source are made; choose one in its language."),
    )
    every_minutes = models.PositiveIntegerField(_("poll every (minutes)"), default=15)
    enabled = models.BooleanField(_("on"), default=True)
    makes_drafts = models.BooleanField(
        _("make drafts at once"),
        default=False,
        help_text=_("Make a draft story of each new item, rather than wait in Incoming."),
    )

    # What the last poll left: shown to editors, and how the next poll asks.
    etag = models.CharField(max_length=500, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    next_poll_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_polled_at = models.DateTimeField(_("last polled"), null=True, editable=False)
    last_success_at = models.DateTimeField(_("last success"), null=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True, editable=False)
    last_error_at = models.DateTimeField(_("last error at"), null=True, editable=False)
    failures = models.PositiveIntegerField(_("failures in a row"), default=0, editable=False)

    class Meta:
        verbose_name = _("wire source")
        verbose_name_plural = _("wire sources")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def received_count(self) -> int:
        return self.items.count()

    def clean(self) -> None:
        if bool(self.url) == bool(self.folder):
            raise ValidationError(_("Give either an address or a drop folder, not both."))
        if self.url and self.format == SourceFormat.NEWSML:
            raise ValidationError({"url": _("NewsML-G2 is read from a drop folder.")})
        if self.section_id and self.locale_id and self.section.locale_id != self.locale_id:
            raise ValidationError({"section": _("Choose a section in the source's language.")})
        if self.every_minutes < 1:
            raise ValidationError({"every_minutes": _("Poll at most once a minute.")})


class ItemState(models.TextChoices):
    NEW = "new", _("New")
    USED = "used", _("Used")
    IGNORED = "ignored", _("Ignored")
    # Unused past DATELINE_INGEST_KEEP_DAYS: the text is gone, the keys stay a while so a
    # feed that still carries the story does not bring it back.
    EXPIRED = "expired", _("Expired")


class IncomingItem(models.Model):
    """One story as it came in, cleaned, before anyone used it."""

    # None for a web page imported by hand.
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="items"
    )
    source_name = models.CharField(_("source"), max_length=255)
    locale = models.ForeignKey(
        "wagtailcore.Locale", verbose_name=_("language"), on_delete=models.PROTECT, related_name="+"
    )
    section = models.ForeignKey(
        "news.SectionPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The three ways one story is recognised again, from any source.
    guid = models.CharField(max_length=500, blank=True, db_index=True)
    url = models.URLField(_("original address"), max_length=1000, blank=True, db_index=True)
    content_hash = models.CharField(max_length=64, db_index=True)

    headline = models.CharField(_("headline"), max_length=255)
    summary = models.TextField(_("summary"), blank=True)
    body_html = models.TextField(blank=True)
    byline = models.CharField(_("byline"), max_length=255, blank=True)
    published_at = models.DateTimeField(_("originally published"), null=True, blank=True)
    picture_url = models.URLField(max_length=1000, blank=True)
    picture_credit = models.CharField(max_length=255, blank=True)
    picture_caption = models.CharField(max_length=300, blank=True)

    received_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)
    state = models.CharField(
        _("state"), max_length=10, choices=ItemState.choices, default=ItemState.NEW
    )
    story = models.ForeignKey(
        "news.ArticlePage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("incoming item")
        verbose_name_plural = _("incoming items")
        ordering = ["-received_at", "-pk"]
        permissions = [("use_incoming", "Can open incoming items as drafts or ignore them")]

    def __str__(self) -> str:
        return self.headline
