"""The reader's newsletter pages: sign up, confirm, unsubscribe (also RFC 8058's one-click
POST from the mail client), and the preferences page. None is ever cached: each answers
one reader.

The sign-up form sits in the footer of cached pages, so it carries no CSRF token; a
request from another site is refused by its Origin instead, and a sign-up only ever
sends a confirmation e-mail."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.models import Locale

from dateline.core.clients import client_ip, client_network
from dateline.core.ratelimit import RateLimited, check_shared
from dateline.core.security import sent_from_elsewhere

from . import services
from .forms import PreferencesForm, SignupForm
from .models import Edition, NewsletterList, Subscription


def _locale() -> Locale:
    return get_object_or_404(Locale, language_code=get_language())


def _page(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    response = render(request, template, context, status=status)
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@csrf_exempt
@require_POST
def subscribe(request: HttpRequest) -> HttpResponse:
    locale = _locale()
    form = SignupForm(request.POST, offered=services.offered_lists(locale))
    if sent_from_elsewhere(request):
        return _page(
            request,
            "newsletters/signup_result.html",
            {"error": _("This form can only be sent from this site.")},
            status=403,
        )
    if form.filled_by_robot():
        # Told the same as a person, so the robot learns nothing.
        return _page(request, "newsletters/signup_result.html", {"sent": True})
    if not form.is_valid():
        return _page(request, "newsletters/signup_result.html", {"form": form}, status=400)
    try:
        check_shared(
            f"newsletter-signup:{client_network(client_ip(request))}",
            settings.DATELINE_NEWSLETTER_SIGNUPS_PER_ADDRESS,
            3600,
        )
        check_shared(
            f"newsletter-signup-email:{form.cleaned_data['email'].strip().lower()[:254]}",
            settings.DATELINE_NEWSLETTER_SIGNUPS_PER_EMAIL,
            3600,
        )
    except RateLimited as limited:
        response = _page(
            request,
            "newsletters/signup_result.html",
            {"error": _("Too many sign-ups from here. Please try again in an hour.")},
            status=429,
        )
        response["Retry-After"] = str(limited.retry_after)
        return response
    try:
        services.request_subscription(
            form.cleaned_data["email"],
            locale,
            [newsletter.pk for newsletter in form.cleaned_data["lists"]],
        )
    except ValidationError as error:
        form.add_error("email", error)
        return _page(request, "newsletters/signup_result.html", {"form": form}, status=400)
    return _page(request, "newsletters/signup_result.html", {"sent": True})


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, link: str) -> HttpResponse:
    """A GET shows a button and a POST confirms: mail scanners that open every link in
    an e-mail must not subscribe anyone."""
    if request.method == "GET":
        return _page(request, "newsletters/confirm.html", {"link": link})
    try:
        subscriber = services.confirm(link)
    except services.ConfirmationExpired:
        return _page(
            request,
            "newsletters/confirm.html",
            {"error": _("This link has expired. Please sign up again to get a new one.")},
            status=410,
        )
    except services.ConfirmationInvalid:
        return _page(
            request,
            "newsletters/confirm.html",
            {"error": _("This link is not valid. Please sign up again to get a new one.")},
            status=400,
        )
    return _page(request, "newsletters/confirm.html", {"confirmed": subscriber})


@never_cache
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str, list_id: int) -> HttpResponse:
    """GET: a page with one button. POST (that button, or a mail client's one-click
    unsubscribe, RFC 8058): off the list at once. The token is the credential."""
    subscriber = services.subscriber_for(token)
    newsletter = NewsletterList.objects.filter(pk=list_id).first()
    if subscriber is None or newsletter is None:
        return _page(
            request,
            "newsletters/unsubscribe.html",
            {"error": _("This link is not valid, or the address was already removed.")},
            status=404,
        )
    context = {
        "subscriber": subscriber,
        "newsletter": newsletter,
        "edition": request.GET.get("edition", ""),
    }
    if request.method == "GET":
        context["subscribed"] = Subscription.objects.filter(
            subscriber=subscriber, newsletter=newsletter
        ).exists()
        return _page(request, "newsletters/unsubscribe.html", context)
    edition_id = request.GET.get("edition", "")
    edition = Edition.objects.filter(pk=int(edition_id)).first() if edition_id.isdigit() else None
    services.unsubscribe(subscriber, newsletter, edition)
    context["done"] = True
    return _page(request, "newsletters/unsubscribe.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest, token: str) -> HttpResponse:
    subscriber = services.subscriber_for(token)
    if subscriber is None:
        return _page(
            request,
            "newsletters/preferences.html",
            {"error": _("This link is not valid, or the address was already removed.")},
            status=404,
        )
    if request.method == "POST" and "forget" in request.POST:
        services.forget(subscriber)
        return _page(request, "newsletters/preferences.html", {"forgotten": True})
    languages = [
        (
            locale.language_code,
            dict(settings.LANGUAGES).get(locale.language_code, locale.language_code),
        )
        for locale in Locale.objects.filter(language_code__in=dict(settings.LANGUAGES))
    ]
    offered = NewsletterList.objects.filter(active=True, locale=subscriber.locale)
    form = PreferencesForm(
        request.POST or None,
        languages=languages,
        offered=NewsletterList.objects.filter(active=True),
        initial={
            "language": subscriber.locale.language_code,
            "lists": list(subscriber.lists.values_list("pk", flat=True)),
        },
    )
    saved = False
    if request.method == "POST" and form.is_valid():
        locale = Locale.objects.get(language_code=form.cleaned_data["language"])
        changed_language = locale.pk != subscriber.locale_id
        lists = list(form.cleaned_data["lists"])
        if changed_language:
            # The same kinds of list in the new language.
            kinds = {newsletter.kind for newsletter in lists} or {NewsletterList.DIGEST}
            lists = list(NewsletterList.objects.filter(active=True, locale=locale, kind__in=kinds))
        services.set_preferences(subscriber, locale, lists)
        saved = True
        subscriber.refresh_from_db()
        offered = NewsletterList.objects.filter(active=True, locale=subscriber.locale)
        form = PreferencesForm(
            languages=languages,
            offered=NewsletterList.objects.filter(active=True),
            initial={
                "language": subscriber.locale.language_code,
                "lists": list(subscriber.lists.values_list("pk", flat=True)),
            },
        )
    form.fields["lists"].queryset = offered
    status = 400 if request.method == "POST" and not saved else 200
    return _page(
        request,
        "newsletters/preferences.html",
        {"form": form, "subscriber": subscriber, "saved": saved},
        status=status,
    )
