"""Counters live apart from the page row: saving a page makes a revision, counting must not.

No table here holds an IP address or a cookie. A reader is a keyed hash that can only be
matched while its day's salt exists; salts and reader marks are deleted when the day ends."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ArticleViewTotal(models.Model):
    article = models.OneToOneField(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="view_total",
    )
    views = models.PositiveBigIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("article view total")

    def __str__(self) -> str:
        return f"{self.article_id}: {self.views}"


class ArticleViewsByDay(models.Model):
    """Views per article per day (UTC), kept for history."""

    article = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    views = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "day"], name="one_bucket_per_article_day")
        ]
        indexes = [models.Index(fields=["day", "article"])]

    def __str__(self) -> str:
        return f"{self.article_id} on {self.day}: {self.views}"


class ArticleViewsByHour(models.Model):
    """Views per article per hour, for the most-read windows; pruned after a week."""

    article = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    hour = models.DateTimeField()
    views = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "hour"], name="one_bucket_per_article_hour")
        ]
        indexes = [models.Index(fields=["hour", "article"])]

    def __str__(self) -> str:
        return f"{self.article_id} at {self.hour:%Y-%m-%d %H}h: {self.views}"


class DailySalt(models.Model):
    """The key that makes reader hashes for one day; deleted once the day is over."""

    day = models.DateField(primary_key=True)
    salt = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"salt of {self.day}"


class ReaderMark(models.Model):
    """ "This reader has been counted for this article today”, as a salted hash."""

    day = models.DateField()
    fingerprint = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "fingerprint"], name="one_mark_per_reader_day")
        ]

    def __str__(self) -> str:
        return f"reader {self.fingerprint[:8]}… on {self.day}"


class AddressViews(models.Model):
    """How many views one address (an IPv6 /64) has added to one article today, as a
    salted hash of the two: a script cannot pass for many readers by changing browsers."""

    day = models.DateField()
    address = models.CharField(max_length=64)
    views = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "address"], name="one_tally_per_address_day")
        ]

    def __str__(self) -> str:
        return f"address {self.address[:8]}… on {self.day}: {self.views}"


class FlushedBatch(models.Model):
    """A batch of buffered counts that the database has committed; makes flushing idempotent."""

    batch = models.CharField(max_length=80, primary_key=True)
    flushed_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.batch
