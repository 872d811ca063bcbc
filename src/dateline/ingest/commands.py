"""What `dateline ingest url` and `dateline ingest poll` do, worded for a terminal."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from wagtail.models import Locale

from dateline.news.models import SectionPage

from . import services
from .models import Source


class ImportRefused(Exception):
    """Bad input on the command line, or an import that could not be done."""


def import_url(url: str, *, section_slug: str | None, language: str | None) -> str:
    """Import the page at `url` as a draft; returns the draft's address in the admin."""
    code = language or settings.LANGUAGE_CODE
    locale = Locale.objects.filter(language_code=code).first()
    if locale is None:
        codes = ", ".join(Locale.objects.values_list("language_code", flat=True))
        raise ImportRefused(f"no site language {code!r} (the site has {codes})")
    if section_slug:
        section = SectionPage.objects.filter(locale=locale, slug=section_slug).first()
        if section is None:
            raise ImportRefused(f"no section {section_slug!r} in {code!r}")
    else:
        section = services.default_section(locale)
    if section is None:
        raise ImportRefused(f"the site has no section in {code!r} to put the draft in")
    try:
        story = services.import_page(url, locale=locale, section=section)
    except services.IngestError as error:
        raise ImportRefused(str(error)) from None
    return f"{settings.WAGTAILADMIN_BASE_URL}{reverse('wagtailadmin_pages:edit', args=[story.pk])}"


def poll_now(name: str | None) -> tuple[list[str], bool]:
    """Poll the named source (a name or a number), or every source that is on. Returns a
    line per source and whether any failed."""
    sources = Source.objects.select_related("locale", "section")
    if name:
        chosen = list(sources.filter(pk=int(name)) if name.isdigit() else sources.filter(name=name))
        if not chosen:
            raise ImportRefused(f"no wire source {name!r}")
    else:
        chosen = list(sources.filter(enabled=True))
        if not chosen:
            raise ImportRefused("no wire source is on; add one under Settings → Wire sources")
    lines, failed = [], False
    for source in chosen:
        result = services.poll(source)
        if result.error:
            failed = True
            lines.append(f"{source.name}: failed: {result.error}")
            continue
        line = f"{source.name}: {len(result.new)} new"
        if result.not_modified:
            line += " (unchanged since the last poll)"
        lines.extend([line, *(f"  skipped {reason}" for reason in result.skipped)])
    return lines, failed
