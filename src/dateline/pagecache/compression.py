"""Each cached response is compressed once, when it is stored, not per request.

A compressible page is kept only compressed: browsers and crawlers ask for brotli or
gzip, and the plain bytes, three to five times larger, would take most of the memory
the copies are given. The plain body is made from the gzip copy for the rare client
that accepts neither (store.Entry.with_identity)."""

from __future__ import annotations

import gzip

import brotli

MIN_COMPRESSIBLE_BYTES = 512
GZIP_LEVEL = 6
BROTLI_QUALITY = 8  # near the best ratio at a few milliseconds for a news page


def encodings_for(body: bytes, compressible: bool) -> dict[str, bytes]:
    if not compressible or len(body) < MIN_COMPRESSIBLE_BYTES:
        return {"identity": body}
    return {
        "gzip": gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0),
        "br": brotli.compress(body, quality=BROTLI_QUALITY),
    }


def identity_of(bodies: dict[str, bytes]) -> bytes:
    """The plain body of a stored response, whichever way it was kept."""
    if "identity" in bodies:
        return bodies["identity"]
    return gzip.decompress(bodies["gzip"])
