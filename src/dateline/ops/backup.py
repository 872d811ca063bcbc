"""One archive holds a whole site: its database and its media, taken while the site serves.

The archive is a gzipped tar of
    manifest.json      format, Dateline version, engine, time, counts
    database.sqlite3   SQLite: a copy made with SQLite's online backup API
    database.dump      PostgreSQL: `pg_dump --format=custom`
    media/             uploaded images and documents
    keys/              the keys the embedded mode keeps in its data folder: the secret key
                       (it opens the access tokens sealed in the database and signs links
                       already sent) and the web push key (readers' alert subscriptions
                       are bound to it); keys given in the environment are the
                       operator's to keep and are not copied

The database is copied first, from one snapshot, and the manifest's counts are read in
that same snapshot; the media follow. Media files are never changed once written, so
every file the database names is already on disk when its row is copied.

Restoring needs an empty site (a fresh data folder, an empty database) unless forced."""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version as package_version
from pathlib import Path

from django.conf import settings
from django.db import connections

ARCHIVE_FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
POSTGRES_MEMBER = "database.dump"
MEDIA_MEMBER = "media"
KEYS_MEMBER = "keys"
# Written by settings.base.embedded_secret_key and webapp.push when no key is configured.
DATA_FOLDER_KEYS = ("secret_key", "vapid_private_key.pem")


class BackupError(Exception):
    """Something an operator must fix; the message says what."""


@dataclass
class Manifest:
    engine: str
    created_at: str
    counts: dict[str, int]
    version: str = field(default_factory=lambda: package_version("dateline"))
    format: int = ARCHIVE_FORMAT

    def as_json(self) -> bytes:
        return json.dumps(self.__dict__, indent=2, sort_keys=True).encode()


def engine() -> str:
    vendor = connections["default"].vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"backups support SQLite and PostgreSQL, not {vendor}")
    return vendor


def count_queries() -> dict[str, str]:
    """What the manifest counts, as SQL that runs inside the snapshot being copied."""
    from wagtail.models import Locale, Page

    from dateline.analytics.models import ArticleViewTotal
    from dateline.core.models import NewsImage
    from dateline.news.models import ArticlePage, Author

    page, locale = Page._meta.db_table, Locale._meta.db_table
    queries = {
        "pages": f"SELECT COUNT(*) FROM {page}",
        "articles": f"SELECT COUNT(*) FROM {ArticlePage._meta.db_table}",
        "authors": f"SELECT COUNT(*) FROM {Author._meta.db_table}",
        "images": f"SELECT COUNT(*) FROM {NewsImage._meta.db_table}",
        "views": f"SELECT COALESCE(SUM(views), 0) FROM {ArticleViewTotal._meta.db_table}",
    }
    for code, _name in settings.LANGUAGES:
        queries[f"articles_{code}"] = (
            f"SELECT COUNT(*) FROM {ArticlePage._meta.db_table} a "
            f"JOIN {page} p ON p.id = a.page_ptr_id "
            f"JOIN {locale} l ON l.id = p.locale_id WHERE l.language_code = '{code}'"
        )
    return queries


def read_counts(execute: Callable[[str], int]) -> dict[str, int]:
    return {name: int(execute(sql)) for name, sql in count_queries().items()}


def _flush_buffered_views() -> None:
    """Views Redis still holds go into the database first, so the archive has them."""
    from dateline.analytics.services import flush_views

    flush_views()


def _sqlite_snapshot(target: Path) -> dict[str, int]:
    source = sqlite3.connect(settings.DATABASES["default"]["NAME"], timeout=30)
    try:
        source.execute("PRAGMA busy_timeout = 30000")
        # One read transaction: the counts and the copy see the same snapshot.
        source.execute("BEGIN")
        counts = read_counts(lambda sql: source.execute(sql).fetchone()[0])
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
        source.execute("COMMIT")
    finally:
        source.close()
    return counts


def _postgres_environment() -> dict[str, str]:
    database = settings.DATABASES["default"]
    env = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if database.get(key):
            env[variable] = str(database[key])
    return env


def _run_postgres_tool(arguments: list[str]) -> None:
    if shutil.which(arguments[0]) is None:
        raise BackupError(f"{arguments[0]} is not installed (PostgreSQL's client tools)")
    result = subprocess.run(
        arguments, env=_postgres_environment(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{arguments[0]} failed: {result.stderr.strip()[-2000:]}")


def _postgres_snapshot(target: Path) -> dict[str, int]:
    import psycopg

    with psycopg.connect(**_psycopg_parameters(), autocommit=True) as connection:
        connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = connection.execute("SELECT pg_export_snapshot()").fetchone()[0]
        counts = read_counts(lambda sql: connection.execute(sql).fetchone()[0])
        # pg_dump reads the snapshot this transaction holds open.
        _run_postgres_tool(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={target}",
            ]
        )
        connection.execute("ROLLBACK")
    return counts


def _psycopg_parameters() -> dict[str, str]:
    database = settings.DATABASES["default"]
    parameters = {
        "dbname": database["NAME"],
        "host": database.get("HOST") or None,
        "port": database.get("PORT") or None,
        "user": database.get("USER") or None,
        "password": database.get("PASSWORD") or None,
    }
    return {key: value for key, value in parameters.items() if value}


def default_archive_path() -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return settings.DATA_DIR / "backups" / f"dateline-{stamp}.tar.gz"


def create_backup(path: Path | None = None) -> tuple[Path, Manifest]:
    """Write an archive of the site to `path` (or a dated file under the data folder)."""
    path = Path(path) if path else default_archive_path()
    if path.is_dir():
        raise BackupError(f"{path} is a folder; give a file name such as {path}/site.tar.gz")
    path.parent.mkdir(parents=True, exist_ok=True)
    vendor = engine()
    _flush_buffered_views()
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".dateline-backup-") as work:
        if vendor == "sqlite":
            member, database_copy = SQLITE_MEMBER, Path(work) / SQLITE_MEMBER
            counts = _sqlite_snapshot(database_copy)
        else:
            member, database_copy = POSTGRES_MEMBER, Path(work) / POSTGRES_MEMBER
            counts = _postgres_snapshot(database_copy)
        manifest = Manifest(engine=vendor, created_at=datetime.now(UTC).isoformat(), counts=counts)
        partial = Path(work) / "archive.tar.gz"
        with tarfile.open(partial, "w:gz") as archive:
            _add_bytes(archive, MANIFEST, manifest.as_json())
            archive.add(database_copy, arcname=member)
            media = Path(settings.MEDIA_ROOT)
            if media.is_dir():
                archive.add(media, arcname=MEDIA_MEMBER)
            for name in DATA_FOLDER_KEYS:
                key = Path(settings.DATA_DIR) / name
                if key.is_file():
                    archive.add(key, arcname=f"{KEYS_MEMBER}/{name}")
        # It holds the site's keys: as private as the key files themselves.
        partial.chmod(0o600)
        # The archive appears complete or not at all.
        os.replace(partial, path)
    return path, manifest


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now(UTC).timestamp())
    info.mode = 0o644
    archive.addfile(info, io.BytesIO(data))


def read_manifest(path: Path) -> Manifest:
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"no backup archive at {path}")
    try:
        with tarfile.open(path, "r:*") as archive:
            data = archive.extractfile(MANIFEST).read()
        fields = json.loads(data)
        manifest = Manifest(
            engine=fields["engine"],
            created_at=fields["created_at"],
            counts={name: int(value) for name, value in fields["counts"].items()},
            version=fields.get("version", ""),
            format=int(fields["format"]),
        )
    except (tarfile.TarError, KeyError, AttributeError, ValueError, TypeError, EOFError, OSError):
        raise BackupError(f"{path} is not a Dateline backup archive, or it is damaged") from None
    if manifest.format != ARCHIVE_FORMAT:
        raise BackupError(f"{path} has archive format {manifest.format}; this Dateline reads 1")
    return manifest


def site_is_empty() -> bool:
    """No table of ours in the database and no file in the media folder."""
    with connections["default"].cursor() as cursor:
        tables = connections["default"].introspection.table_names(cursor)
    media = Path(settings.MEDIA_ROOT)
    has_media = media.is_dir() and any(path.is_file() for path in media.rglob("*"))
    return not tables and not has_media


def restore_backup(path: Path, force: bool = False) -> Manifest:
    """Bring the site in the archive back into this data folder and database."""
    manifest = read_manifest(path)
    vendor = engine()
    if manifest.engine != vendor:
        raise BackupError(
            f"the archive holds a {manifest.engine} database; this site uses {vendor}"
        )
    if not force and not site_is_empty():
        raise BackupError(
            "this site already has a database or media; restore into a fresh data folder "
            "and an empty database, or pass --force to overwrite it"
        )
    connections["default"].close()
    target = Path(path).resolve()
    with tempfile.TemporaryDirectory(prefix=".dateline-restore-") as work:
        work = Path(work)
        try:
            with tarfile.open(target, "r:*") as archive:
                archive.extractall(work, filter="data")
        except (tarfile.TarError, EOFError, OSError) as error:
            raise BackupError(f"{target} is damaged: {error}") from None
        if vendor == "sqlite":
            _restore_sqlite(work / SQLITE_MEMBER)
        else:
            _restore_postgres(work / POSTGRES_MEMBER, force)
        _restore_media(work / MEDIA_MEMBER)
        _restore_keys(work / KEYS_MEMBER)
    restored = current_counts()
    if restored != manifest.counts:
        raise BackupError(
            f"the restored site does not match the archive's manifest: "
            f"expected {manifest.counts}, found {restored}"
        )
    _clear_local_caches()
    _retire_kept_copies()
    return manifest


def _restore_sqlite(copy: Path) -> None:
    if not copy.is_file():
        raise BackupError("the archive has no SQLite database in it")
    source = sqlite3.connect(copy)
    try:
        (verdict,) = source.execute("PRAGMA integrity_check").fetchone()
        if verdict != "ok":
            raise BackupError(f"the database in the archive is damaged: {verdict}")
        destination_path = Path(settings.DATABASES["default"]["NAME"])
        destination_path.parent.mkdir(parents=True, exist_ok=True)
        destination = sqlite3.connect(destination_path, timeout=30)
        try:
            source.backup(destination)
            destination.execute("PRAGMA journal_mode=WAL")
        finally:
            destination.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"the database in the archive cannot be read: {error}") from None
    finally:
        source.close()


def _restore_postgres(dump: Path, force: bool) -> None:
    if not dump.is_file():
        raise BackupError("the archive has no PostgreSQL dump in it")
    arguments = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error"]
    if force:
        arguments += ["--clean", "--if-exists"]
    database = settings.DATABASES["default"]["NAME"]
    _run_postgres_tool([*arguments, f"--dbname={database}", str(dump)])


def _restore_media(extracted: Path) -> None:
    if not extracted.is_dir():
        return
    shutil.copytree(extracted, Path(settings.MEDIA_ROOT), dirs_exist_ok=True)


def _restore_keys(extracted: Path) -> None:
    """The archived keys replace the ones this data folder made for itself on first start
    (nothing has been signed with those yet: the site was empty, or is overwritten)."""
    for name in DATA_FOLDER_KEYS:
        key = extracted / name
        if key.is_file():
            destination = Path(settings.DATA_DIR) / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(key.read_bytes())
            destination.chmod(0o600)


def current_counts() -> dict[str, int]:
    connection = connections["default"]

    def execute(sql: str) -> int:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchone()[0]

    return read_counts(execute)


def _retire_kept_copies() -> None:
    """Servers still running and a shared Redis keep pages, fragments, summaries and
    searches made from the site as it was, under the current generations: moving them on
    retires every copy at once, a story the restore took away included."""
    from dateline.core import fragments

    fragments.retire_fragments(structure=True, pulled=True)


def _clear_local_caches() -> None:
    """Pages cached on disk may show the site as it was; a shared Redis is left alone
    (clearing it would flush every other key in its database)."""
    from django.core.cache import caches
    from django.core.cache.backends.filebased import FileBasedCache
    from django.core.cache.backends.locmem import LocMemCache

    for alias in settings.CACHES:
        cache = caches[alias]
        if isinstance(cache, FileBasedCache | LocMemCache):
            cache.clear()
