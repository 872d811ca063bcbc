"""The newsroom's live-blog desk: a compact form to post an update (headline optional,
text, Post) above the blog's updates, each with Correct and Delete, and ending or resuming
the coverage. Thin: the rules are in news/live.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST
from wagtail.admin.forms import WagtailAdminModelForm

from . import live
from .models import LiveBlogPage, LiveUpdate

SHOWN_PER_PAGE = 50


class LiveUpdateForm(WagtailAdminModelForm):
    class Meta:
        model = LiveUpdate
        fields = ["headline", "body", "key_event", "pinned"]


def may_post(user, blog: LiveBlogPage) -> bool:
    return blog.permissions_for_user(user).can_publish()


def _blog(request: HttpRequest, page_id: int) -> LiveBlogPage:
    blog = get_object_or_404(LiveBlogPage, pk=page_id)
    if not may_post(request.user, blog):
        raise PermissionDenied
    return blog


def _apply(form: LiveUpdateForm, change) -> LiveUpdate | None:
    """Run the service with the form's values; a refusal becomes the form's error."""
    try:
        return change(
            body=form.cleaned_data["body"],
            headline=form.cleaned_data["headline"],
            pinned=form.cleaned_data["pinned"],
            key_event=form.cleaned_data["key_event"],
        )
    except live.LiveRefused as refused:
        form.add_error(None, str(refused))
        return None


def desk(request: HttpRequest, page_id: int) -> HttpResponse:
    blog = _blog(request, page_id)
    if request.method == "POST":
        form = LiveUpdateForm(request.POST)
        if form.is_valid():
            posted = _apply(
                form, lambda **values: live.post_update(blog, user=request.user, **values)
            )
            if posted is not None:
                messages.success(request, gettext("Update posted."))
                return redirect("news_live_desk", blog.pk)
    else:
        form = LiveUpdateForm()
    updates = Paginator(
        blog.live_updates.select_related("author").order_by("-pk"), SHOWN_PER_PAGE
    ).get_page(request.GET.get("p"))
    context = {
        "page_title": gettext("Live updates"),
        "page_subtitle": blog.title,
        "header_icon": "comment",
        "blog": blog,
        "form": form,
        "updates": updates,
    }
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(request, "news/admin/live_desk.html", context, status=status)


def revise(request: HttpRequest, page_id: int, update_id: int) -> HttpResponse:
    blog = _blog(request, page_id)
    update = get_object_or_404(LiveUpdate, pk=update_id, blog=blog)
    if request.method == "POST":
        form = LiveUpdateForm(request.POST, instance=LiveUpdate(pk=update.pk, blog=blog))
        if form.is_valid():
            revised = _apply(
                form, lambda **values: live.revise_update(update, user=request.user, **values)
            )
            if revised is not None:
                messages.success(request, gettext("Update corrected."))
                return redirect("news_live_desk", blog.pk)
    else:
        form = LiveUpdateForm(instance=update)
    context = {
        "page_title": gettext("Correct an update"),
        "page_subtitle": blog.title,
        "header_icon": "edit",
        "blog": blog,
        "update": update,
        "form": form,
    }
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(request, "news/admin/live_revise.html", context, status=status)


@require_POST
def delete(request: HttpRequest, page_id: int, update_id: int) -> HttpResponse:
    blog = _blog(request, page_id)
    update = LiveUpdate(pk=update_id, blog=blog)
    if blog.live_updates.filter(pk=update_id).exists() and live.delete_update(
        update, user=request.user
    ):
        messages.success(request, gettext("Update deleted."))
    else:
        messages.info(request, gettext("That update was already deleted."))
    return redirect("news_live_desk", blog.pk)


@require_POST
def end(request: HttpRequest, page_id: int) -> HttpResponse:
    blog = _blog(request, page_id)
    try:
        live.end_coverage(blog, user=request.user)
    except live.LiveRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, gettext("Coverage ended: the page stays as an archive."))
    return redirect("news_live_desk", blog.pk)


@require_POST
def resume(request: HttpRequest, page_id: int) -> HttpResponse:
    blog = _blog(request, page_id)
    live.resume_coverage(blog, user=request.user)
    messages.success(request, gettext("Coverage resumed."))
    return redirect("news_live_desk", blog.pk)
