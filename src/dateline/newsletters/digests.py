"""Editions made by the newsroom's clock and events: the daily digest of each language at
its time in the site's time zone, and a breaking alert when a story is marked breaking."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.utils import formats, timezone, translation

from dateline.analytics.services import most_read
from dateline.core.fragments import site_settings
from dateline.news.models import ArticlePage, HomePage, published_articles

from .models import Edition, NewsletterList

PER_SECTION = 3
MOST_READ = 5
# A digest's stories are those published since the last digest, and at most this long ago.
LONGEST_GAP = timedelta(days=3)


def newsroom_now() -> datetime:
    return timezone.now().astimezone(ZoneInfo(site_settings().time_zone))


def digest_stories(newsletter: NewsletterList, since: datetime) -> list[dict]:
    """The editor's lead, then each section's newest stories since `since`, then the most
    read of the day; a story appears once."""
    locale = newsletter.locale
    home = HomePage.objects.filter(locale=locale).first()
    picked: list[dict] = []
    seen: set[int] = set()

    def add(page: ArticlePage | None, part: str) -> None:
        if page is not None and page.pk not in seen:
            seen.add(page.pk)
            picked.append({"id": page.pk, "part": part})

    fresh = published_articles(locale).filter(first_published_at__gte=since)
    lead = home.chosen_lead() if home else None
    add(lead or fresh.first(), "lead")
    for section in home.sections() if home else []:
        for page in fresh.descendant_of(section)[:PER_SECTION]:
            add(page, "section")
    for page, _views in most_read(locale, limit=MOST_READ):
        add(page, "most_read")
    return picked


def build_digest(newsletter: NewsletterList, day: date | None = None) -> Edition | None:
    """The day's digest edition, made once (a second call returns the first); None when
    nothing was published since the last one."""
    day = day or newsroom_now().date()
    existing = Edition.objects.filter(newsletter=newsletter, day=day).first()
    if existing:
        return existing
    previous = (
        Edition.objects.filter(newsletter=newsletter, day__isnull=False).order_by("-day").first()
    )
    since = max(
        previous.created_at if previous else timezone.now() - timedelta(days=1),
        timezone.now() - LONGEST_GAP,
    )
    stories = digest_stories(newsletter, since)
    if not any(item["part"] != "most_read" for item in stories):
        return None
    with translation.override(newsletter.locale.language_code):
        subject = f"{newsletter.name}: {formats.date_format(day, 'DATE_FORMAT')}"
    try:
        with transaction.atomic():
            return Edition.objects.create(
                newsletter=newsletter, day=day, subject=subject[:200], stories=stories
            )
    except IntegrityError:  # made by another worker at the same moment
        return Edition.objects.get(newsletter=newsletter, day=day)


def due_digests(now: datetime | None = None) -> list[NewsletterList]:
    """Active digest lists with confirmed subscribers whose time of day has come in the
    site's time zone and whose digest for today has not gone out. A list's first reader,
    confirmed after its time, gets that day's digest then."""
    now = now or newsroom_now()
    due = []
    for newsletter in (
        NewsletterList.objects.filter(
            kind=NewsletterList.DIGEST,
            active=True,
            send_at__isnull=False,
            subscription__subscriber__confirmed_at__isnull=False,
        )
        .distinct()
        .select_related("locale")
    ):
        if now.time() < newsletter.send_at:
            continue
        sent = Edition.objects.filter(
            newsletter=newsletter, day=now.date(), state__in=[Edition.SENDING, Edition.SENT]
        ).exists()
        if not sent:
            due.append(newsletter)
    return due


def build_breaking_alert(story: ArticlePage) -> Edition | None:
    """The alert for a story just marked breaking, to its language's breaking list (if
    there is one); made once per story."""
    newsletter = NewsletterList.objects.filter(
        locale_id=story.locale_id, kind=NewsletterList.BREAKING, active=True
    ).first()
    if newsletter is None:
        return None
    try:
        with transaction.atomic():
            return Edition.objects.create(
                newsletter=newsletter,
                story=story,
                subject=story.title[:200],
                stories=[{"id": story.pk, "part": "breaking"}],
            )
    except IntegrityError:
        return None
