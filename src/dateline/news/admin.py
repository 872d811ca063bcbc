"""The newsroom's lists of stories: every story, newest first, with columns that other apps
add, and a section's stories in the page explorer, read so that a section of tens of
thousands of stories lists as fast as one of forty."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, Expression, OuterRef, QuerySet
from django.forms import CheckboxSelectMultiple
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import MultipleUserFilter
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.pages.listing import (
    EditedByFilter,
    ExplorableIndexView,
    GenericPageFilterSet,
    IndexView,
)
from wagtail.admin.viewsets.pages import PageListingViewSet, PageViewSet
from wagtail.models import Page, PageLogEntry

from .models import ArticlePage


def _users_with(rows: QuerySet, user_column: str) -> QuerySet:
    """The users named by `user_column` of at least one of `rows`, each asked on its own."""
    return get_user_model().objects.filter(Exists(rows.filter(**{user_column: OuterRef("pk")})))


class StoryFilterSet(GenericPageFilterSet):
    """Wagtail's page filters, with the choices of owner and editor found by asking of each
    user whether they own or edited a page: Wagtail lists the distinct owners of every page,
    which reads the whole page table (about 300 ms at a million stories) on every listing."""

    owner = MultipleUserFilter(
        label=GenericPageFilterSet.base_filters["owner"].label,
        queryset=lambda request: _users_with(Page.objects.all(), "owner_id"),
        widget=CheckboxSelectMultiple,
    )
    edited_by = EditedByFilter(
        label=GenericPageFilterSet.base_filters["edited_by"].label,
        queryset=lambda request: _users_with(
            PageLogEntry.objects.filter(action="wagtail.edit"), "user_id"
        ),
        widget=CheckboxSelectMultiple,
    )


class SectionExplorerView(ExplorableIndexView):
    """A section's stories in the page explorer. Wagtail's listing, with two changes for
    sections of many stories: a user who may explore every page is not checked against
    a list of every page (a lookup per story), and a page of the listing is read in two
    steps, its ids first (counted and sorted from an index of the page tree, news
    migration 0020) and then those fifty stories, instead of reading every story of the
    section to sort them."""

    def explores_every_page(self) -> bool:
        # What Wagtail's page policy gives such a user: every page.
        user = self.request.user
        return user.is_active and user.is_superuser

    def get_base_queryset(self):
        # Wagtail's, on the page table alone: the listing makes each page specific anyway.
        if self.is_searching or self.is_filtering:
            if self.is_searching_whole_tree:
                pages = Page.objects.all()
            else:
                pages = Page.objects.descendant_of(self.parent_page)
        else:
            pages = Page.objects.child_of(self.parent_page)
        filtered_by_permission = not self.is_searching or getattr(
            settings, "WAGTAILADMIN_PAGE_SEARCH_FILTER_BY_PERMISSIONS", True
        )
        if filtered_by_permission and not self.explores_every_page():
            explorable = self.permission_policy.explorable_instances(self.request.user)
            pages = pages.filter(pk__in=explorable.values_list("pk", flat=True))
        return self.annotate_queryset(pages)

    def paginate_queryset(self, queryset, page_size):
        if not isinstance(queryset, QuerySet):
            # Search results come from the search backend, already a page at a time.
            return super().paginate_queryset(queryset, page_size)
        ids = queryset.prefetch_related(None).values_list("pk", flat=True)
        paginator, page, page_ids, has_other_pages = super().paginate_queryset(ids, page_size)
        page_ids = list(page_ids)
        found = {story.pk: story for story in queryset.filter(pk__in=page_ids)}
        page.object_list = [found[pk] for pk in page_ids if pk in found]
        return paginator, page, page.object_list, has_other_pages


class StoryViewSet(PageViewSet):
    """Wagtail's views of a story; its page explorer listing is the one of a section."""

    model = ArticlePage
    index_view_class = SectionExplorerView
    filterset_class = StoryFilterSet


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
    filterset_class = StoryFilterSet
    columns = [*PageListingViewSet.columns]


def add_listing_column(column: Column, annotation: Callable[[], Expression]) -> None:
    """For an app above news: a column in the article listing, sortable by `column.name`
    (the name of the annotation), e.g. analytics' view counts."""
    if all(existing.name != column.name for existing in ArticleListingViewSet.columns):
        ArticleIndexView.annotations[column.name] = annotation
        ArticleListingViewSet.columns = [*ArticleListingViewSet.columns, column]
