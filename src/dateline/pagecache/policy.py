"""Which requests and responses the page cache may answer or keep, and the key a request
is filed under."""

from __future__ import annotations

import functools
import re
from urllib.parse import parse_qsl, urlencode

from dateline.core.clients import is_trusted_proxy

CACHEABLE_METHODS = frozenset({"GET", "HEAD"})
CACHEABLE_STATUSES = frozenset({200, 301, 404, 410})
# Paths that are personal, served elsewhere, or must always answer live.
BYPASS_PREFIXES = ("/admin/", "/static/", "/media/", "/documents/", "/healthz", "/readyz")
# What changes without a publish (the breaking-news banner, news/breaking.py): each server
# answers it from its own memory, and a CDN keeps it for seconds. The page cache would keep
# it until the next publish.
ALWAYS_ANSWERED_LIVE = re.compile(r"^(?:/api/v1/breaking|/[^/]+/breaking\.(?:json|xml))$")
# Query parameters that name where a reader came from, never what the page shows.
TRACKING_PARAMETERS = frozenset(
    {"fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "mc_cid", "mc_eid"}
)
COMPRESSIBLE_TYPES = (
    "text/",
    "application/json",
    "application/problem+json",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/javascript",
    "image/svg+xml",
)
MAX_QUERY_STRING = 4096


def is_cacheable_request(environ: dict, bypass_cookies: tuple[str, ...]) -> bool:
    if environ.get("REQUEST_METHOD") not in CACHEABLE_METHODS:
        return False
    if "HTTP_AUTHORIZATION" in environ:
        return False
    path = environ.get("PATH_INFO", "")
    if path.startswith(BYPASS_PREFIXES) or "breaking" in path and ALWAYS_ANSWERED_LIVE.match(path):
        return False
    if len(environ.get("QUERY_STRING", "")) > MAX_QUERY_STRING:
        return False
    cookies = environ.get("HTTP_COOKIE", "")
    return not (cookies and any(name in cookies for name in bypass_cookies))


def request_key(environ: dict) -> str:
    """Scheme, host, path and the query parameters that matter, in a stable order."""
    scheme = environ.get("wsgi.url_scheme", "http")
    forwarded_proto = environ.get("HTTP_X_FORWARDED_PROTO")
    # Only a trusted proxy may say the reader came over HTTPS (as Django is told), or
    # anyone could file a plain-HTTP answer (a redirect) under the HTTPS address.
    if forwarded_proto and is_trusted_proxy(environ.get("REMOTE_ADDR", "")):
        scheme = forwarded_proto
    host = (environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")).lower()
    if host.endswith(":80") and scheme == "http" or host.endswith(":443") and scheme == "https":
        host = host.rsplit(":", 1)[0]
    path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
    query = environ.get("QUERY_STRING", "")
    if query:
        query = normalise_query(query)
    return f"{scheme}://{host}{path}?{query}"


def normalise_query(query: str) -> str:
    pairs = [
        (name, value)
        for name, value in parse_qsl(query, keep_blank_values=True)
        if name not in TRACKING_PARAMETERS and not name.startswith("utm_")
    ]
    # A stable sort keeps the order of repeated parameters, which a view may rely on.
    pairs.sort(key=lambda pair: pair[0])
    return urlencode(pairs)


def preferred_encoding(accept_encoding: str, available) -> str:
    """The best of the prepared encodings the client accepts: brotli, then gzip."""
    if not accept_encoding:
        return "identity"
    accepted = accepted_codings(accept_encoding)
    for coding in ("br", "gzip"):
        if coding in available and (coding in accepted or "*" in accepted):
            return coding
    return "identity"


# Browsers send one of a few Accept-Encoding values on every request; parsing it cost a
# cached page a fifth of its answer.
@functools.lru_cache(maxsize=256)
def accepted_codings(accept_encoding: str) -> frozenset[str]:
    """The content codings a client's Accept-Encoding allows (those not given q=0)."""
    accepted = set()
    for item in accept_encoding.lower().split(","):
        coding, _, params = item.strip().partition(";")
        if params.replace(" ", "") in {"q=0", "q=0.0", "q=0.00", "q=0.000"}:
            continue
        accepted.add(coding.strip())
    return frozenset(accepted)


def is_cacheable_response(status: int, headers: list[tuple[str, str]]) -> bool:
    if status not in CACHEABLE_STATUSES:
        return False
    for name, value in headers:
        lowered = name.lower()
        if lowered == "set-cookie" or lowered == "content-encoding":
            return False
        if lowered == "cache-control" and any(
            word in value.lower() for word in ("private", "no-store", "no-cache")
        ):
            return False
        if lowered == "vary":
            varied = {part.strip().lower() for part in value.split(",")}
            if varied - {"cookie", "accept-encoding", "accept-language"}:
                return False
            # Outside the language prefixes, errors speak the reader's language; the
            # site-wide files (sitemap index, robots.txt) do not.
            if "accept-language" in varied and status != 200:
                return False
    return True


def is_compressible(content_type: str) -> bool:
    return content_type.lower().startswith(COMPRESSIBLE_TYPES)
