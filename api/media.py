"""``/media/...``: renditions at signed URLs, and stored files as they were uploaded.

    GET /media/<key>/<signature>/<spec>.<format>    a rendition (made on first request)
    GET /media/<key>/<file name>                    the stored file

Renditions need no database read (the URL names all and is signed; the signing key is read
once per process); answers are immutable: ``Cache-Control: public, max-age=31536000,
immutable``, an ``ETag`` and ``304`` for a matching ``If-None-Match``. A malformed URL is 404,
a tampered signature 403. The request deadline (``api.faults``) bounds only the database
reads here: making a rendition holds no connection, and a first request for a large one is
answered when it is made, however long that takes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote

import anyio
from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from api.faults import release_deadline
from api.settings import Settings
from publishing.media.limits import MediaLimits
from publishing.media.models import MediaAsset, MediaKind, original_path
from publishing.media.renditions import Rendition, Renditions, negotiate
from publishing.media.signing import signing_key
from publishing.media.storage import MediaStorage, S3Options, open_storage
from publishing.media.urls import ImageFormat, is_rendition_name, parse_rendition

__all__ = ["MediaState", "media_limits", "media_routes", "media_storage", "open_media"]

IMMUTABLE = "public, max-age=31536000, immutable"


@dataclass
class MediaState:
    """What the media routes share in one process."""

    storage: MediaStorage
    renditions: Renditions
    limits: MediaLimits
    widths: tuple[int, ...]
    _secret: bytes | None = field(default=None, repr=False)

    async def secret(self, request: Request) -> bytes:
        """The signing key, read from the database once per process."""
        if self._secret is None:
            # A writer's session: the key is made on first use.
            async with request.state.write_sessionmaker() as session, session.begin():
                self._secret = await signing_key(session, now=request.state.clock.now())
        return self._secret

    async def aclose(self) -> None:
        await self.storage.aclose()


def media_limits(settings: Settings) -> MediaLimits:
    return MediaLimits(
        max_bytes=settings.media_max_bytes,
        max_pixels=settings.media_max_pixels,
        fetch_timeout=settings.media_fetch_timeout,
        fetch_allow_private=settings.webhooks_allow_private,
    )


def media_storage(settings: Settings) -> MediaStorage:
    """The storage the settings name (StorageConfigError when they cannot be used)."""
    return open_storage(
        settings.media_url,
        database_url=settings.database_url,
        s3=S3Options(
            endpoint=settings.media_s3_endpoint,
            region=settings.media_s3_region,
            access_key_id=settings.media_s3_access_key_id,
            secret_access_key=settings.media_s3_secret_access_key,
        ),
    )


def open_media(settings: Settings, *, on_rendition: Callable[[], None] | None = None) -> MediaState:
    storage = media_storage(settings)
    return MediaState(
        storage=storage,
        renditions=Renditions(
            storage, workers=settings.media_rendition_workers, on_made=on_rendition
        ),
        limits=media_limits(settings),
        widths=tuple(settings.media_widths),
    )


def _refused(status: int, message: str) -> Response:
    return PlainTextResponse(
        message, status, headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"}
    )


def _matches(request: Request, etag: str) -> bool:
    header = request.headers.get("if-none-match")
    if not header:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return etag in tags or "*" in tags


def _ascii_fallback(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    plain = re.sub(r"[^A-Za-z0-9._ ()+-]", "_", plain)
    return " ".join(plain.split()).strip(" .") or "file"


def content_disposition(kind: str, file_name: str) -> str:
    """``attachment`` or ``inline`` with the name twice: plain ASCII (quotes, slashes and
    control characters gone) for old clients, and UTF-8 (RFC 6266/5987) for the rest."""
    return (
        f'{kind}; filename="{_ascii_fallback(file_name)}"; '
        f"filename*=UTF-8''{quote(file_name, safe='')}"
    )


async def _send(
    request: Request, state: MediaState, found: Rendition, media_type: str, headers: dict[str, str]
) -> Response:
    if found.data is not None:
        return Response(found.data, media_type=media_type, headers=headers)
    if found.file is not None:
        return FileResponse(
            found.file, media_type=media_type, headers=headers, stat_result=found.stat
        )
    size = found.size if found.size is not None else await state.storage.size(found.path)
    if size is None:
        return _refused(404, "Not found.")
    headers["Accept-Ranges"] = "bytes"
    wanted = _single_range(request.headers.get("range", ""), size)
    if wanted is not None:
        # One range (a PDF viewer reading a page); several ranges get the whole file.
        start, end = wanted
        headers["Content-Range"] = f"bytes {start}-{end - 1}/{size}"
        headers["Content-Length"] = str(end - start)
        body = state.storage.read(found.path, start, end)
        return StreamingResponse(body, 206, media_type=media_type, headers=headers)
    headers["Content-Length"] = str(size)
    return StreamingResponse(state.storage.read(found.path), media_type=media_type, headers=headers)


_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _single_range(header: str, size: int) -> tuple[int, int] | None:
    """``(start, end)`` (end exclusive) of a satisfiable single ``Range``; None otherwise."""
    match = _RANGE.match(header.strip())
    if match is None or size == 0:
        return None
    first, last = match.groups()
    if first:
        start = int(first)
        end = min(int(last) + 1, size) if last else size
    elif last:
        start, end = max(0, size - int(last)), size
    else:
        return None
    return (start, end) if start < end else None


# What publishing.media.ingest makes keys of: secrets.token_urlsafe.
_KEY = re.compile(r"[A-Za-z0-9_-]{1,64}")


async def rendition(request: Request) -> Response:
    state: MediaState = request.state.media
    key = request.path_params["key"]
    signature = request.path_params["signature"]
    name = request.path_params["name"]
    if not is_rendition_name(name):
        return _refused(404, "Not found.")
    spec = parse_rendition(await state.secret(request), key, signature, name)
    release_deadline(request.scope)  # the key was the only database read
    if spec is None:
        return _refused(403, "This rendition URL is not signed by this server.")
    headers = {"Cache-Control": IMMUTABLE, "X-Content-Type-Options": "nosniff"}
    chosen = spec.format
    if chosen is ImageFormat.AUTO:
        chosen = negotiate(request.headers.get("accept", ""))
        headers["Vary"] = "Accept"
    etag = f'"{signature}.{chosen.value}"'
    headers["ETag"] = etag
    if _matches(request, etag):
        return Response(status_code=304, headers=headers)
    found = await state.renditions.get(key, spec.with_format(chosen))
    if found is None:
        return _refused(404, "Not found.")
    return await _send(request, state, found, chosen.media_type, headers)


async def stored_file(request: Request) -> Response:
    state: MediaState = request.state.media
    key = request.path_params["key"]
    name = request.path_params["name"]
    if not _KEY.fullmatch(key):
        # Keys are URL-safe base64 (publishing.media.ingest): nothing else is looked up, and
        # no NUL reaches PostgreSQL.
        return _refused(404, "Not found.")
    async with request.state.sessionmaker() as session:
        row = (
            await session.execute(
                select(MediaAsset.file_name, MediaAsset.media_type, MediaAsset.kind).where(
                    MediaAsset.key == key
                )
            )
        ).one_or_none()
    release_deadline(request.scope)  # streaming a large file from S3 holds no connection
    if row is None or row.file_name != name:
        return _refused(404, "Not found.")
    etag = f'"{key}"'
    # Documents are downloaded, never shown in the API's origin (a PDF or an Office file can
    # carry scripts); images are the cleaned copies made at upload.
    disposition = "inline" if row.kind is MediaKind.IMAGE else "attachment"
    headers = {
        "Cache-Control": IMMUTABLE,
        "ETag": etag,
        "X-Content-Type-Options": "nosniff",
        "Content-Disposition": content_disposition(disposition, row.file_name),
        "Content-Security-Policy": "default-src 'none'; sandbox",
    }
    if _matches(request, etag):
        return Response(status_code=304, headers=headers)
    path = original_path(key)
    local = state.storage.local_path(path)
    found = Rendition(path, file=local) if local is not None else Rendition(path)
    if local is not None and not await anyio.Path(local).is_file():
        return _refused(404, "Not found.")
    return await _send(request, state, found, row.media_type, headers)


def media_routes() -> list[Route]:
    return [
        Route("/media/{key}/{signature}/{name}", rendition, methods=["GET", "HEAD"]),
        Route("/media/{key}/{name}", stored_file, methods=["GET", "HEAD"]),
    ]
