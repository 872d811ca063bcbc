"""Reading a source: one bounded HTTP request (a size limit, a time limit, a redirect
limit, conditional on what the last answer said), or the files in a drop folder."""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests
from django.conf import settings

CHUNK = 64 * 1024
REDIRECTS = {301, 302, 303, 307, 308}
FOLDER_SUFFIXES = {".xml", ".rss", ".atom", ".json", ".ninjs"}


class FetchError(Exception):
    """The source could not be read; the message says why, for the editor."""


@dataclass(frozen=True)
class Fetched:
    body: bytes
    not_modified: bool = False
    etag: str = ""
    last_modified: str = ""
    content_type: str = ""
    url: str = ""


def _limit_text(size: int) -> str:
    return f"{size / 1_000_000:g} MB" if size >= 1_000_000 else f"{size} bytes"


def _allowed_networks() -> tuple:
    return tuple(
        ipaddress.ip_network(entry, strict=False)
        for entry in settings.DATELINE_INGEST_PRIVATE_NETWORKS
    )


def refuse_private_host(url: str) -> None:
    """An address typed by an editor or sent by a feed must not make the server read its
    own network (a cloud's metadata service, a database's HTTP port, the admin of a
    router): hosts on loopback, private, link-local and reserved addresses are refused
    unless DATELINE_INGEST_PRIVATE_NETWORKS allows them."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"}:
        raise FetchError(f"only http and https addresses are read, not {url!r}")
    host = parts.hostname
    if not host:
        raise FetchError(f"the address {url!r} names no host")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        found = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, ValueError):
        raise FetchError(f"the host {host} is not known") from None
    for *_, address in found:
        ip = ipaddress.ip_address(address[0].split("%")[0])
        if getattr(ip, "ipv4_mapped", None):
            ip = ip.ipv4_mapped
        if any(ip in network for network in _allowed_networks()):
            continue
        if not ip.is_global or ip.is_multicast:
            raise FetchError(
                f"{host} is on a private network ({ip}); an operator can allow it with "
                "DATELINE_INGEST_PRIVATE_NETWORKS"
            )


def fetch(
    url: str, *, etag: str = "", last_modified: str = "", max_bytes: int | None = None
) -> Fetched:
    """GET `url`; an unchanged answer (304) comes back with `not_modified` and no body.
    Redirects are followed one at a time, each to a host that may be read."""
    limit = max_bytes or settings.DATELINE_INGEST_MAX_BYTES
    timeout = settings.DATELINE_INGEST_TIMEOUT
    headers = {"User-Agent": settings.DATELINE_INGEST_USER_AGENT, "Accept-Encoding": "gzip"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    # A server that trickles a byte at a time never trips the socket timeout: the whole
    # answer has a deadline too.
    deadline = time.monotonic() + timeout * 3
    session = requests.Session()
    try:
        for _hop in range(settings.DATELINE_INGEST_MAX_REDIRECTS + 1):
            refuse_private_host(url)
            with session.get(
                url, headers=headers, timeout=(timeout, timeout), stream=True, allow_redirects=False
            ) as response:
                if response.status_code in REDIRECTS and response.headers.get("Location"):
                    url = urljoin(url, response.headers["Location"])
                    continue
                return _read(response, url, etag, last_modified, limit, deadline, timeout)
        raise FetchError(f"redirected more than {settings.DATELINE_INGEST_MAX_REDIRECTS} times")
    except requests.Timeout:
        raise FetchError(f"no answer within {timeout} s") from None
    except requests.ConnectionError as error:
        raise FetchError(f"could not connect: {_reason(error)}") from None
    except requests.RequestException as error:
        raise FetchError(f"could not be read: {_reason(error)}") from None
    finally:
        session.close()


def _read(response, url, etag, last_modified, limit, deadline, timeout) -> Fetched:
    if response.status_code == 304:
        return Fetched(b"", not_modified=True, etag=etag, last_modified=last_modified)
    if response.status_code >= 400:
        raise FetchError(f"the server answered {response.status_code} {response.reason}")
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise FetchError(f"the answer is larger than the limit of {_limit_text(limit)}")
    body = bytearray()
    for chunk in response.iter_content(CHUNK):
        body += chunk
        if len(body) > limit:
            raise FetchError(f"the answer is larger than the limit of {_limit_text(limit)}")
        if time.monotonic() > deadline:
            raise FetchError(f"the answer took longer than {timeout * 3} s")
    return Fetched(
        bytes(body),
        etag=response.headers.get("ETag", "")[:500],
        last_modified=response.headers.get("Last-Modified", "")[:100],
        content_type=response.headers.get("Content-Type", ""),
        url=url,
    )


def _reason(error: Exception) -> str:
    text = str(error)
    return text if len(text) <= 200 else text[:200] + "…"


def folder_files(folder: str) -> list[Path]:
    """The readable files in a drop folder, oldest first."""
    path = Path(folder)
    if not path.is_dir():
        raise FetchError(f"the folder {folder} does not exist or cannot be read")
    files = [
        entry
        for entry in path.iterdir()
        if entry.is_file() and entry.suffix.lower() in FOLDER_SUFFIXES
    ]
    return sorted(files, key=lambda entry: (entry.stat().st_mtime, entry.name))


def read_file(path: Path) -> bytes:
    limit = settings.DATELINE_INGEST_MAX_BYTES
    if path.stat().st_size > limit:
        raise FetchError(f"{path.name} is larger than the limit of {_limit_text(limit)}")
    return path.read_bytes()
