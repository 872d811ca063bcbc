"""What each e-mail says and looks like: the edition rendered once per send (HTML with
inline styles, and plain text), then given each recipient's own unsubscribe and
preferences links; the confirmation e-mail of a sign-up."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from dateline.core.addresses import absolute
from dateline.core.fragments import site_settings
from dateline.core.images import rendition
from dateline.news.models import ArticlePage

from .models import Edition, NewsletterList, Subscriber

UNSUBSCRIBE = "%%DATELINE-UNSUBSCRIBE%%"
PREFERENCES = "%%DATELINE-PREFERENCES%%"
CARD_PICTURE = "fill-600x338"


@dataclass
class StoryCard:
    title: str
    standfirst: str
    url: str
    picture_url: str
    picture_alt: str
    part: str


@dataclass
class Rendered:
    subject: str
    html: str
    text: str
    list_id: str


def with_utm(url: str, campaign: str) -> str:
    """The address with the newsroom's UTM parameters (DATELINE_NEWSLETTER_UTM), and
    utm_campaign naming the list, unless the operator turned them off."""
    tags = settings.DATELINE_NEWSLETTER_UTM
    if not tags:
        return url
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    query += parse_qsl(tags) + [("utm_campaign", campaign)]
    return urlunsplit(parts._replace(query=urlencode(query)))


def _cards(edition: Edition) -> list[StoryCard]:
    wanted = [item["id"] for item in edition.stories]
    if edition.story_id and edition.story_id not in wanted:
        wanted.insert(0, edition.story_id)
    parts = {item["id"]: item.get("part", "") for item in edition.stories}
    pages = ArticlePage.objects.live().public().select_related("lead_image").in_bulk(wanted)
    campaign = edition.newsletter.slug
    cards = []
    for page_id in wanted:
        page = pages.get(page_id)
        if page is None:  # taken down since the edition was made: never mailed
            continue
        picture = rendition(page.lead_image, CARD_PICTURE) if page.lead_image else None
        cards.append(
            StoryCard(
                title=page.title,
                standfirst=page.standfirst,
                url=with_utm(page.full_url or absolute(page.url), campaign),
                picture_url=_absolute_file(picture.url) if picture else "",
                picture_alt=page.lead_image_caption or "",
                part=parts.get(page_id, "breaking" if page_id == edition.story_id else ""),
            )
        )
    return cards


def _absolute_file(url: str) -> str:
    # Media may be served from another host (a CDN, object storage) already.
    return absolute(url) if url.startswith("/") else url


def render_edition(edition: Edition) -> Rendered:
    """The edition as every recipient gets it, but for their own links (placeholders)."""
    newsletter = edition.newsletter
    language = newsletter.locale.language_code
    with translation.override(language):
        context = {
            "edition": edition,
            "newsletter": newsletter,
            "cards": _cards(edition),
            "site_name": site_settings().texts_for(language).site_name,
            "home_url": with_utm(absolute(f"/{language}/"), newsletter.slug),
            "unsubscribe_url": UNSUBSCRIBE,
            "preferences_url": PREFERENCES,
            "language": language,
        }
        html = render_to_string("newsletters/email/edition.html", context)
        text = render_to_string("newsletters/email/edition.txt", context)
    return Rendered(edition.subject, html, text, list_id(newsletter))


def list_id(newsletter: NewsletterList) -> str:
    host = urlsplit(settings.DATELINE_BASE_URL).hostname or "localhost"
    return f"<{newsletter.slug}.{newsletter.locale.language_code}.{host}>"


def message_id(edition: Edition, subscriber: Subscriber) -> str:
    """The same for every attempt to send this edition to this address, so that a resend
    after a crash is recognised as one message by the receiving server."""
    host = urlsplit(settings.DATELINE_BASE_URL).hostname or "localhost"
    secret = hashlib.sha256(f"{subscriber.token}:{edition.pk}".encode()).hexdigest()[:12]
    return f"<edition-{edition.pk}.{subscriber.pk}.{secret}@{host}>"


def unsubscribe_url(
    subscriber: Subscriber, newsletter: NewsletterList, edition: Edition | None
) -> str:
    with translation.override(subscriber.locale.language_code):
        path = reverse("newsletters:unsubscribe", args=[subscriber.token, newsletter.pk])
    return absolute(path + (f"?edition={edition.pk}" if edition else ""))


def preferences_url(subscriber: Subscriber) -> str:
    with translation.override(subscriber.locale.language_code):
        return absolute(reverse("newsletters:preferences", args=[subscriber.token]))


def message_for(
    edition: Edition, rendered: Rendered, subscriber: Subscriber, connection=None
) -> EmailMultiAlternatives:
    unsubscribe = unsubscribe_url(subscriber, edition.newsletter, edition)
    preferences = preferences_url(subscriber)

    def personal(body: str) -> str:
        return body.replace(UNSUBSCRIBE, unsubscribe).replace(PREFERENCES, preferences)

    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=personal(rendered.text),
        from_email=settings.DATELINE_NEWSLETTER_FROM,
        to=[subscriber.email],
        connection=connection,
        headers={
            "Message-ID": message_id(edition, subscriber),
            "List-Id": rendered.list_id,
            # RFC 8058: a POST to this address unsubscribes at once, with no page to read.
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Precedence": "bulk",
        },
    )
    message.attach_alternative(personal(rendered.html), "text/html")
    return message


def confirmation_message(
    subscriber: Subscriber, link: str, language: str
) -> EmailMultiAlternatives:
    with translation.override(language):
        confirm_url = absolute(reverse("newsletters:confirm", args=[link]))
        context = {
            "site_name": site_settings().texts_for(language).site_name,
            "confirm_url": confirm_url,
            "hours": settings.DATELINE_NEWSLETTER_CONFIRM_HOURS,
            "site_url": absolute(f"/{language}/"),
            "language": language,
        }
        subject = translation.gettext("Confirm your newsletter subscription")
        html = render_to_string("newsletters/email/confirm.html", context)
        text = render_to_string("newsletters/email/confirm.txt", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DATELINE_NEWSLETTER_FROM,
        to=[subscriber.email],
    )
    message.attach_alternative(html, "text/html")
    return message
