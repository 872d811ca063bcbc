"""The demo's wire: one drop-folder source per kind (RSS and Atom, ninjs, NewsML-G2), in
several languages, over sample files written for the demo, so Incoming has items to open
as drafts. The samples are copied into `<data dir>/wire/`, where a newsroom would drop
its own files."""

from __future__ import annotations

import shutil
from pathlib import Path

from django.conf import settings
from wagtail.models import Locale

from dateline.ingest import services as ingest
from dateline.ingest.models import Source, SourceFormat
from dateline.news.models import SectionPage

SAMPLES = Path(__file__).parent / "content" / "wire"
# (name, format, sample folder, language, section slug)
DEMO_SOURCES = [
    ("Harbour Wire", SourceFormat.FEED, "feed-en", "en", "region"),
    ("Северное агентство", SourceFormat.NINJS, "ninjs-ru", "ru", "region"),
    ("Հայլույս", SourceFormat.NEWSML, "newsml-hy", "hy", "region"),
    ("Xəbər Xətti", SourceFormat.FEED, "feed-az", "az", "region"),
]


def write_demo_sources() -> int:
    """Create the demo's sources in the site's languages and poll each once; returns
    how many items came in."""
    received = 0
    for name, kind, sample, code, section_slug in DEMO_SOURCES:
        locale = Locale.objects.filter(language_code=code).first()
        if locale is None:
            continue
        folder = settings.DATA_DIR / "wire" / sample
        folder.mkdir(parents=True, exist_ok=True)
        for path in (SAMPLES / sample).iterdir():
            shutil.copyfile(path, folder / path.name)
        source, _ = Source.objects.update_or_create(
            name=name,
            defaults={
                "format": kind,
                "folder": str(folder),
                "url": "",
                "locale": locale,
                "section": SectionPage.objects.filter(locale=locale, slug=section_slug).first(),
                "every_minutes": 60,
            },
        )
        received += len(ingest.poll(source).new)
    return received
