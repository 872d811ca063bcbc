"""The newsroom's Incoming screen: what came in from the wire, filtered by source,
language and state, with "Open as draft" and "Ignore", and "Import a web page". Thin: the
rules are in ingest/services.py."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail.models import Locale

from dateline.news.models import SectionPage

from . import services
from .models import IncomingItem, ItemState, Source
from .tasks import poll_source

SHOWN_PER_PAGE = 50


def may_use(user) -> bool:
    return user.has_perm("ingest.use_incoming")


def may_write_in(user, section: SectionPage | None) -> bool:
    return section is not None and section.permissions_for_user(user).can_add_subpage()


class ImportPageForm(forms.Form):
    url = forms.URLField(label=_("Address of the page"), max_length=1000, assume_scheme="https")
    locale = forms.ModelChoiceField(
        label=_("Language"), queryset=Locale.objects.all(), empty_label=None
    )
    section = forms.ModelChoiceField(
        label=_("Section"),
        queryset=SectionPage.objects.all().order_by("locale_id", "path"),
        required=False,
        help_text=_("The language's first section when empty."),
    )

    def clean(self):
        data = super().clean()
        section, locale = data.get("section"), data.get("locale")
        if section is not None and locale is not None and section.locale_id != locale.pk:
            self.add_error("section", gettext("Choose a section in the page's language."))
        return data


def _items(request: HttpRequest):
    # The newest stories first, by the time their source gives them.
    items = IncomingItem.objects.select_related("locale", "source", "story").order_by(
        F("published_at").desc(nulls_last=True), "-received_at", "-pk"
    )
    source = request.GET.get("source", "")
    if source.isdigit():
        items = items.filter(source_id=int(source))
    language = request.GET.get("language", "")
    if language:
        items = items.filter(locale__language_code=language)
    state = request.GET.get("state", ItemState.NEW)
    if state in ItemState.values:
        items = items.filter(state=state)
    else:
        items = items.exclude(state=ItemState.EXPIRED)
    query = request.GET.get("q", "").strip()[:200]
    if query:
        items = items.filter(
            Q(headline__icontains=query)
            | Q(summary__icontains=query)
            | Q(source_name__icontains=query)
        )
    return items, {"source": source, "language": language, "state": state, "q": query}


def incoming(request: HttpRequest) -> HttpResponse:
    if not may_use(request.user):
        raise PermissionDenied
    default_locale = Locale.objects.filter(language_code=settings.LANGUAGE_CODE).first()
    form = ImportPageForm(request.POST or None, initial={"locale": default_locale})
    if request.method == "POST" and form.is_valid():
        section = form.cleaned_data["section"] or services.default_section(
            form.cleaned_data["locale"]
        )
        if not may_write_in(request.user, section):
            form.add_error(None, gettext("You may not write stories in that section."))
        else:
            try:
                story = services.import_page(
                    form.cleaned_data["url"],
                    locale=form.cleaned_data["locale"],
                    section=section,
                    user=request.user,
                )
            except services.IngestError as error:
                form.add_error("url", gettext("The page was not imported: %s") % error)
            else:
                messages.success(request, gettext("Imported as a draft: “%s”.") % story.title)
                return redirect("wagtailadmin_pages:edit", story.pk)
    items, chosen = _items(request)
    page = Paginator(items, SHOWN_PER_PAGE).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "ingest/admin/incoming.html",
        {
            "page_title": gettext("Incoming"),
            "header_icon": "download",
            "page": page,
            "chosen": chosen,
            "states": [choice for choice in ItemState.choices if choice[0] != ItemState.EXPIRED],
            "sources": Source.objects.all(),
            "locales": Locale.objects.all(),
            "form": form,
            "may_manage_sources": request.user.has_perm("ingest.view_source"),
        },
    )


def _item(request: HttpRequest, item_id: int) -> IncomingItem:
    if not may_use(request.user):
        raise PermissionDenied
    return get_object_or_404(IncomingItem.objects.select_related("locale", "section"), pk=item_id)


def _back(request: HttpRequest) -> str:
    query = request.POST.get("back", "")
    return reverse("ingest_incoming") + (f"?{query}" if query and "//" not in query else "")


@require_POST
def open_item(request: HttpRequest, item_id: int) -> HttpResponse:
    item = _item(request, item_id)
    section = item.section or services.default_section(item.locale)
    if not item.story_id and not may_write_in(request.user, section):
        raise PermissionDenied
    try:
        story = services.open_as_draft(item, user=request.user)
    except services.IngestError as error:
        messages.error(request, gettext("No draft was made: %s") % error)
        return redirect(_back(request))
    item.refresh_from_db(fields=["note"])
    if item.note:
        messages.warning(request, item.note)
    return redirect("wagtailadmin_pages:edit", story.pk)


@require_POST
def ignore_item(request: HttpRequest, item_id: int) -> HttpResponse:
    services.ignore(_item(request, item_id))
    return redirect(_back(request))


@require_POST
def poll_now(request: HttpRequest, source_id: int) -> HttpResponse:
    if not request.user.has_perm("ingest.change_source"):
        raise PermissionDenied
    source = get_object_or_404(Source, pk=source_id)
    poll_source.enqueue(source.pk)
    messages.success(request, gettext("“%s” will be polled in a moment.") % source.name)
    return redirect("ingest_sources:edit", source.pk)
