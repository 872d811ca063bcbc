"""Each cached response is compressed once, when it is stored, not per request."""

from __future__ import annotations

import gzip

import brotli

MIN_COMPRESSIBLE_BYTES = 512
GZIP_LEVEL = 6
BROTLI_QUALITY = 8  # near the best ratio at a few milliseconds for a news page


def encodings_for(body: bytes, compressible: bool) -> dict[str, bytes]:
    bodies = {"identity": body}
    if compressible and len(body) >= MIN_COMPRESSIBLE_BYTES:
        bodies["gzip"] = gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)
        bodies["br"] = brotli.compress(body, quality=BROTLI_QUALITY)
    return bodies
