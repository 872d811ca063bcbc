"""The ingest desk's writes: polling a source into Incoming, opening an item as a draft
story, ignoring it, importing a web page, and forgetting old items. The admin, the
command line and the background tasks all come here."""

from __future__ import annotations

import hashlib
import io
import logging
import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.images import ImageFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.models import Locale
from wagtail.rich_text import RichText

from dateline.core.models import NewsImage
from dateline.core.retries import backoff
from dateline.news import services as news
from dateline.news.models import ArticlePage, Author, SectionPage

from .fetching import FetchError, fetch, folder_files, read_file
from .formats import FormatError, WireItem, extract_page, parse_feed, parse_newsml, parse_ninjs
from .formats import plain as plain_text
from .models import IncomingItem, ItemState, Source, SourceFormat

logger = logging.getLogger("dateline.ingest")

PARSERS = {
    SourceFormat.FEED: parse_feed,
    SourceFormat.NINJS: parse_ninjs,
    SourceFormat.NEWSML: parse_newsml,
}
# Longest wait between polls of a source that keeps failing.
MAX_BACKOFF_SECONDS = 6 * 3600
PICTURE_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}


class IngestError(Exception):
    """An import that cannot be done, with the reason for the editor."""


@dataclass
class PollResult:
    new: list[IncomingItem] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    not_modified: bool = False
    error: str = ""


# --- Polling ---------------------------------------------------------------------------


def due_sources() -> list[Source]:
    now = timezone.now()
    return list(
        Source.objects.filter(enabled=True).filter(
            Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now)
        )
    )


def claim(source: Source) -> bool:
    """Move a due source's next poll ahead before queueing it, so two enqueuers or a
    second tick do not queue it twice. False when it was no longer due."""
    now = timezone.now()
    return bool(
        Source.objects.filter(pk=source.pk)
        .filter(Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now))
        .update(next_poll_at=now + timedelta(minutes=source.every_minutes))
    )


def poll(source: Source) -> PollResult:
    """Read the source once and take what is new. Whatever goes wrong ends as the source's
    last error (and a later next poll), never as an exception: a bad feed must not stop
    the worker or the other sources."""
    now = timezone.now()
    result = PollResult()
    try:
        documents = _read(source, result)
        for name, data in documents:
            try:
                items = PARSERS[source.format](data)
            except FormatError as error:
                if not name:
                    raise
                # One bad file in a drop folder does not hold up the others.
                result.skipped.append(f"{name}: {error}")
                continue
            for item in not_yet_taken(items):
                _take(source, item, result)
    except (FetchError, FormatError) as error:
        result.error = str(error)
    except Exception as error:  # noqa: BLE001 - recorded on the source, and logged in full
        logger.exception("polling %s failed", source)
        result.error = f"unexpected failure: {type(error).__name__}: {error}"[:1000]
    _record(source, now, result)
    return result


def _read(source: Source, result: PollResult) -> list[tuple[str, bytes]]:
    if source.folder:
        documents = []
        for path in folder_files(source.folder):
            try:
                documents.append((path.name, read_file(path)))
            except (FetchError, OSError) as error:
                result.skipped.append(f"{path.name}: {error}")
        return documents
    fetched = fetch(source.url, etag=source.etag, last_modified=source.last_modified)
    if fetched.not_modified:
        result.not_modified = True
        return []
    source.etag, source.last_modified = fetched.etag, fetched.last_modified
    return [("", fetched.body)]


def _record(source: Source, when, result: PollResult) -> None:
    source.last_polled_at = when
    if result.error:
        source.failures += 1
        source.last_error = result.error[:2000]
        source.last_error_at = when
        wait = backoff(source.failures, source.every_minutes * 60, MAX_BACKOFF_SECONDS)
        source.next_poll_at = when + timedelta(seconds=max(wait, source.every_minutes * 60))
        # A failed read must not be remembered as "unchanged" next time.
        source.etag = source.last_modified = ""
        logger.warning("source %s: %s", source, result.error)
    else:
        source.failures = 0
        source.last_success_at = when
        source.next_poll_at = when + timedelta(minutes=source.every_minutes)
        if result.skipped:
            source.last_error = "; ".join(result.skipped)[:2000]
            source.last_error_at = when
    Source.objects.filter(pk=source.pk).update(
        last_polled_at=source.last_polled_at,
        last_success_at=source.last_success_at,
        last_error=source.last_error,
        last_error_at=source.last_error_at,
        failures=source.failures,
        next_poll_at=source.next_poll_at,
        etag=source.etag,
        last_modified=source.last_modified,
    )


def content_hash(headline: str, body_html: str) -> str:
    text = f"{plain_text(headline)}\n{plain_text(body_html)}".lower()
    return hashlib.sha256(re.sub(r"\W+", " ", text).strip().encode()).hexdigest()


def find_duplicate(item: WireItem, digest: str) -> IncomingItem | None:
    """The same story already taken, from this source or any other."""
    match = Q(content_hash=digest)
    if item.guid:
        match |= Q(guid=item.guid[:500])
    if item.url:
        match |= Q(url=item.url[:1000])
    return IncomingItem.objects.filter(match).first()


# Keys looked up per query when a feed's items are checked against those taken before.
KEYS_PER_QUERY = 300


def not_yet_taken(items: list[WireItem]) -> list[WireItem]:
    """The items no source has brought before, found with a few queries for the whole
    feed rather than a few per item: most polls of a busy feed bring little that is new."""
    guids = {item.guid[:500] for item in items if item.guid}
    urls = {item.url[:1000] for item in items if item.url}
    hashes = {content_hash(item.headline, item.body_html) for item in items}
    known: set[str] = set()
    for key, values in (("guid", guids), ("url", urls), ("content_hash", hashes)):
        values = sorted(values)
        for start in range(0, len(values), KEYS_PER_QUERY):
            chunk = values[start : start + KEYS_PER_QUERY]
            known.update(
                IncomingItem.objects.filter(**{f"{key}__in": chunk}).values_list(key, flat=True)
            )
    return [
        item
        for item in items
        if not (
            (item.guid and item.guid[:500] in known)
            or (item.url and item.url[:1000] in known)
            or content_hash(item.headline, item.body_html) in known
        )
    ]


def _take(source: Source, item: WireItem, result: PollResult) -> None:
    label = item.headline[:80]
    if item.language and item.language != source.locale.language_code.split("-")[0]:
        result.skipped.append(
            f"“{label}” is in {item.language!r}, not the source's {source.locale.language_code!r}"
        )
        return
    taken = intake(item, source=source, locale=source.locale, section=source.section)
    if taken is None:
        return
    result.new.append(taken)
    if source.makes_drafts:
        try:
            open_as_draft(taken)
        except IngestError as error:
            result.skipped.append(f"“{label}”: {error}")


def intake(
    item: WireItem,
    *,
    source: Source | None,
    locale: Locale,
    section: SectionPage | None,
    source_name: str = "",
) -> IncomingItem | None:
    """Keep `item` in Incoming unless the same story is there already (None then)."""
    if not item.headline:
        return None
    digest = content_hash(item.headline, item.body_html)
    with transaction.atomic():
        if find_duplicate(item, digest):
            return None
        return IncomingItem.objects.create(
            source=source,
            source_name=(source_name or (source.name if source else ""))[:255],
            locale=locale,
            section=section,
            guid=item.guid[:500],
            url=item.url[:1000] if item.url.startswith(("http://", "https://")) else "",
            content_hash=digest,
            headline=item.headline[:255],
            summary=item.summary[:2000],
            body_html=item.body_html,
            byline=item.byline[:255],
            published_at=item.published_at,
            picture_url=item.picture_url[:1000] if item.picture_url.startswith("http") else "",
            picture_credit=item.picture_credit[:255],
            picture_caption=item.picture_caption[:300],
        )


# --- Drafts -----------------------------------------------------------------------------


def default_section(locale: Locale) -> SectionPage | None:
    return SectionPage.objects.filter(locale=locale).order_by("path").first()


def body_blocks(html: str, fallback: str) -> list[tuple[str, object]]:
    """The cleaned body as the story's blocks: subheadings apart, the rest as text."""
    blocks: list[tuple[str, object]] = []
    for part in re.split(r"(<h[23][^>]*>.*?</h[23]>)", html, flags=re.S):
        if re.match(r"<h[23]", part):
            heading = plain_text(part)[:120]
            if heading:
                blocks.append(("heading", heading))
        elif plain_text(part):
            blocks.append(("paragraph", RichText(part.strip())))
    if not blocks:
        blocks.append(("paragraph", RichText(news.text_to_rich_text([fallback]))))
    return blocks


def _authors(item: IncomingItem) -> list[Author]:
    names = [name.strip() for name in re.split(r",| and ", item.byline) if name.strip()]
    return list(Author.objects.filter(locale=item.locale, name__in=names)) if names else []


def _source_attribution(item: IncomingItem, authors: list[Author]) -> str:
    if item.byline and not authors:
        return f"{item.byline}, {item.source_name}"[:255]
    return item.source_name[:255]


def download_picture(item: IncomingItem) -> NewsImage:
    """The item's picture in the image library, with its credit; refused unless it is a
    picture Pillow can read, within the library's size and pixel limits."""
    from PIL import Image, UnidentifiedImageError

    try:
        fetched = fetch(item.picture_url, max_bytes=settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE)
    except FetchError as error:
        raise IngestError(f"the picture could not be read: {error}") from None
    try:
        with Image.open(io.BytesIO(fetched.body)) as picture:
            kind = picture.format
            width, height = picture.size
            picture.verify()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise IngestError("the picture is not a picture Dateline can read") from None
    if kind not in PICTURE_FORMATS:
        raise IngestError(f"the picture's format {kind} is not taken")
    if width * height > settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS:
        raise IngestError("the picture has more pixels than the library takes")
    name = Path(urlsplit(item.picture_url).path).name or "picture"
    name = re.sub(r"[^\w.-]", "-", name)[-80:]
    if "." not in name:
        name = f"{name}.{kind.lower()}"
    image = NewsImage(
        title=(item.picture_caption or item.headline)[:255], credit=item.picture_credit[:255]
    )
    image.file.save(name, ImageFile(io.BytesIO(fetched.body), name=name), save=False)
    image.save()
    return image


def open_as_draft(
    item: IncomingItem, *, user=None, section: SectionPage | None = None
) -> ArticlePage:
    """A draft story made of `item`, in its language and section, or the draft made
    before. A picture that cannot be taken leaves the draft without it, and says why on
    the item; nothing else is kept of a draft that could not be made."""
    with transaction.atomic():
        item = IncomingItem.objects.select_for_update().get(pk=item.pk)
        if item.story_id:
            return item.story
        section = section or item.section or default_section(item.locale)
        if section is None or section.locale_id != item.locale_id:
            raise IngestError("there is no section in the item's language to make the draft in")
        note = ""
        lead_image = None
        if item.picture_url:
            try:
                lead_image = download_picture(item)
            except IngestError as error:
                note = f"picture left out: {error}"
                logger.warning("incoming item %s: %s", item.pk, note)
        authors = _authors(item)
        standfirst = item.summary or plain_text(item.body_html)
        if len(standfirst) > 500:
            standfirst = standfirst[:499].rsplit(" ", 1)[0] + "…"
        try:
            story = news.create_article(
                section,
                title=item.headline[:255],
                standfirst=standfirst,
                body=body_blocks(item.body_html, item.summary or item.headline),
                authors=authors,
                source=_source_attribution(item, authors),
                source_url=item.url,
                source_published_at=item.published_at,
                lead_image=lead_image,
                lead_image_caption=item.picture_caption[:300] if lead_image else "",
                publish_now=False,
                user=user,
            )
        except Exception:
            # The rows roll back with the transaction; the picture's file would not.
            if lead_image is not None:
                lead_image.file.delete(save=False)
            raise
        item.state = ItemState.USED
        item.story = story
        item.note = note
        item.save(update_fields=["state", "story", "note"])
    return story


def ignore(item: IncomingItem) -> None:
    IncomingItem.objects.filter(pk=item.pk, state=ItemState.NEW).update(state=ItemState.IGNORED)


def import_page(
    url: str, *, locale: Locale, section: SectionPage | None = None, user=None
) -> ArticlePage:
    """One web page as a draft story (the "Import a web page" action and `dateline ingest
    url`)."""
    try:
        fetched = fetch(url)
        item = extract_page(fetched.body, fetched.url or url)
    except (FetchError, FormatError) as error:
        raise IngestError(str(error)) from None
    wanted = locale.language_code.split("-")[0]
    if item.language and item.language != wanted:
        raise IngestError(f"the page is in {item.language!r}, not {wanted!r}")
    host = urlsplit(fetched.url or url).hostname or url
    digest = content_hash(item.headline, item.body_html)
    existing = find_duplicate(item, digest)
    if existing is not None:
        if existing.story_id:
            raise IngestError(f"this page was imported already: “{existing.story.title}”")
        taken = existing
    else:
        taken = intake(item, source=None, locale=locale, section=section, source_name=host)
    return open_as_draft(taken, user=user, section=section)


# How long an expired item's keys are kept, as a multiple of the keeping time.
FORGET_KEYS_AFTER = 6


def forget_old_items() -> int:
    """Items nobody used expire after DATELINE_INGEST_KEEP_DAYS: their text is dropped and
    they leave Incoming, but their keys stay (FORGET_KEYS_AFTER times as long) so that a
    feed still carrying them does not bring them back. Returns how many expired."""
    keep = timedelta(days=settings.DATELINE_INGEST_KEEP_DAYS)
    now = timezone.now()
    expired = (
        IncomingItem.objects.filter(received_at__lt=now - keep)
        .filter(state__in=[ItemState.NEW, ItemState.IGNORED])
        .update(state=ItemState.EXPIRED, summary="", body_html="", picture_url="", note="")
    )
    IncomingItem.objects.filter(
        state=ItemState.EXPIRED, received_at__lt=now - keep * FORGET_KEYS_AFTER
    ).delete()
    return expired
