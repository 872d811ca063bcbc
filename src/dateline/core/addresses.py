"""Public addresses, computed without a query per page.

A page's address comes from its `url_path`, the same way Wagtail's routing resolves it
under `i18n_patterns`: `/<lang>/<path below the language's home page>`, so thousands of
addresses cost no more than the one query that read their paths."""

from __future__ import annotations

from django.conf import settings


def absolute(path: str) -> str:
    """The public address of a path, from DATELINE_BASE_URL."""
    return settings.DATELINE_BASE_URL.rstrip("/") + path


def page_path(url_path: str, language: str) -> str:
    """`/home/world/story/` in Russian is `/ru/world/story/`: the first segment is the
    language's home page, which i18n_patterns replaces by the language prefix."""
    below_home = url_path.strip("/").split("/")[1:]
    return f"/{language}/" + "".join(f"{segment}/" for segment in below_home)
