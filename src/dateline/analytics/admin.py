"""View counts in the newsroom: a sortable column in the article listing."""

from __future__ import annotations

from django.db.models import Expression, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column

from .models import ArticleViewTotal


def _views_counted() -> Expression:
    totals = ArticleViewTotal.objects.filter(article_id=OuterRef("pk")).values("views")[:1]
    return Coalesce(Subquery(totals), Value(0))


def add_view_count_column() -> None:
    from dateline.news.admin import add_listing_column

    add_listing_column(
        Column("views_counted", label=_("Views"), sort_key="views_counted", width="10%"),
        _views_counted,
    )
