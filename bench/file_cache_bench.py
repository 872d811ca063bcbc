"""Embedded mode's file cache: the cost of one write as its folder fills, Django's file
cache (which lists the folder before every write) against Dateline's (which lists it now
and then). Every fragment, ranked search and page-cache entry of a site without Redis is
such a write."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from common import write_section

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dateline.settings.test")

FILLED = (400, 5_000, 19_000)
MAX_ENTRIES = 20_000  # embedded mode's default cache
WRITES = 300
VALUE = "x" * 2_000  # about a rendered fragment


def _median_write_ms(backend, folder: str, filled: int) -> float:
    from dateline.core.file_cache import FileCache

    filler = FileCache(folder, {"OPTIONS": {"MAX_ENTRIES": 10**9}})
    for n in range(filled):
        filler.set(f"fill-{n}", VALUE, 3600)
    cache = backend(folder, {"OPTIONS": {"MAX_ENTRIES": MAX_ENTRIES}})
    times = []
    for n in range(WRITES):
        started = time.perf_counter()
        cache.set(f"write-{n}", VALUE, 3600)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    import django

    django.setup()
    from django.core.cache.backends.filebased import FileBasedCache

    from dateline.core.file_cache import FileCache

    lines = [
        "## The file cache of embedded mode: one write as the folder fills",
        "",
        f"Median of {WRITES} writes of a 2 kB value into a folder already holding the",
        f"number of entries shown (MAX_ENTRIES {MAX_ENTRIES:,}, embedded mode's default",
        "cache), in one process. Django's file cache lists the whole folder before each",
        "write; Dateline's lists it again only after enough writes to fill a share of the",
        "room it found.",
        "",
        "| entries in the folder | Django's file cache | Dateline's file cache | ratio |",
        "| --- | --- | --- | --- |",
    ]
    for filled in FILLED:
        row = []
        for backend in (FileBasedCache, FileCache):
            with tempfile.TemporaryDirectory() as folder:
                row.append(_median_write_ms(backend, folder, filled))
        lines.append(f"| {filled:,} | {row[0]:.2f} ms | {row[1]:.2f} ms | {row[0] / row[1]:.0f}× |")
    write_section("file-cache", "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
