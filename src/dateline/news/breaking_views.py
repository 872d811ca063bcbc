"""The newsroom's breaking-news screens: mark a story (from its editor or the listing's
menu), see what is shown now in every language, and clear it. Thin: the rules are in
news/breaking.py."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail.admin.widgets import AdminDateTimeInput
from wagtail.permission_policies.pages import PagePermissionPolicy

from . import breaking
from .models import ArticlePage, BreakingNews

RECENTLY_ENDED = 20


class BreakingForm(forms.Form):
    label = forms.CharField(
        label=_("Label"),
        required=False,
        max_length=breaking.LABEL_LENGTH,
        help_text=_("Shown before the headline; “Breaking” in the story’s language when empty."),
    )
    expires_at = forms.DateTimeField(
        label=_("Shown until"),
        widget=AdminDateTimeInput,
        help_text=_("At most seven days ahead. Clear it sooner from Breaking news."),
    )


def may_mark_any(user) -> bool:
    return PagePermissionPolicy().user_has_permission(user, "publish")


def may_mark(user, story: ArticlePage) -> bool:
    return story.permissions_for_user(user).can_publish()


def _story(request: HttpRequest, page_id: int) -> ArticlePage:
    story = get_object_or_404(ArticlePage, pk=page_id)
    if not may_mark(request.user, story):
        raise PermissionDenied
    return story


def _back(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return default


def mark(request: HttpRequest, page_id: int) -> HttpResponse:
    story = _story(request, page_id)
    shown = breaking.shown_marks().filter(story=story).first()
    if request.method == "POST":
        form = BreakingForm(request.POST)
        if form.is_valid():
            try:
                breaking.mark_breaking(
                    story,
                    label=form.cleaned_data["label"],
                    expires_at=form.cleaned_data["expires_at"],
                    user=request.user,
                )
            except breaking.BreakingRefused as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(
                    request,
                    gettext("“%(title)s” is shown as breaking news.") % {"title": story.title},
                )
                return redirect(_back(request, "news_breaking"))
    else:
        until = shown.expires_at if shown else timezone.now() + breaking.DEFAULT_DURATION
        form = BreakingForm(
            initial={
                "label": shown.label if shown else "",
                "expires_at": timezone.localtime(until).replace(second=0, microsecond=0),
            }
        )
    context = {
        "page_title": gettext("Mark as breaking news"),
        "page_subtitle": story.title,
        "header_icon": "warning",
        "story": story,
        "shown": shown,
        "form": form,
        "next": _back(request, ""),
    }
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(request, "news/admin/breaking_mark.html", context, status=status)


def index(request: HttpRequest) -> HttpResponse:
    if not may_mark_any(request.user):
        raise PermissionDenied
    shown = list(breaking.shown_marks())
    ended = (
        BreakingNews.objects.exclude(pk__in=[mark.pk for mark in shown])
        .select_related("story", "story__locale", "marked_by", "cleared_by")
        .order_by("-marked_at", "-pk")[:RECENTLY_ENDED]
    )
    context = {
        "page_title": gettext("Breaking news"),
        "header_icon": "warning",
        "shown": [(mark, may_mark(request.user, mark.story)) for mark in shown],
        "ended": ended,
    }
    return TemplateResponse(request, "news/admin/breaking_index.html", context)


@require_POST
def clear(request: HttpRequest, page_id: int) -> HttpResponse:
    story = _story(request, page_id)
    if breaking.clear_breaking(story, user=request.user):
        messages.success(
            request, gettext("“%(title)s” is no longer shown as breaking.") % {"title": story.title}
        )
    else:
        messages.info(
            request, gettext("“%(title)s” was not shown as breaking.") % {"title": story.title}
        )
    return redirect(_back(request, "news_breaking"))
