"""`dateline backup` and `dateline restore` bring a whole site back: every story in every
language, every picture, every view, on SQLite and on PostgreSQL. A backup taken while a
server counts views is consistent."""

from __future__ import annotations

import io
import json
import subprocess
import tarfile
import threading
import urllib.request

import pytest

from tests.live_site import DATELINE, collected_static

from .conftest import VIEWS, beacon, inventory, new_site

pytestmark = pytest.mark.live


@pytest.fixture(scope="module")
def archive(populated, tmp_path_factory):
    path = tmp_path_factory.mktemp("archives") / "site.tar.gz"
    out = populated.run("backup", str(path))
    assert f"Backed up to {path}" in out
    return path


def test_the_archive_holds_a_manifest_the_database_and_the_media(archive, populated, engine):
    with tarfile.open(archive) as opened:
        names = opened.getnames()
        manifest = json.load(opened.extractfile("manifest.json"))
    assert manifest["engine"] == ("postgresql" if engine == "postgres" else "sqlite")
    assert manifest["format"] == 1 and manifest["version"] and manifest["created_at"]
    assert ("database.dump" if engine == "postgres" else "database.sqlite3") in names
    assert any(name.startswith("media/original_images/") for name in names)
    counts = manifest["counts"]
    assert counts["views"] == populated.views_before + sum(range(1, 13))
    assert counts["articles"] == sum(
        counts[f"articles_{code}"] for code in ["en", "ru", "hy", "az"]
    )
    assert counts["images"] > 0


def test_the_archive_keeps_the_data_folders_keys_and_only_its_owner_may_read_it(archive, populated):
    with tarfile.open(archive) as opened:
        keys = {
            name: opened.extractfile(name).read()
            for name in opened.getnames()
            if name.startswith("keys/")
        }
    assert keys == {
        "keys/secret_key": (populated.data_dir / "secret_key").read_bytes(),
        "keys/vapid_private_key.pem": (populated.data_dir / "vapid_private_key.pem").read_bytes(),
    }
    assert archive.stat().st_mode & 0o777 == 0o600


def test_a_restored_site_is_the_same_site(populated, archive, engine, tmp_path_factory):
    restored = new_site(engine, tmp_path_factory, "restored")
    out = restored.run("restore", str(archive))
    assert "Restored the site" in out
    original = inventory(populated)
    assert original["articles"] and original["images"]
    assert {row[0] for row in original["articles"]} == {"en", "ru", "hy", "az"}
    assert inventory(restored) == original
    # Links signed in e-mails already sent, and readers' alert subscriptions, still work.
    for key in ("secret_key", "vapid_private_key.pem"):
        assert (restored.data_dir / key).read_bytes() == (populated.data_dir / key).read_bytes()
        assert (restored.data_dir / key).stat().st_mode & 0o777 == 0o600

    # and it serves, once setup has collected the static files of the new machine (copied
    # here from another site of the run: collecting them from nothing is the demo's to test)
    collected_static(restored.data_dir, tmp_path_factory)
    restored.run("setup")
    restored.start()
    try:
        with urllib.request.urlopen(f"{restored.base_url}/readyz", timeout=30) as ready:
            assert ready.status == 200
        with urllib.request.urlopen(f"{restored.base_url}/hy/", timeout=30) as home:
            assert home.status == 200
    finally:
        restored.stop()


def test_restore_refuses_to_overwrite_a_site_without_force(populated, archive):
    result = subprocess.run(
        [DATELINE, "restore", str(archive)], env=populated.env, capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "--force" in result.stderr
    assert "Traceback" not in result.stderr


def generation(site) -> int:
    printed = site.shell("from dateline.core import fragments; print(fragments.generation())")
    return int(printed.strip().splitlines()[-1])


def test_restore_with_force_overwrites_a_changed_site(engine, archive, tmp_path_factory):
    site = new_site(engine, tmp_path_factory, "forced")
    site.run("restore", str(archive))
    before = inventory(site)
    site.shell(
        "from dateline.news.models import ArticlePage\n"
        "ArticlePage.objects.filter(pk=ArticlePage.objects.first().pk)"
        ".update(title='Changed after the backup')"
    )
    kept_under = generation(site)
    site.run("restore", "--force", str(archive))
    assert inventory(site) == before
    # Copies kept by running servers or in a shared cache show the site as it was.
    assert generation(site) > kept_under


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "no backup archive"),
        (b"not an archive at all", "not a Dateline backup archive"),
        (b"\x1f\x8b\x08\x00truncated gzip", "not a Dateline backup archive"),
    ],
)
def test_a_missing_or_damaged_archive_gets_a_clear_error(
    engine, tmp_path_factory, content, message
):
    site = new_site(engine, tmp_path_factory, "damaged")
    path = tmp_path_factory.mktemp("bad") / "site.tar.gz"
    if content is not None:
        path.write_bytes(content)
    result = subprocess.run(
        [DATELINE, "restore", str(path)], env=site.env, capture_output=True, text=True
    )
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_an_archive_with_a_damaged_database_is_refused(engine, archive, tmp_path_factory):
    if engine != "sqlite":
        pytest.skip("the SQLite copy is checked page by page")
    damaged = tmp_path_factory.mktemp("damaged-db") / "site.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member) if member.isfile() else None
            if member.name == "database.sqlite3":
                raw = bytearray(data.read())
                raw[len(raw) // 2 : len(raw) // 2 + 8192] = b"\xff" * 8192
                member.size = len(raw)
                data = io.BytesIO(bytes(raw))
            target.addfile(member, data)
    site = new_site(engine, tmp_path_factory, "damaged-db-site")
    result = subprocess.run(
        [DATELINE, "restore", str(damaged)], env=site.env, capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "damaged" in result.stderr or "cannot be read" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_backup_taken_while_views_pour_in_is_consistent(populated, engine, tmp_path_factory):
    stop = threading.Event()
    sent = []

    def count_views():
        n = 0
        while not stop.is_set():
            n += 1
            article = populated.articles[n % len(populated.articles)]
            beacon(populated, article, f"203.0.{n // 250}.{n % 250}")
            sent.append(n)

    threads = [threading.Thread(target=count_views) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        path = tmp_path_factory.mktemp("busy") / "busy.tar.gz"
        populated.run("backup", str(path))
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert len(sent) > 10  # views really were being counted during the backup
    with tarfile.open(path) as opened:
        manifest = json.load(opened.extractfile("manifest.json"))
    restored = new_site(engine, tmp_path_factory, "busy-restored")
    restored.run("restore", str(path))  # restore checks its counts against the manifest
    views = int(restored.shell(VIEWS).strip().splitlines()[-1])
    assert views == manifest["counts"]["views"]
    counted_before = populated.views_before + sum(range(1, 13))
    assert counted_before <= views <= counted_before + len(sent)
