"""Every write to newsletter lists and subscribers: signing up (double opt-in),
confirming, unsubscribing, changing preferences, forgetting an address, and what a
bounce or complaint does."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.models import Locale

from .models import Delivery, Edition, NewsletterList, Subscriber, Subscription

CONFIRM_SALT = "dateline.newsletters.confirm"


class ConfirmationInvalid(Exception):
    """A confirmation link that was altered, or made for another site."""


class ConfirmationExpired(Exception):
    """A confirmation link older than DATELINE_NEWSLETTER_CONFIRM_HOURS."""


def normalised_address(email: str) -> str:
    """The address as stored: trimmed, lower case (mail providers treat case alike, and one
    reader must not be two subscribers). Raises ValidationError for a malformed one."""
    address = (email or "").strip().lower()
    if len(address) > 254:
        raise ValidationError(_("An e-mail address is at most 254 characters."))
    validate_email(address)
    return address


def offered_lists(locale: Locale) -> QuerySet[NewsletterList]:
    """The lists a reader of `locale` may sign up to, digest first."""
    return NewsletterList.objects.filter(locale=locale, active=True, offered=True).order_by(
        "-kind", "pk"
    )


def ensure_default_lists() -> list[NewsletterList]:
    """A daily digest and a breaking-news list in every site language, named in that
    language; made once, so an editor's changes to them stay."""
    made = []
    for code, _name in settings.LANGUAGES:
        locale = Locale.objects.filter(language_code=code).first()
        if locale is None:
            continue
        with translation.override(code):
            defaults = (
                (
                    NewsletterList.DIGEST,
                    "daily",
                    _("Daily digest"),
                    _("The day's main stories, every morning."),
                    settings.DATELINE_NEWSLETTER_DIGEST_AT,
                ),
                (
                    NewsletterList.BREAKING,
                    "breaking",
                    _("Breaking news"),
                    _("An e-mail when a big story breaks."),
                    None,
                ),
            )
        for kind, slug, name, description, send_at in defaults:
            newsletter, created = NewsletterList.objects.get_or_create(
                locale=locale,
                slug=slug,
                defaults={
                    "kind": kind,
                    "name": name,
                    "description": description,
                    "send_at": send_at,
                },
            )
            if created:
                made.append(newsletter)
    return made


def request_subscription(email: str, locale: Locale, list_ids: list[int]) -> Subscriber:
    """Record the address (not yet subscribed to anything) and queue the e-mail whose link
    confirms the chosen lists. Asking again sends a new link; the answer is the same
    whether or not the address was known, so the form tells no one who subscribes."""
    from .tasks import send_confirmation

    address = normalised_address(email)
    lists = list(offered_lists(locale).filter(pk__in=list_ids)) or list(
        offered_lists(locale).filter(kind=NewsletterList.DIGEST)[:1]
    )
    if not lists:
        raise ValidationError(_("There is no newsletter to sign up to in this language."))
    subscriber, _created = Subscriber.objects.get_or_create(
        email=address, defaults={"locale": locale}
    )
    link = signing.dumps(
        {
            "s": subscriber.pk,
            "l": [newsletter.pk for newsletter in lists],
            "t": subscriber.token[:8],
        },
        salt=CONFIRM_SALT,
    )
    transaction.on_commit(
        lambda: send_confirmation.enqueue(subscriber.pk, link, locale.language_code)
    )
    return subscriber


def confirm(link: str) -> Subscriber:
    """Subscribe the address to the lists its confirmation link names."""
    try:
        payload = signing.loads(
            link, salt=CONFIRM_SALT, max_age=settings.DATELINE_NEWSLETTER_CONFIRM_HOURS * 3600
        )
    except signing.SignatureExpired as error:
        raise ConfirmationExpired from error
    except signing.BadSignature as error:
        raise ConfirmationInvalid from error
    subscriber = Subscriber.objects.filter(pk=payload.get("s")).first()
    if subscriber is None or not subscriber.token.startswith(str(payload.get("t"))):
        # The address was deleted (and perhaps signed up again) since the link was sent.
        raise ConfirmationInvalid
    with transaction.atomic():
        if subscriber.confirmed_at is None:
            subscriber.confirmed_at = timezone.now()
            subscriber.save(update_fields=["confirmed_at"])
        for newsletter in NewsletterList.objects.filter(pk__in=payload.get("l", []), active=True):
            Subscription.objects.get_or_create(subscriber=subscriber, newsletter=newsletter)
    return subscriber


def subscriber_for(token: str) -> Subscriber | None:
    if not token or len(token) > 64:
        return None
    return Subscriber.objects.select_related("locale").filter(token=token).first()


def unsubscribe(
    subscriber: Subscriber, newsletter: NewsletterList, edition: Edition | None = None
) -> bool:
    """Take the address off one list. False when it was not on it."""
    with transaction.atomic():
        deleted, _counts = Subscription.objects.filter(
            subscriber=subscriber, newsletter=newsletter
        ).delete()
        if deleted and edition is not None and edition.newsletter_id == newsletter.pk:
            Edition.objects.filter(pk=edition.pk).update(unsubscribed=F("unsubscribed") + 1)
    return bool(deleted)


def set_preferences(subscriber: Subscriber, locale: Locale, lists: list[NewsletterList]) -> None:
    """The subscriber's language and lists, as the preferences page submits them."""
    with transaction.atomic():
        subscriber.locale = locale
        subscriber.save(update_fields=["locale"])
        wanted = {newsletter.pk for newsletter in lists if newsletter.locale_id == locale.pk}
        Subscription.objects.filter(subscriber=subscriber).exclude(newsletter__in=wanted).delete()
        for newsletter_id in wanted:
            Subscription.objects.get_or_create(subscriber=subscriber, newsletter_id=newsletter_id)


def forget(subscriber: Subscriber) -> None:
    """Delete the address and everything kept about it: subscriptions and deliveries."""
    subscriber.delete()


def record_bounce(email: str, permanent: bool) -> None:
    """A hard bounce takes the address off every list; soft ones do after
    DATELINE_NEWSLETTER_SOFT_BOUNCES in a row."""
    subscriber = Subscriber.objects.filter(email=(email or "").strip().lower()).first()
    if subscriber is None:
        return
    with transaction.atomic():
        if permanent:
            Subscription.objects.filter(subscriber=subscriber).delete()
        else:
            Subscriber.objects.filter(pk=subscriber.pk).update(soft_bounces=F("soft_bounces") + 1)
            subscriber.refresh_from_db(fields=["soft_bounces"])
            if subscriber.soft_bounces >= settings.DATELINE_NEWSLETTER_SOFT_BOUNCES:
                Subscription.objects.filter(subscriber=subscriber).delete()


def record_complaint(email: str) -> None:
    """A reader who marked an e-mail as spam gets no more."""
    record_bounce(email, permanent=True)


def mark_bounced(message_id: str) -> None:
    if message_id:
        Delivery.objects.filter(message_id=message_id).update(
            state=Delivery.BOUNCED, updated_at=timezone.now()
        )
