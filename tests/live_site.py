"""A real Dateline site in subprocesses, with a data folder (and database) of its own:
for tests that need real server processes without touching the shared test database.

Tests that use these start processes of their own and are marked `live` (see
tests/conftest.py). Such a site ignores the suite's DATABASE_URL and REDIS_URL: a test that
depends on the engine takes it as a parameter and passes it here.

The demo newsroom takes most of a minute to build, so `demo_site()` builds it once per run
and engine (shared by every xdist worker) and gives each test a copy."""

from __future__ import annotations

import fcntl
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

DATELINE = str(Path(sys.executable).with_name("dateline"))
POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"
# A database of its own for each pytest process: the background queue's keys carry no
# site prefix, so a worker started by one test would take jobs queued by the live sites of
# tests running at the same time in another process (databases 9 to 13 and 15 are other
# tests').
REDIS_SERVER = "redis://127.0.0.1:6379/" + str(
    {"gw0": 5, "gw1": 6, "gw2": 7, "gw3": 8}.get(os.environ.get("PYTEST_XDIST_WORKER", ""), 4)
)
# Set by the first pytest process of a run (tests/conftest.py) and inherited by its
# workers: every PostgreSQL database a test creates carries it, and the run drops them all.
RUN_VARIABLE = "DATELINE_TEST_RUN"
DATABASE_PREFIX = "dateline_t_"


def child_env(**extra: str) -> dict[str, str]:
    """The environment of a `dateline` child process: none of the suite's own settings
    (test settings module, data folder, database, Redis, DATELINE_* overrides, xdist's
    worker name) leaks into it."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATELINE_", "PYTEST_XDIST_"))
        and key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    # Keys of its own in a shared Redis, apart from other tests' and other runs' sites.
    env["DATELINE_CACHE_PREFIX"] = f"dateline-live-{uuid.uuid4().hex[:8]}"
    env.update(extra)
    return env


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveSite:
    def __init__(self, data_dir: Path, database_url: str = "", redis_url: str = "", **env) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.data_dir = data_dir
        self.env = child_env(
            DATELINE_DATA_DIR=str(data_dir),
            DATELINE_BASE_URL=self.base_url,
            PYTHONUNBUFFERED="1",
            **env,
        )
        if database_url:
            self.env["DATABASE_URL"] = database_url
        if redis_url:
            self.env["REDIS_URL"] = redis_url
        self.log = data_dir / "server.log"
        self.server: subprocess.Popen | None = None

    def run(self, *args: str, timeout: int = 300) -> str:
        result = subprocess.run(
            [DATELINE, *args], env=self.env, capture_output=True, text=True, timeout=timeout
        )
        if result.returncode != 0:
            raise AssertionError(f"dateline {' '.join(args)} failed:\n{result.stderr[-4000:]}")
        return result.stdout

    def shell(self, code: str) -> str:
        return self.run("manage", "shell", "--no-imports", "-c", code)

    def start(self, *serve_args: str) -> None:
        self.server = subprocess.Popen(
            [DATELINE, "serve", "--port", str(self.port), "--no-scheduler", *serve_args],
            env=self.env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                break
            try:
                # The process is up, even when its database is not (failure tests).
                urllib.request.urlopen(f"{self.base_url}/healthz", timeout=2)
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.3)
        self.stop()
        raise AssertionError(f"the server did not start:\n{self.log.read_text()[-4000:]}")

    def stop(self) -> None:
        if self.server is not None and self.server.poll() is None:
            self.server.terminate()
            try:
                self.server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.server.kill()
        self.server = None


def postgres_and_redis() -> tuple[str, str] | None:
    """The machine's PostgreSQL server address and Redis URL, if both answer."""
    import psycopg
    import redis

    try:
        with psycopg.connect(f"{POSTGRES_SERVER}/postgres", connect_timeout=2):
            pass
        redis.Redis.from_url(REDIS_SERVER, socket_connect_timeout=2).ping()
    except (psycopg.Error, redis.exceptions.RedisError):
        return None
    return POSTGRES_SERVER, REDIS_SERVER


@dataclass(frozen=True)
class Engine:
    """The engines a live site runs on: "sqlite" (and a file cache), or "postgres+redis"."""

    name: str

    def __str__(self) -> str:
        return self.name

    @property
    def on_postgres(self) -> bool:
        return self.name != "sqlite"

    @property
    def redis_url(self) -> str:
        return REDIS_SERVER if self.on_postgres else ""

    def new_database_url(self) -> str:
        """A new empty database for a site on this engine ("" for SQLite: its own file)."""
        return f"{POSTGRES_SERVER}/{create_database()}" if self.on_postgres else ""

    def require(self) -> None:
        """Skip on a developer's machine without PostgreSQL and Redis; fail on CI."""
        if self.on_postgres and postgres_and_redis() is None:
            if os.environ.get("CI") == "true":
                pytest.fail("PostgreSQL or Redis is not answering on 127.0.0.1")
            pytest.skip("PostgreSQL and Redis are not running here")


ENGINES = [Engine("sqlite"), Engine("postgres+redis")]


def create_database(server: str = POSTGRES_SERVER, template: str = "") -> str:
    """A new PostgreSQL database of its own, empty or a copy of `template`; returns its
    name. Whatever happens to the test, the run drops it at its end."""
    import psycopg

    name = f"{DATABASE_PREFIX}{os.environ.get(RUN_VARIABLE, 'norun')}_{uuid.uuid4().hex[:10]}"
    copy = f' TEMPLATE "{template}"' if template else ""
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"{copy}')
    return name


def drop_run_databases(run: str, server: str = POSTGRES_SERVER) -> None:
    """Drop every database that the tests of this run created."""
    import psycopg

    try:
        with psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=2) as admin:
            names = admin.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s",
                [f"{DATABASE_PREFIX}{run}_%"],
            ).fetchall()
            for (name,) in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    except psycopg.OperationalError:
        pass  # no PostgreSQL here, so nothing was created on it


def run_folder(tmp_path_factory) -> Path:
    """A folder that every xdist worker of this run shares (each worker's own base
    folder lies inside it); without xdist, the run's base folder."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if "PYTEST_XDIST_WORKER" in os.environ else base


@contextmanager
def run_lock(folder: Path, name: str) -> Iterator[None]:
    """One process of the run at a time, across xdist workers."""
    with (folder / f"{name}.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def migrate(env: dict[str, str], tmp_path_factory) -> None:
    """What `dateline manage migrate` and `collectstatic` leave in the new site `env` names
    (its data folder, and its empty PostgreSQL database if it has one), copied from one site
    per run and engine that did both from scratch: each takes some twenty seconds here, and
    the demo's builds and tests/ops/test_migrations.py run every migration anyway."""
    database_url = env.get("DATABASE_URL", "")
    data_dir = Path(env["DATELINE_DATA_DIR"])
    shared = run_folder(tmp_path_factory)
    engine = "postgres" if database_url else "sqlite"
    with run_lock(shared, f"migrated-{engine}"):
        template = _migrated_template(shared / f"migrated-{engine}", on_postgres=bool(database_url))
        database = (template / "database").read_text()
        if database:
            import psycopg

            name = urlsplit(database_url).path.lstrip("/")
            with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as admin:
                admin.execute(f'DROP DATABASE "{name}"')
                admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{database}"')
        else:
            data_dir.mkdir(parents=True, exist_ok=True)
            for path in (template / "data").glob("dateline.sqlite3*"):
                shutil.copy(path, data_dir / path.name)
    _copy_static(template, data_dir)


def collected_static(data_dir: Path, tmp_path_factory) -> None:
    """What `collectstatic` leaves in a new data folder, copied as `migrate` copies it."""
    shared = run_folder(tmp_path_factory)
    with run_lock(shared, "migrated-sqlite"):
        template = _migrated_template(shared / "migrated-sqlite", on_postgres=False)
    _copy_static(template, data_dir)


def _migrated_template(template: Path, on_postgres: bool) -> Path:
    """A site migrated and collected from scratch (built once; the caller holds its lock)."""
    if not (template / "database").exists():
        shutil.rmtree(template, ignore_errors=True)
        (template / "data").mkdir(parents=True)
        database = create_database() if on_postgres else ""
        builder = LiveSite(
            template / "data", database_url=f"{POSTGRES_SERVER}/{database}" if database else ""
        )
        builder.run("manage", "migrate", "--verbosity", "0")
        builder.run("manage", "collectstatic", "--noinput", "--verbosity", "0")
        (template / "database").write_text(database)
    return template


def _copy_static(template: Path, data_dir: Path) -> None:
    # With their times, so that collectstatic and its compression find nothing to do.
    shutil.copytree(template / "data" / "static", data_dir / "static", dirs_exist_ok=True)


def demo_site(tmp_path_factory, name: str, engine: str = "sqlite", **env: str) -> LiveSite:
    """A site as `dateline setup --demo` leaves it, on "sqlite" or "postgres", in a data
    folder and database of its own, not yet serving."""
    shared = run_folder(tmp_path_factory)
    template = shared / f"demo-{engine}"
    with run_lock(shared, f"demo-{engine}"):
        if not (template / "database").exists():
            shutil.rmtree(template, ignore_errors=True)
            template.mkdir()
            database = create_database() if engine == "postgres" else ""
            builder = LiveSite(
                template / "data", database_url=f"{POSTGRES_SERVER}/{database}" if database else ""
            )
            (template / "data").mkdir()
            migrate(builder.env, tmp_path_factory)
            builder.run("setup", "--demo", timeout=900)
            (template / "database").write_text(database)
        data_dir = tmp_path_factory.mktemp(name)
        # The caches would only be retired on the copy's first publish anyway.
        shutil.copytree(
            template / "data",
            data_dir,
            dirs_exist_ok=True,
            ignore=shutil.ignore_patterns("cache", "server.log"),
        )
        database = (template / "database").read_text()
        database_url = ""
        if database:
            database_url = f"{POSTGRES_SERVER}/{create_database(template=database)}"
    return LiveSite(data_dir, database_url=database_url, **env)
