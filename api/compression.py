"""Content codings of answers: gzip, Brotli (``br``) and Zstandard (``zstd``).

An answer of at least ``compression_min_bytes`` is sent in the coding the client's
``Accept-Encoding`` prefers (its q-values first; on a tie br, then zstd, then gzip: br and
zstd are smaller than gzip, and br is the smaller of the two on JSON and XML). Smaller answers
are sent as they are: the coding's framing would outweigh what it saves. Only the answers of
the GraphQL edge, the feeds and the sitemaps pass through here (text: JSON and XML); media
files are already compressed and are never coded again.

Every such answer carries ``Vary: Accept-Encoding``, coded or not, so shared caches keep one
copy per coding. A coded answer has an ETag of its own (RFC 9110, 8.8.3: the ETag names one
representation): the identity tag with the coding appended, ``"<tag>-br"``. Conditional
requests compare tags weakly, as RFC 9110 13.1.2 has ``If-None-Match`` do, and every coding
of the same body is the same content, so a tag of any coding of the current body matches
(``etag_matches``).

Cached answers keep their coded forms (``Compression.encode_all``, called once when the
answer is stored), so a hit is sent without compressing anything.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import AsyncIterable, AsyncIterator, Mapping
from dataclasses import dataclass
from typing import Final

import brotli
import zstandard
from starlette.datastructures import Headers

# Server preference among codings the client rates equally.
CODINGS: Final = ("br", "zstd", "gzip")
# Levels for answers compressed as they are sent (and once per cached answer): the libraries'
# defaults for gzip and zstd; Brotli's default (11) is tens of times slower than 5 for a few
# per cent, too slow for an answer computed on request.
GZIP_LEVEL: Final = 6
BROTLI_QUALITY: Final = 5
ZSTD_LEVEL: Final = 3
VARY: Final = "Accept-Encoding"
_ALIASES: Final = {"x-gzip": "gzip"}


def negotiate(accept_encoding: str | None) -> str | None:
    """The coding to answer with, or None for the identity (RFC 9110, 12.5.3).

    No header: the identity (a client that names no coding gets none, whatever the RFC allows).
    A coding at q=0, or ``*;q=0`` for those not named, is never chosen; ``identity`` rated
    above every coding on offer is chosen over them."""
    if accept_encoding is None:
        return None
    rated: dict[str, float] = {}
    for item in accept_encoding.split(","):
        name, _, parameters = item.partition(";")
        name = name.strip().lower()
        if not name:
            continue
        quality = 1.0
        for parameter in parameters.split(";"):
            key, _, value = parameter.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    quality = 0.0  # a malformed weight accepts nothing
        name = _ALIASES.get(name, name)
        rated[name] = max(quality, rated.get(name, 0.0))
    anything = rated.get("*", 0.0)
    best, best_quality = None, 0.0
    for coding in CODINGS:
        quality = rated.get(coding, anything)
        if quality > best_quality:
            best, best_quality = coding, quality
    if best is not None and rated.get("identity", 0.0) > best_quality:
        return None
    return best


def encode(body: bytes, coding: str) -> bytes:
    if coding == "br":
        return bytes(brotli.compress(body, quality=BROTLI_QUALITY))
    if coding == "zstd":
        # With the content size in the frame header: decoders that read one shot need it.
        return zstandard.ZstdCompressor(level=ZSTD_LEVEL).compress(body)
    if coding == "gzip":
        # mtime=0: the same body gives the same bytes, whenever it is compressed.
        return gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)
    raise ValueError(f"no content coding {coding!r}")


def coded_etag(tag: str, coding: str | None) -> str:
    """The ETag of ``coding`` of the representation tagged ``tag``."""
    if coding is None:
        return tag
    weak, opaque = ("W/", tag[2:]) if tag.startswith("W/") else ("", tag)
    return f'{weak}{opaque.removesuffix(chr(34))}-{coding}"'


def _identity_tag(tag: str) -> str:
    tag = tag.strip().removeprefix("W/")
    for coding in CODINGS:
        suffix = f'-{coding}"'
        if tag.endswith(suffix):
            return tag.removesuffix(suffix) + '"'
    return tag


def etag_matches(headers: Headers, tag: str | None) -> bool:
    """Whether ``If-None-Match`` names the representation tagged ``tag`` (in any coding)."""
    wanted = headers.get("if-none-match")
    if wanted is None or tag is None:
        return False
    tags = {_identity_tag(t) for t in wanted.split(",")}
    return "*" in tags or _identity_tag(tag) in tags


def matching_tag(headers: Headers, tag: str) -> str:
    """The ETag a ``304`` for ``tag`` carries when its size, and so its coding, is not known:
    the tag the client sent that matched (it names the representation the client holds)."""
    identity = _identity_tag(tag)
    for sent in headers.get("if-none-match", "").split(","):
        if _identity_tag(sent) == identity:
            return sent.strip()
    return tag


@dataclass(frozen=True, slots=True)
class Coded:
    """One answer's body as it is sent."""

    body: bytes
    coding: str | None  # None: the identity
    etag: str | None

    def headers(self) -> dict[str, str]:
        headers = {"vary": VARY}
        if self.coding is not None:
            headers["content-encoding"] = self.coding
        if self.etag is not None:
            headers["etag"] = self.etag
        return headers


class Compression:
    """The process's compressor; made once per process by the lifespan (``api.caching``)."""

    def __init__(self, min_bytes: int) -> None:
        self.min_bytes = min_bytes
        # Bodies compressed since the start: the cost a response-cache hit must not add to.
        self.compressed = 0

    def encode(self, body: bytes, coding: str) -> bytes:
        self.compressed += 1
        return encode(body, coding)

    def encode_all(self, body: bytes) -> dict[str, bytes]:
        """Every coding of ``body`` worth keeping with it (none for a small body)."""
        if len(body) < self.min_bytes:
            return {}
        return {coding: self.encode(body, coding) for coding in CODINGS}

    def choose(self, headers: Headers, body: bytes) -> str | None:
        return negotiate(headers.get("accept-encoding")) if len(body) >= self.min_bytes else None

    def code(
        self,
        headers: Headers,
        body: bytes,
        etag: str | None = None,
        kept: Mapping[str, bytes] | None = None,
    ) -> Coded:
        """``body`` (tagged ``etag``) as this request gets it: from ``kept`` when it holds the
        coding, else compressed now."""
        coding = self.choose(headers, body)
        if coding is None:
            return Coded(body, None, etag)
        coded = (kept or {}).get(coding)
        if coded is None:
            coded = self.encode(body, coding)
        return Coded(coded, coding, coded_etag(etag, coding) if etag is not None else None)


async def encode_stream(chunks: AsyncIterable[bytes], coding: str) -> AsyncIterator[bytes]:
    """``chunks`` compressed as they come (for answers never held whole)."""
    if coding == "br":
        brotli_compressor = brotli.Compressor(quality=BROTLI_QUALITY)
        async for chunk in chunks:
            if out := brotli_compressor.process(chunk):
                yield out
        yield brotli_compressor.finish()
        return
    if coding == "zstd":
        zstd_compressor = zstandard.ZstdCompressor(level=ZSTD_LEVEL).compressobj()
        async for chunk in chunks:
            if out := zstd_compressor.compress(chunk):
                yield out
        yield zstd_compressor.flush()
        return
    # wbits 31: a gzip member (header and trailer), as Content-Encoding: gzip means.
    zlib_compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 31)
    async for chunk in chunks:
        if out := zlib_compressor.compress(chunk):
            yield out
    yield zlib_compressor.flush()
