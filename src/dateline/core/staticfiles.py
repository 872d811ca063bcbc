"""Static files under names that change with their content, compressed ahead of time."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

from django.conf import settings
from whitenoise.compress import brotli_installed
from whitenoise.storage import CompressedManifestStaticFilesStorage

# Names come from templates, so there are few; the cap only bounds a mistake.
MAX_REMEMBERED_URLS = 1000
# What the compressor writes beside a file that compresses well.
COMPRESSED_SUFFIXES = (".br", ".gz") if brotli_installed else (".gz",)
# The compressor gives its copies the file's own modification time (as a float, so the
# copy's may differ from the file's in the last microsecond).
SAME_TIME_SECONDS = 0.001


class ManifestStaticFiles(CompressedManifestStaticFilesStorage):
    """Remembers each file's hashed address: the manifest is read once at start and does
    not change while the process runs, and each page asks for several addresses, each
    looked up through the manifest, path normalising and quoting."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name: str, force: bool = False) -> str:
        if force or settings.DEBUG:  # unhashed addresses while developing
            return super().url(name, force)
        try:
            return self._urls[name]
        except KeyError:
            pass
        address = super().url(name)
        if len(self._urls) < MAX_REMEMBERED_URLS:
            self._urls[name] = address
        return address

    def compress_files(self, paths: Iterable[str]) -> Iterator[tuple[str, str]]:
        """Compresses only the files whose compressed copies are missing or were made from
        another version of the file: a release changes few of the static files, and
        compressing every one of them again took some twenty seconds of each
        `dateline setup`."""
        # A hashed name is its content's: the files that post-processing writes again each
        # time (scripts and styles that name others) keep their compressed copies.
        hashed = set(self.hashed_files.values())
        return super().compress_files(
            path for path in paths if not self._compressed(path, path in hashed)
        )

    def _compressed(self, name: str, hashed: bool) -> bool:
        path = self.path(name)
        try:
            modified = os.stat(path).st_mtime
            copies = [os.stat(path + suffix).st_mtime for suffix in COMPRESSED_SUFFIXES]
        except OSError:
            return False
        return hashed or all(abs(copy - modified) < SAME_TIME_SECONDS for copy in copies)
