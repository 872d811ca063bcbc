"""Rebuild the search index from the live articles: `dateline manage search_reindex`."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from dateline.search import index


class Command(BaseCommand):
    help = "Rebuild the full-text search index (all languages, or those given)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--language",
            action="append",
            dest="languages",
            help="Only this language code (repeatable), e.g. --language ru",
        )

    def handle(self, *args, languages=None, **options):
        known = {code for code, _name in settings.LANGUAGES}
        unknown = sorted(set(languages or []) - known)
        if unknown:
            raise CommandError(f"Unknown language(s): {', '.join(unknown)}")
        started = time.monotonic()
        count = index.rebuild(languages)
        self.stdout.write(f"Indexed {count} article(s) in {time.monotonic() - started:.1f} s.")
