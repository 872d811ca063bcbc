"""Static file addresses carry the hash of the file's content, looked up once per process;
`dateline setup` compresses only the files that changed since it last ran."""

from __future__ import annotations

import gzip
import json
import os

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


def compressed_now(storage, name: str) -> list[str]:
    return sorted(copy for _, copy in storage.compress_files([name]))


def test_only_a_changed_file_is_compressed_again(tmp_path):
    storage = ManifestStaticFiles(location=tmp_path, base_url="/static/")
    script = tmp_path / "app.js"
    script.write_text("const edition = 'morning';\n" * 100)
    assert "app.js.gz" in compressed_now(storage, "app.js")
    assert compressed_now(storage, "app.js") == []

    script.write_text("const edition = 'evening';\n" * 100)
    later = script.stat().st_mtime + 5
    os.utime(script, (later, later))
    assert "app.js.gz" in compressed_now(storage, "app.js")
    assert gzip.decompress((tmp_path / "app.js.gz").read_bytes()) == script.read_bytes()


def test_a_hashed_file_written_again_keeps_its_compressed_copies(tmp_path):
    storage = ManifestStaticFiles(location=tmp_path, base_url="/static/")
    storage.hashed_files = {"app.js": "app.0123abcd.js"}
    hashed = tmp_path / "app.0123abcd.js"
    hashed.write_text("const edition = 'morning';\n" * 100)
    assert "app.0123abcd.js.gz" in compressed_now(storage, "app.0123abcd.js")
    later = hashed.stat().st_mtime + 5  # post-processing writes such files on every run
    os.utime(hashed, (later, later))
    assert compressed_now(storage, "app.0123abcd.js") == []


def test_a_file_whose_compressed_copy_went_missing_is_compressed_again(tmp_path):
    storage = ManifestStaticFiles(location=tmp_path, base_url="/static/")
    (tmp_path / "app.css").write_text("body { margin: 0 }\n" * 100)
    compressed_now(storage, "app.css")
    (tmp_path / "app.css.gz").unlink()
    assert "app.css.gz" in compressed_now(storage, "app.css")
