"""Static files under names that change with their content, compressed ahead of time."""

from __future__ import annotations

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage

# Names come from templates, so there are few; the cap only bounds a mistake.
MAX_REMEMBERED_URLS = 1000


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
