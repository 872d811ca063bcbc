"""The file cache of embedded mode (one folder that every server process shares), culled
without listing its folder on every write.

Django's file cache lists every file of its folder before each write, to learn whether
it holds `MAX_ENTRIES`: a cost that grows with the folder. With a few hundred cached
fragments and searches that listing was a third of a search page asked for the first
time, and a full folder (20,000 entries) costs tens of milliseconds a write. Here the
folder is listed again only after enough writes of this process to fill a share of the
room the last listing found; a full folder is still culled as Django culls it (a third
of its entries, chosen at random)."""

from __future__ import annotations

import random
import threading
from typing import Any

from django.core.cache.backends.filebased import FileBasedCache

# The number of processes assumed to write at once: each may fill this share of the room
# left before the folder is listed again, so together they reach MAX_ENTRIES at most.
WRITERS_SHARE = 8


class FileCache(FileBasedCache):
    def __init__(self, dir: str, params: dict[str, Any]) -> None:
        super().__init__(dir, params)
        self._writes_before_listing = 0
        self._count_lock = threading.Lock()

    def _cull(self) -> None:
        with self._count_lock:
            if self._writes_before_listing > 0:
                self._writes_before_listing -= 1
                return
        files = self._list_cache_files()
        entries = len(files)
        if entries >= self._max_entries:
            if self._cull_frequency == 0:
                self.clear()
                entries = 0
            else:
                culled = random.sample(files, int(entries / self._cull_frequency))
                for name in culled:
                    self._delete(name)
                entries -= len(culled)
        with self._count_lock:
            self._writes_before_listing = max(0, self._max_entries - entries) // WRITERS_SHARE
