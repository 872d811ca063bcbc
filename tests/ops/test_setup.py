"""Setting up a release retires what was cached from the previous one."""

from __future__ import annotations

import io

import pytest

from dateline.core import fragments
from dateline.ops.setup import prepare_site
from dateline.pagecache.runtime import content_generation

pytestmark = pytest.mark.engine


def test_setting_up_again_retires_cached_fragments_and_pages(
    db, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.STATIC_ROOT = str(tmp_path / "static")
    fragment_generation = fragments.generation()
    page_generation = content_generation().current()

    with django_capture_on_commit_callbacks(execute=True):
        prepare_site(with_demo=False, out=io.StringIO())

    assert fragments.generation() != fragment_generation
    assert content_generation().current() != page_generation
