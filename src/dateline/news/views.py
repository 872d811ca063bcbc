"""Listings outside the page tree: a tag's stories, an author's stories, the language's
corrections, what the breaking-news banner shows, and a live blog's updates."""

from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.models import Locale

from . import breaking, streams
from .models import (
    ArticleAuthor,
    ArticleTag,
    Author,
    LiveBlogPage,
    paginate,
    published_articles,
    with_card_pictures,
)
from .queries import author_by_slug, published_corrections, tag_by_slug


def tag(request: HttpRequest, slug: str) -> HttpResponse:
    locale = Locale.get_active()
    found = tag_by_slug(slug)
    if found is None:
        raise Http404(_("There is no such tag."))
    # A semi-join, not a join made distinct: DISTINCT compares whole story rows, which at
    # a million stories took a quarter of a second per page.
    tagged = ArticleTag.objects.filter(tag=found).values("content_object_id")
    articles = published_articles(locale).filter(pk__in=tagged)
    listed = paginate(
        with_card_pictures(articles), request, remember_count_as=("tag", found.pk, locale.pk)
    )
    return render(request, "news/tag.html", {"tag": found, "articles": listed})


def author(request: HttpRequest, slug: str) -> HttpResponse:
    locale = Locale.get_active()
    shown = author_by_slug(slug, locale)
    if shown is None:
        raise Http404(_("There is no such author."))
    signed = ArticleAuthor.objects.filter(author__translation_key=shown.translation_key).values(
        "article_id"
    )
    articles = published_articles(locale).filter(pk__in=signed)
    translation_urls = {
        version.locale.language_code: _author_url(version)
        for version in shown.get_translations(inclusive=True).select_related("locale")
    }
    return render(
        request,
        "news/author.html",
        {
            "author": shown,
            "articles": paginate(
                with_card_pictures(articles),
                request,
                remember_count_as=("author", str(shown.translation_key), locale.pk),
            ),
            "translation_urls": translation_urls,
        },
    )


def _author_url(author: Author) -> str:
    with translation.override(author.locale.language_code):
        return author.get_absolute_url()


def corrections(request: HttpRequest) -> HttpResponse:
    """Every correction and clarification on the language's stories, newest first."""
    noted = published_corrections(Locale.get_active())
    return render(request, "news/corrections.html", {"corrections": paginate(noted, request)})


class MarkupSafeEncoder(DjangoJSONEncoder):
    """JSON in which no text can close or open markup, wherever it ends up."""

    def encode(self, o) -> str:
        text = super().encode(o)
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def breaking_news(request: HttpRequest) -> JsonResponse:
    """The language's breaking stories, newest first, for the banner every page shows."""
    language = translation.get_language()
    items = [item.as_json() for item in breaking.breaking_items(language)]
    response = JsonResponse({"lang": language, "items": items}, encoder=MarkupSafeEncoder)
    seconds = breaking.SHARED_SECONDS
    response["Cache-Control"] = f"public, max-age={seconds}, s-maxage={seconds}"
    return response


def live_updates(request: HttpRequest, page_id: int) -> JsonResponse:
    """A live blog's newest updates, which its open pages poll; with `before=<id>`, the
    page of updates older than that one."""
    before = request.GET.get("before")
    if before is not None and streams.update_id(before) is None:
        return JsonResponse({"error": _("“before” must be the number of an update.")}, status=400)
    if page_id > streams.LARGEST_ID:
        raise Http404(_("There is no such live blog."))
    blog = (
        LiveBlogPage.objects.live().public().filter(pk=page_id, locale=Locale.get_active()).first()
    )
    if blog is None:
        raise Http404(_("There is no such live blog."))
    following = streams.generation_mark(blog)
    shown = blog.updates_page(streams.update_id(before))
    answer = {
        "id": blog.pk,
        "lang": translation.get_language(),
        "covering": blog.is_covering,
        "poll_seconds": streams.POLL_SECONDS,
        "older_than": shown.older_than,
        "updates": [
            {
                "id": update.pk,
                "revised": (update.revised_at or update.posted_at).isoformat(),
                "html": render_to_string(
                    "news/includes/live_update.html", {"update": update}, request
                ),
            }
            for update in shown.updates
        ],
    }
    if before is None:
        answer["key_events_html"] = render_to_string(
            "news/includes/live_key_events.html", {"key_events": blog.key_events()}, request
        )
    response = JsonResponse(answer, encoder=MarkupSafeEncoder)
    streams.mark_followed(response, following, covering=blog.is_covering)
    return response
