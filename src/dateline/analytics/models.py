"""Counters live apart from the page row: saving a page makes a revision, counting must not."""

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
