"""View counts in the newsroom: a column in the article listing and a panel on the editor."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.pages.listing import IndexView
from wagtail.admin.viewsets.pages import PageListingViewSet

from .models import ArticleViewTotal


class ArticleIndexView(IndexView):
    def get_base_queryset(self):
        totals = ArticleViewTotal.objects.filter(article_id=OuterRef("pk")).values("views")[:1]
        return (
            super().get_base_queryset().annotate(views_counted=Coalesce(Subquery(totals), Value(0)))
        )


class ArticleListingViewSet(PageListingViewSet):
    icon = "doc-full-inverse"
    menu_label = _("Articles")
    menu_order = 150
    add_to_admin_menu = True
    index_view_class = ArticleIndexView
    columns = [
        *PageListingViewSet.columns,
        Column("views_counted", label=_("Views"), sort_key="views_counted", width="10%"),
    ]
