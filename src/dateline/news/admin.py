"""The newsroom's list of every story, newest first, with columns that other apps add."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Expression
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.pages.listing import IndexView
from wagtail.admin.viewsets.pages import PageListingViewSet


class ArticleIndexView(IndexView):
    # What the added columns show and sort by, by name: filled by apps above news.
    annotations: dict[str, Callable[[], Expression]] = {}

    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        if self.annotations:
            queryset = queryset.annotate(
                **{name: make() for name, make in self.annotations.items()}
            )
        return queryset


class ArticleListingViewSet(PageListingViewSet):
    icon = "doc-full-inverse"
    menu_label = _("Articles")
    menu_order = 150
    add_to_admin_menu = True
    index_view_class = ArticleIndexView
    columns = [*PageListingViewSet.columns]


def add_listing_column(column: Column, annotation: Callable[[], Expression]) -> None:
    """For an app above news: a column in the article listing, sortable by `column.name`
    (the name of the annotation), e.g. analytics' view counts."""
    if all(existing.name != column.name for existing in ArticleListingViewSet.columns):
        ArticleIndexView.annotations[column.name] = annotation
        ArticleListingViewSet.columns = [*ArticleListingViewSet.columns, column]
