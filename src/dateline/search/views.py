"""The search page and the overlay's suggestions. Results come from the search service,
in the page's language; the page is never indexed by search engines."""

from __future__ import annotations

import hashlib
from datetime import date

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from dateline.core import fragments
from dateline.core.clients import client_ip
from dateline.news.models import SectionPage, paginate, public_only

from . import services
from .services import MAX_QUERY_LENGTH, Filters

# Days outside these cannot be turned into a moment in every time zone (year 1 and
# year 9999 overflow); no story of a news site lies beyond them. The API takes the same.
EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(9000, 12, 31)


def _day_field(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(
            attrs={
                "type": "date",
                "min": EARLIEST_DAY.isoformat(),
                "max": LATEST_DAY.isoformat(),
            }
        ),
    )


class SearchFilters(forms.Form):
    section = forms.TypedChoiceField(
        label=_("Section"), required=False, coerce=int, empty_value=None
    )
    date_from = _day_field(_("From"))
    date_to = _day_field(_("To"))
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("relevance", _("Relevance")), ("newest", _("Newest first"))],
    )

    def __init__(self, data, locale: Locale):
        super().__init__(data)
        self.fields["section"].choices = [("", _("All sections")), *_section_choices(locale)]

    def clean(self):
        data = super().clean()
        for name in ("date_from", "date_to"):
            day = data.get(name)
            if day and not EARLIEST_DAY <= day <= LATEST_DAY:
                self.add_error(
                    name,
                    _("Enter a date between %(earliest)s and %(latest)s.")
                    % {"earliest": EARLIEST_DAY.isoformat(), "latest": LATEST_DAY.isoformat()},
                )
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data

    def rendered_key(self) -> str:
        """What the rendered fields depend on besides the language and its sections: the
        values as sent (a widget shows them as typed). Rendering the four widgets was a
        third of a search page asked again."""
        sent = [self.data.get(name, "") for name in self.fields]
        return hashlib.sha256(repr(sent).encode()).hexdigest()[:32]

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            section_id=data.get("section"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            sort=data.get("sort") or "relevance",
        )


def _section_choices(locale: Locale) -> list[tuple[int, str]]:
    """The language's public sections, remembered while the structure lasts: read on every
    search, the query took 50 ms at 100,000 stories (the sections share the page table)."""

    def read() -> list[tuple[int, str]]:
        sections = public_only(SectionPage.objects.live().filter(locale=locale))
        return list(sections.order_by("path").values_list("pk", "title"))

    return fragments.remembered_structure(("search-sections", locale.pk), read)


def _noindex(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex"
    return response


def _is_bot(request: HttpRequest) -> bool:
    readers = services._readers()
    return readers is None or readers.is_bot(request.headers.get("User-Agent", ""))


def search(request: HttpRequest) -> HttpResponse:
    locale = Locale.get_active()
    query = request.GET.get("q", "").replace("\x00", "").strip()
    form = SearchFilters(request.GET, locale)
    context = {"query": query, "results": None, "form": form, "filters_key": form.rendered_key()}
    if len(query) > MAX_QUERY_LENGTH:
        context["error"] = ngettext(
            "The search is too long: use at most %(count)d character.",
            "The search is too long: use at most %(count)d characters.",
            MAX_QUERY_LENGTH,
        ) % {"count": MAX_QUERY_LENGTH}
        return _noindex(render(request, "search/search.html", context, status=400))
    if not form.is_valid():
        context["error"] = " ".join(str(e) for errors in form.errors.values() for e in errors)
        return _noindex(render(request, "search/search.html", context, status=400))
    if query:
        results = services.search(query, locale, form.filters())
        context["results"] = paginate(results, request)
        # The page of results is rendered once per kept ranking (services.SearchResults).
        context["results_key"] = f"{results.kept_key()}:{context['results'].number}"
        if not results.count():
            # Nothing found: near spellings that do find stories, and what others search.
            context["spellings"] = services.did_you_mean(query, locale.language_code)
            context["popular"] = services.popular_searches(locale.language_code)
        elif context["results"].number == 1 and not _is_bot(request):
            services.record_search(query, locale.language_code, client_ip(request))
    else:
        context["popular"] = services.popular_searches(locale.language_code)
    response = _noindex(render(request, "search/search.html", context))
    if query:
        # Each search is counted towards popular searches, so it may not come from a cache.
        response["Cache-Control"] = "private, no-cache"
    return response


def suggest(request: HttpRequest) -> JsonResponse:
    """Matching headlines for the overlay as the reader types; popular searches when the
    box is empty."""
    language = get_language()
    query = request.GET.get("q", "").replace("\x00", "")[:MAX_QUERY_LENGTH].strip()
    if query:
        suggestions = [
            {"title": s.title, "url": s.url, "section": s.section}
            for s in services.suggest(query, language)
        ]
        data = {"query": query, "suggestions": suggestions}
    else:
        data = {"query": "", "popular": services.popular_searches(language)}
    response = JsonResponse(data)
    response["Cache-Control"] = (
        f"public, max-age={getattr(settings, 'DATELINE_SEARCH_SUGGEST_MAX_AGE', 60)}"
    )
    return _noindex(response)
