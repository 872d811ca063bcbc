"""Static file addresses carry the hash of the file's content, looked up once per process."""

from __future__ import annotations

import json

import pytest

from dateline.core.staticfiles import ManifestStaticFiles


@pytest.fixture
def storage(tmp_path, settings):
    settings.DEBUG = False
    (tmp_path / "staticfiles.json").write_text(
        json.dumps({"version": "1.1", "hash": "x", "paths": {"site.css": "site.0123abcd.css"}})
    )
    return ManifestStaticFiles(location=tmp_path, base_url="/static/")


def test_a_file_is_addressed_by_its_hashed_name_every_time(storage):
    assert storage.url("site.css") == "/static/site.0123abcd.css"
    storage.hashed_files.clear()  # what is already known no longer needs the manifest
    assert storage.url("site.css") == "/static/site.0123abcd.css"


def test_a_file_missing_from_the_manifest_is_an_error_each_time_it_is_asked_for(storage):
    for _ in range(2):
        with pytest.raises(ValueError, match="missing.css"):
            storage.url("missing.css")


def test_while_developing_files_keep_their_own_names(storage, settings):
    settings.DEBUG = True
    assert storage.url("site.css") == "/static/site.css"
