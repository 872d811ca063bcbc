"""Language desks and translation assignments.

A language desk is a group whose page permissions are granted on one language's home
page, so its members write, publish, lock and unlock pages in that language's tree and
nowhere else: Wagtail's own tree permissions, one tree per language. The Editors group
keeps its grant on the root and publishes in every language.

An assignment says who translates a story into a language and by when. It is done once
the translation is published and up to date, which the desk reads from the pages
(translation_desk.state_of), so nothing has to remember to close it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Locale, Page

from . import translation_desk
from .models import ArticlePage, HomePage, TranslationAssignment

DESK_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
DESK_MODEL_PERMISSIONS = (("wagtailadmin", "access_admin"), ("news", "view_author"))
DESK_COLLECTION_PERMISSIONS = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
)

ASSIGNED = "news.translation.assign"
UNASSIGNED = "news.translation.unassign"

NOTE_LIMIT = TranslationAssignment._meta.get_field("note").max_length


def desk_name(locale: Locale) -> str:
    names = dict(settings.LANGUAGES)
    code = locale.language_code
    return f"Desk: {names.get(code, code)} ({code})"


def home_of(locale: Locale) -> HomePage | None:
    return HomePage.objects.filter(locale=locale).first()


def ensure_language_desks() -> list[Group]:
    """A desk group for every site language that has a home page. Safe to run again; a
    desk's grants that an administrator added or removed by hand are left as they are
    once the group exists."""
    desks = []
    for locale in translation_desk.site_languages():
        home = home_of(locale)
        if home is None:
            continue
        group, created = Group.objects.get_or_create(name=desk_name(locale))
        desks.append(group)
        if created:
            _grant_desk_permissions(group, home)
    return desks


def _grant_desk_permissions(group: Group, home: Page) -> None:
    for app_label, codename in DESK_MODEL_PERMISSIONS:
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    for codename in DESK_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=home,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    root_collection = Collection.get_first_root_node()
    for app_label, codename in DESK_COLLECTION_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=group,
            collection=root_collection,
            permission=Permission.objects.get(content_type__app_label=app_label, codename=codename),
        )


# --- Who writes and publishes where ---------------------------------------------------


def _grants(user: Any, codename: str) -> list[str]:
    return list(
        GroupPagePermission.objects.filter(group__user=user, permission__codename=codename)
        .values_list("page__path", flat=True)
        .distinct()
    )


def _covers_language(path: str, home: Page) -> bool:
    """A grant on the language's home page or above it: the whole language."""
    return home.path.startswith(path)


def _inside_language(path: str, home: Page) -> bool:
    """A grant on the language's home or anywhere in its tree (a section desk)."""
    return home.path.startswith(path) or path.startswith(home.path)


def writes_in(user: Any, locale: Locale) -> bool:
    """Whether `user` may write at least part of the site in `locale`."""
    if not user.is_active or user.is_anonymous:
        return False
    if user.is_superuser:
        return True
    home = home_of(locale)
    return home is not None and any(
        _inside_language(path, home) for path in _grants(user, "add_page")
    )


def publishes_in(user: Any, locale: Locale) -> bool:
    """Whether `user` may publish everywhere in `locale`: who may hand out its work."""
    if not user.is_active or user.is_anonymous:
        return False
    if user.is_superuser:
        return True
    home = home_of(locale)
    return home is not None and any(
        _covers_language(path, home) for path in _grants(user, "publish_page")
    )


def may_start_translation(user: Any, source: Page, locale: Locale) -> bool:
    """Whether `user` may make the source's draft in `locale`: they may add a page where
    the translation goes (the translated section, or the language's home when the
    section has no translation yet)."""
    parent = source.get_parent().specific
    target = parent.get_translation_or_none(locale) if hasattr(parent, "locale") else None
    target = target or home_of(locale)
    return target is not None and target.permissions_for_user(user).can_add_subpage()


def translators_for(locale: Locale) -> QuerySet:
    """The active people who may be given a translation into `locale`."""
    home = home_of(locale)
    groups = set()
    if home is not None:
        for group_id, path in GroupPagePermission.objects.filter(
            permission__codename="add_page"
        ).values_list("group_id", "page__path"):
            if _inside_language(path, home):
                groups.add(group_id)
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__in=groups))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


# --- Assignments -----------------------------------------------------------------------


def assign(
    source: ArticlePage,
    locale: Locale,
    assignee: Any,
    due_at: datetime | None = None,
    note: str = "",
    by: Any = None,
) -> TranslationAssignment:
    """Give the story's translation into `locale` to `assignee` (replacing whoever had
    it), written to the story's history."""
    if locale.pk == source.locale_id:
        raise ValidationError(_("A story is not translated into its own language."))
    if not translators_for(locale).filter(pk=assignee.pk).exists():
        raise ValidationError(
            _("%(person)s does not write in %(language)s.")
            % {
                "person": assignee.get_full_name() or assignee.get_username(),
                "language": locale.get_display_name(),
            }
        )
    if due_at is not None and timezone.is_naive(due_at):
        raise ValidationError(_("A due time needs its time zone."))
    note = note.strip()
    if len(note) > NOTE_LIMIT:
        raise ValidationError(_("A note is at most %(limit)d characters.") % {"limit": NOTE_LIMIT})
    with transaction.atomic():
        assignment, _created = TranslationAssignment.objects.update_or_create(
            source=source,
            locale=locale,
            defaults={
                "assignee": assignee,
                "due_at": due_at,
                "note": note,
                "assigned_by": by,
                "assigned_at": timezone.now(),
            },
        )
        log(
            instance=source,
            action=ASSIGNED,
            user=by,
            data={
                "language": locale.language_code,
                "assignee": assignee.get_username(),
                "due_at": due_at.isoformat() if due_at else None,
            },
        )
    return assignment


def unassign(source: ArticlePage, locale: Locale, by: Any = None) -> bool:
    """Take the translation back from whoever had it. False when no one had."""
    with transaction.atomic():
        deleted, _counts = TranslationAssignment.objects.filter(
            source=source, locale=locale
        ).delete()
        if deleted:
            log(
                instance=source, action=UNASSIGNED, user=by, data={"language": locale.language_code}
            )
    return bool(deleted)


@dataclass
class Assigned:
    assignment: TranslationAssignment
    state: str
    translation: ArticlePage | None

    @property
    def done(self) -> bool:
        return self.state == translation_desk.PUBLISHED


def assignments_of(user: Any) -> list[Assigned]:
    """The user's assignments with where each translation stands: those still to do
    first, soonest due first (no due time last), then those done."""
    assignments = list(
        TranslationAssignment.objects.filter(assignee=user)
        .select_related("source", "locale", "assigned_by")
        .order_by("assigned_at")
    )
    translations = {
        (page.translation_key, page.locale_id): page
        for page in ArticlePage.objects.filter(
            translation_key__in=[a.source.translation_key for a in assignments],
            alias_of__isnull=True,
        ).only("pk", "title", "live", "last_published_at", "translation_key", "locale_id")
    }
    result = []
    for assignment in assignments:
        translation = translations.get((assignment.source.translation_key, assignment.locale_id))
        state = translation_desk.state_of(translation, assignment.source)
        result.append(Assigned(assignment, state, translation))
    far = timezone.now().replace(year=9999)
    result.sort(key=lambda item: (item.done, item.assignment.due_at or far))
    return result


def open_assignment_count(user: Any) -> int:
    return sum(1 for item in assignments_of(user) if not item.done)
