"""The search page. Results come from the search service, in the page's language."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import ngettext
from wagtail.models import Locale

from dateline.news.models import paginate

from .services import MAX_QUERY_LENGTH, search_articles


def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    context = {"query": query, "results": None}
    if len(query) > MAX_QUERY_LENGTH:
        context["error"] = ngettext(
            "The search is too long: use at most %(count)d character.",
            "The search is too long: use at most %(count)d characters.",
            MAX_QUERY_LENGTH,
        ) % {"count": MAX_QUERY_LENGTH}
        return render(request, "search/search.html", context, status=400)
    if query:
        context["results"] = paginate(search_articles(query, Locale.get_active()), request)
    response = render(request, "search/search.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response
