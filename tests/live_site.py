"""A real Dateline site in subprocesses, with a data folder (and database) of its own:
for tests that need real server processes without touching the shared test database."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

DATELINE = str(Path(sys.executable).with_name("dateline"))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveSite:
    def __init__(self, data_dir: Path, database_url: str = "", redis_url: str = "", **env) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("DATELINE_")
            and key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
        }
        self.env.update(
            DATELINE_DATA_DIR=str(data_dir),
            DATELINE_BASE_URL=self.base_url,
            DATELINE_CACHE_PREFIX=f"dateline-live-{uuid.uuid4().hex[:8]}",
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


POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"
REDIS_SERVER = "redis://127.0.0.1:6379/0"


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


def create_database(server: str) -> str:
    """A new empty PostgreSQL database of its own; returns its name."""
    import psycopg

    name = f"dateline_live_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return name


def drop_database(server: str, name: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
