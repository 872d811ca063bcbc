"""Who may see a draft in the newsroom.

A story that is not live (never published, or pulled), and the unpublished changes of a
live story, can hold embargoed news. Such a draft is visible only to:

- superusers;
- anyone who may publish the page: a group with `publish` permission on the page or one
  of its ancestors (the Editors and Moderators groups hold it on the whole tree);
- the draft's authors: the page's owner, and anyone who saved a revision of it since it
  was last published (all its revisions when it never was);
- the story's desk: anyone whose group holds add or edit permission granted on the
  story itself or on an ancestor below the language root (a section, say, at depth 3
  or deeper). Grants on the tree's root or on a language's home page are the
  newsroom-wide contributor grant and make no one part of a desk;
- reviewers of the workflow task the page is currently waiting on (a group approval
  task whose groups include theirs).

Everyone else with page permissions (a contributor with the site-wide grant):
- does not see a page that is not live anywhere in the admin: explorer, page search,
  chooser, reports, admin API;
- sees nothing in site history of a page whose draft they may not see;
- still sees a live story whose newer draft they may not see (it is public anyway), but
  cannot open its editor, previews, revisions or history, nor copy, move or lock it,
  since every one of those shows the draft.

A live story's listings show its live title, not its draft's, to those who may not see
the draft (`admin_title`).

Views read the rule through `DraftPrivacyPermissionTester` (what DatelinePage answers
for `permissions_for_user`) and `DraftPrivacyPagePermissionPolicy` (registered for
Page), so the rule lives here once.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast
from wagtail.models import (
    GroupPagePermission,
    Page,
    PageLogEntryManager,
    PagePermissionTester,
    Revision,
    WorkflowState,
)
from wagtail.permission_policies.pages import PagePermissionPolicy

# The signed-in user of the request being answered (news/middleware.py), for what the
# admin shows without being handed the request: a page's title in listings.
current_viewer: ContextVar[Any] = ContextVar("dateline_draft_viewer", default=None)

# Root is depth 1 and each language's home page depth 2: grants there are newsroom-wide.
DESK_MIN_DEPTH = 3

EDIT_CODENAMES = ("add_page", "change_page")
PUBLISH_CODENAMES = ("publish_page",)


def _granted_paths(user: Any, codenames: tuple[str, ...], min_depth: int = 1) -> list[str]:
    # Kept on the user for the request, as Wagtail keeps its page permissions: a listing
    # asks once per row whose draft differs from the live page.
    cache = getattr(user, "_dateline_draft_grants", None)
    if cache is None:
        cache = {}
        user._dateline_draft_grants = cache
    key = (codenames, min_depth)
    if key not in cache:
        cache[key] = list(
            GroupPagePermission.objects.filter(
                group__user=user,
                permission__codename__in=codenames,
                page__depth__gte=min_depth,
            )
            .values_list("page__path", flat=True)
            .distinct()
        )
    return cache[key]


def _under_any(paths: list[str]) -> Q:
    """Pages at or below any of the given tree paths (none: matches nothing)."""
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(path__startswith=path)
    return q


def _annotated(queryset: QuerySet, user: Any) -> QuerySet:
    page_type = ContentType.objects.get_for_model(Page)
    page_id = Cast(OuterRef("pk"), output_field=CharField())
    own_revisions = Revision.objects.filter(
        base_content_type=page_type, object_id=page_id, user=user
    )
    reviewing = WorkflowState.objects.filter(
        base_content_type=page_type,
        object_id=page_id,
        status=WorkflowState.STATUS_IN_PROGRESS,
        current_task_state__task__groupapprovaltask__groups__user=user,
    )
    return queryset.annotate(
        _draft_by_user=Exists(own_revisions),
        _draft_by_user_since_publish=Exists(
            own_revisions.filter(created_at__gt=OuterRef("last_published_at"))
        ),
        _reviewing=Exists(reviewing),
    )


def _sees_drafts_q(user: Any) -> Q:
    """Over a queryset passed through `_annotated`: the pages whose drafts `user` sees."""
    return (
        Q(owner=user)
        | _under_any(_granted_paths(user, PUBLISH_CODENAMES))
        | _under_any(_granted_paths(user, EDIT_CODENAMES, DESK_MIN_DEPTH))
        | Q(last_published_at__isnull=True, _draft_by_user=True)
        | Q(_draft_by_user_since_publish=True)
        | Q(_reviewing=True)
    )


def _sees_everything(user: Any) -> bool:
    return bool(user.is_active and user.is_superuser)


def hidden_drafts(user: Any, scope: Q) -> QuerySet:
    """The pages matching `scope` whose draft `user` may not see."""
    pages = Page.objects.filter(scope)
    if _sees_everything(user):
        return pages.none()
    if not user.is_active or user.is_anonymous:
        return pages
    return _annotated(pages, user).exclude(_sees_drafts_q(user))


def visible_to(user: Any, queryset: QuerySet) -> QuerySet:
    """`queryset` (of pages) without the pages that are not live and whose draft `user`
    may not see. Live pages stay, even with an unpublished draft: they are public."""
    if _sees_everything(user):
        return queryset
    return queryset.exclude(pk__in=hidden_drafts(user, Q(live=False)).values("pk"))


def has_private_draft(page: Page) -> bool:
    """Whether the page shows anything in the admin that readers cannot see."""
    return not page.live or page.has_unpublished_changes


def can_see_draft(user: Any, page: Page) -> bool:
    """Whether `user` may see the page's draft (its latest revision) in the admin."""
    if not has_private_draft(page) or _sees_everything(user):
        return True
    if not user.is_active or user.is_anonymous:
        return False
    if page.owner_id == user.pk:
        return True
    return _annotated(Page.objects.filter(pk=page.pk), user).filter(_sees_drafts_q(user)).exists()


def admin_title(page: Page) -> str:
    """The page's title as the admin shows it: its draft's title (Wagtail's choice), but
    the live title to a user who may not see that draft. Outside a request (commands,
    background jobs) there is no one to hide it from."""
    draft_title = page.draft_title or page.title
    if draft_title == page.title:
        return draft_title
    viewer = current_viewer.get()
    if viewer is None or can_see_draft(viewer, page):
        return draft_title
    return page.title


class DraftPrivacyPermissionTester(PagePermissionTester):
    """Wagtail's page permissions, less everything that would show a draft the user may
    not see: its editor, previews, revisions, history, copies, moves and locks."""

    def __init__(self, user: Any, page: Page) -> None:
        super().__init__(user, page)
        self._sees_draft: bool | None = None

    def sees_draft(self) -> bool:
        # Asked lazily: listings make a tester per row, and most rows are live pages
        # whose answer needs no query.
        if self._sees_draft is None:
            self._sees_draft = can_see_draft(self.user, self.page)
        return self._sees_draft

    def can_add_subpage(self) -> bool:
        return super().can_add_subpage() and self.sees_draft()

    def can_edit(self) -> bool:
        return super().can_edit() and self.sees_draft()

    def can_delete(self, ignore_bulk: bool = False) -> bool:
        return super().can_delete(ignore_bulk) and self.sees_draft()

    def can_unpublish(self) -> bool:
        return super().can_unpublish() and self.sees_draft()

    def can_publish(self) -> bool:
        return super().can_publish() and self.sees_draft()

    def can_submit_for_moderation(self) -> bool:
        return super().can_submit_for_moderation() and self.sees_draft()

    def can_set_view_restrictions(self) -> bool:
        return super().can_set_view_restrictions() and self.sees_draft()

    def can_unschedule(self) -> bool:
        return super().can_unschedule() and self.sees_draft()

    def can_lock(self) -> bool:
        return super().can_lock() and self.sees_draft()

    def can_unlock(self) -> bool:
        return super().can_unlock() and self.sees_draft()

    def can_publish_subpage(self) -> bool:
        return super().can_publish_subpage() and self.sees_draft()

    def can_reorder_children(self) -> bool:
        return super().can_reorder_children() and self.sees_draft()

    def can_move(self) -> bool:
        return super().can_move() and self.sees_draft()

    def can_copy(self) -> bool:
        return super().can_copy() and self.sees_draft()

    def can_view_revisions(self) -> bool:
        return super().can_view_revisions() and self.sees_draft()


class DraftPrivacyPagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page policy, less the pages that are not live and whose draft the user
    may not see. The explorer, page search, admin API, site history and workflow
    reports all list pages through it."""

    def instances_user_has_any_permission_for(self, user: Any, actions: Any) -> QuerySet:
        return visible_to(user, super().instances_user_has_any_permission_for(user, actions))

    def explorable_instances(self, user: Any) -> QuerySet:
        return visible_to(user, super().explorable_instances(user))


class DraftPrivacyPageLogEntryManager(PageLogEntryManager):
    """Site history, less the entries of pages whose draft the user may not see: their
    labels are the draft's headline, and the page's own history is closed to them too."""

    def viewable_by_user(self, user: Any) -> QuerySet:
        entries = super().viewable_by_user(user)
        if _sees_everything(user):
            return entries
        hidden = hidden_drafts(user, Q(live=False) | Q(has_unpublished_changes=True))
        return entries.exclude(page_id__in=hidden.values("pk"))
