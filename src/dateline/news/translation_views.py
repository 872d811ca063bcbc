"""The translation desk: every story in the site's first language with a column per
other language saying where its translation stands, filterable by section, language and
state, oldest or newest first; one click creates a missing translation's draft or opens
the existing one. Thin: the states are in news/translation_desk.py."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail.models import Locale
from wagtail.permission_policies.pages import PagePermissionPolicy

from . import desks, machine_translation, services, translation_desk
from .forms import TranslationAssignmentForm
from .models import ArticlePage, SectionPage
from .tasks import machine_translate

SHOWN_PER_PAGE = 50
STATE_LABELS = {
    translation_desk.MISSING: _("Missing"),
    translation_desk.DRAFT: _("Draft"),
    translation_desk.PUBLISHED: _("Published"),
    translation_desk.OUT_OF_DATE: _("Out of date"),
}


def may_translate(user) -> bool:
    return PagePermissionPolicy().user_has_permission(user, "add")


def overview(request: HttpRequest) -> HttpResponse:
    if not may_translate(request.user):
        raise PermissionDenied
    languages = translation_desk.site_languages()
    source_language = next(
        (locale for locale in languages if locale.language_code == settings.LANGUAGE_CODE),
        languages[0] if languages else None,
    )
    if source_language is None:
        raise PermissionDenied
    targets = [locale for locale in languages if locale.pk != source_language.pk]
    section = request.GET.get("section", "")
    stories = translation_desk.sources(source_language, int(section) if section.isdigit() else None)
    language = next((t for t in targets if t.language_code == request.GET.get("language")), None)
    state = request.GET.get("state", "")
    if state in translation_desk.STATES and language is not None:
        stories = translation_desk.with_state(stories, language, state)
    order = "oldest" if request.GET.get("order") == "oldest" else "newest"
    if order == "oldest":
        stories = stories.order_by("first_published_at", "pk")
    page = Paginator(stories, SHOWN_PER_PAGE).get_page(request.GET.get("p"))
    shown = [language] if language else targets
    context = {
        "page_title": gettext("Translations"),
        "header_icon": "globe",
        "page": page,
        "rows": translation_desk.rows(list(page.object_list), shown),
        "languages": shown,
        "targets": targets,
        "source_language": source_language,
        "sections": SectionPage.objects.filter(locale=source_language).order_by("path"),
        "states": list(STATE_LABELS.items()),
        "labels": STATE_LABELS,
        "writes_in": [t.language_code for t in targets if desks.writes_in(request.user, t)],
        "assigns_in": [t.language_code for t in targets if desks.publishes_in(request.user, t)],
        "my_open_assignments": desks.open_assignment_count(request.user),
        "chosen": {
            "section": section,
            "language": language.language_code if language else "",
            "state": state if language else "",
            "order": order,
        },
    }
    return TemplateResponse(request, "news/admin/translations.html", context)


@require_POST
def translate(request: HttpRequest, page_id: int, language: str) -> HttpResponse:
    """Open the story's translation into `language`, making its draft first if missing."""
    source = get_object_or_404(ArticlePage, pk=page_id)
    locale = get_object_or_404(Locale, language_code=language)
    if not may_translate(request.user) or locale.pk == source.locale_id:
        raise PermissionDenied
    existing = ArticlePage.objects.filter(
        translation_key=source.translation_key, locale=locale
    ).first()
    if existing is None:
        if not desks.may_start_translation(request.user, source, locale):
            raise PermissionDenied
        existing = services.translate_page(source, locale, user=request.user)
        names = {"language": locale.get_display_name(), "title": source.title}
        if machine_translation.is_configured():
            transaction.on_commit(lambda: machine_translate.enqueue(existing.pk))
            messages.info(
                request,
                gettext(
                    "A %(language)s draft of “%(title)s” is made; its machine translation "
                    "arrives in a moment. Reload to see it."
                )
                % names,
            )
        else:
            messages.success(
                request,
                gettext("A %(language)s draft of “%(title)s” is ready to translate.") % names,
            )
    return redirect("wagtailadmin_pages:edit", existing.pk)


def source_changes(request: HttpRequest, page_id: int) -> HttpResponse:
    """What changed in the source story since this translation was last published."""
    translation = get_object_or_404(ArticlePage, pk=page_id)
    if not translation.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    source = translation_desk.source_of(translation)
    followed = translation_desk.followed_revision(source, translation) if source else None
    current = source.live_revision if source else None
    parts = []
    if followed is not None and current is not None:
        parts = translation_desk.changes(
            translation_desk.text_of(followed.as_object()),
            translation_desk.text_of(current.as_object()),
        )
    context = {
        "page_title": gettext("What changed in the source"),
        "header_icon": "globe",
        "translation": translation,
        "source": source,
        "followed": followed,
        "current": current,
        "parts": parts,
        "changed": any(part.kind != "same" for part in parts),
    }
    return TemplateResponse(request, "news/admin/translation_changes.html", context)


def assign(request: HttpRequest, page_id: int, language: str) -> HttpResponse:
    """Give the story's translation into `language` to someone, with a due time; or take
    it back. Only those who publish in that language hand out its work."""
    source = get_object_or_404(ArticlePage, pk=page_id)
    locale = get_object_or_404(Locale, language_code=language)
    if locale.pk == source.locale_id or not desks.publishes_in(request.user, locale):
        raise PermissionDenied
    current = source.translation_assignments.filter(locale=locale).first()
    names = {"language": locale.get_display_name(), "title": source.title}
    if request.method == "POST" and "unassign" in request.POST:
        if desks.unassign(source, locale, by=request.user):
            messages.success(
                request,
                gettext("The %(language)s translation of “%(title)s” is unassigned.") % names,
            )
        return redirect("news_translations")
    form = TranslationAssignmentForm(
        request.POST or None,
        translators=desks.translators_for(locale),
        initial={"assignee": current.assignee_id, "due_at": current.due_at, "note": current.note}
        if current
        else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            assignment = desks.assign(source, locale, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            names["person"] = (
                assignment.assignee.get_full_name() or assignment.assignee.get_username()
            )
            messages.success(
                request,
                gettext("%(person)s translates “%(title)s” into %(language)s.") % names,
            )
            return redirect("news_translations")
    context = {
        "page_title": gettext("Assign a translation"),
        "header_icon": "globe",
        "source": source,
        "locale": locale,
        "form": form,
        "current": current,
    }
    return TemplateResponse(
        request, "news/admin/translation_assign.html", context, status=400 if form.errors else 200
    )


def my_assignments(request: HttpRequest) -> HttpResponse:
    if not may_translate(request.user):
        raise PermissionDenied
    assigned = desks.assignments_of(request.user)
    context = {
        "page_title": gettext("My assignments"),
        "header_icon": "globe",
        "to_do": [item for item in assigned if not item.done],
        "done": [item for item in assigned if item.done],
        "labels": STATE_LABELS,
    }
    return TemplateResponse(request, "news/admin/my_assignments.html", context)
