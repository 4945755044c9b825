"""Taking files in: received as a stream, checked, made safe, stored, recorded.

An upload is written to a temporary file as it arrives, hashed and counted on the way (never
held whole in memory; refused as soon as it passes the size limit). Its type comes from its
bytes; an image is decoded to the last pixel, turned upright and stored without its metadata;
a document is stored as it came. The same bytes uploaded again give the asset they made the
first time, whoever uploads them and under whatever (matching) name: their hash is looked up
before the decode, so a repeated upload costs no decoding. A description given with the upload
(alt text, caption, credit, focal point) is checked before anything slow and written with the
asset, as one change: version 1, one MEDIA_CREATED event. A repeated upload keeps the asset's
own description; the one given with it is checked all the same, and not applied.

Who may upload: any editorial token, contributors included. That a contributor attaches media
only to their own drafts is checked where media is attached, not here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import secrets
import shutil
import tempfile
from collections.abc import AsyncIterable, AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

import anyio
import anyio.to_thread
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from publishing import events
from publishing.access import Actor, Permission, Role
from publishing.errors import invalid
from publishing.media.editing import MediaChanges, apply_changes, check_changes
from publishing.media.images import DERIVED_WITH, prepare_image
from publishing.media.limits import MediaLimits
from publishing.media.models import MediaAsset, MediaKind, original_path
from publishing.media.sniffing import FILE_PATH, check_extension, clean_file_name, sniff
from publishing.media.storage import MediaStorage

__all__ = [
    "UPLOAD_MEDIA",
    "Ingested",
    "ReadSession",
    "Received",
    "ingest",
    "ingest_received",
    "receive",
]

# Any editorial token, contributors included (see the module's docstring).
UPLOAD_MEDIA = Permission(Role.CONTRIBUTOR, "Uploading media")

# Decoding is CPU and memory heavy: a few at once per process, the rest wait their turn.
_DECODERS = anyio.CapacityLimiter(2)

# A session for reads outside the writer's transaction (the API's per-request read session):
# what ingest checks before the slow part goes through it, so the writer's transaction (on
# SQLite, the write lock) begins only once the file is decoded and stored.
ReadSession = Callable[[], contextlib.AbstractAsyncContextManager[AsyncSession]]


@dataclass(frozen=True, slots=True)
class Received:
    """An upload written to a temporary file: where, its SHA-256 and its size."""

    path: Path
    sha256: str
    size: int


@dataclass(frozen=True, slots=True)
class Ingested:
    asset: MediaAsset
    created: bool  # False: these bytes were uploaded before, and this is their asset


@contextlib.asynccontextmanager
async def receive(chunks: AsyncIterable[bytes], *, max_bytes: int) -> AsyncIterator[Received]:
    """Write ``chunks`` to a temporary file (removed on exit), hashing and counting them.

    ValidationFailed ``TOO_LARGE`` as soon as more than ``max_bytes`` arrived (the rest is
    not read), ``EMPTY`` for no bytes at all."""
    folder = Path(await anyio.to_thread.run_sync(tempfile.mkdtemp, "", "pressroom-upload-"))
    try:
        path = folder / "upload"
        digest = hashlib.sha256()
        size = 0
        async with await anyio.open_file(path, "wb") as target:
            async for chunk in chunks:
                size += len(chunk)
                if size > max_bytes:
                    invalid(
                        FILE_PATH,
                        "TOO_LARGE",
                        f"The file is larger than the limit of {max_bytes:,} bytes.",
                    )
                digest.update(chunk)
                await target.write(chunk)
        if size == 0:
            invalid(FILE_PATH, "EMPTY", "The file is empty.")
        yield Received(path, digest.hexdigest(), size)
    finally:
        await anyio.to_thread.run_sync(_remove_folder, folder)


def _remove_folder(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


async def _by_hash(session: AsyncSession, sha256: str) -> MediaAsset | None:
    return await session.scalar(select(MediaAsset).where(MediaAsset.content_hash == sha256))


async def ingest(
    session: AsyncSession,
    actor: Actor,
    storage: MediaStorage,
    chunks: AsyncIterable[bytes],
    file_name: str,
    *,
    now: dt.datetime,
    limits: MediaLimits,
    description: MediaChanges | None = None,
    reads: ReadSession | None = None,
) -> Ingested:
    """Take in an upload (a stream of chunks and the client's file name) as a media asset,
    described by ``description`` (see ``ingest_received``)."""
    actor.require(UPLOAD_MEDIA)
    async with receive(chunks, max_bytes=limits.max_bytes) as received:
        return await ingest_received(
            session,
            actor,
            storage,
            received,
            file_name,
            now=now,
            limits=limits,
            description=description,
            reads=reads,
        )


async def ingest_received(
    session: AsyncSession,
    actor: Actor,
    storage: MediaStorage,
    received: Received,
    file_name: str,
    *,
    now: dt.datetime,
    limits: MediaLimits,
    description: MediaChanges | None = None,
    reads: ReadSession | None = None,
) -> Ingested:
    """Check, store and record a file already received (see ``receive``), with the alt text,
    caption, credit and focal point of ``description`` (texts with no language are in the
    default one). Bytes taken in before give their asset as it is.

    What needs the database before the decode (the description's languages, the hash) is
    read through ``reads`` when given, else through ``session``."""
    actor.require(UPLOAD_MEDIA)
    file_name = clean_file_name(file_name)
    file_type = await anyio.to_thread.run_sync(sniff, received.path, file_name)
    check_extension(file_name, file_type)
    async with (reads or (lambda: contextlib.nullcontext(session)))() as read:
        described = await check_changes(read, file_type.kind, description or MediaChanges())
        existing = await _by_hash(read, received.sha256)
    if existing is not None:
        return Ingested(existing, created=False)

    # Everything slow (decoding, storing) comes before the writer's first statement, so it
    # never holds a transaction open (on SQLite: the write lock).
    width = height = None
    placeholder = dominant = derived_with = None
    stored = received.path
    if file_type.kind is MediaKind.IMAGE:
        target = received.path.with_name("prepared")
        prepared = await anyio.to_thread.run_sync(
            lambda: prepare_image(received.path, file_type, target, max_pixels=limits.max_pixels),
            limiter=_DECODERS,
        )
        stored, width, height = prepared.path, prepared.width, prepared.height
        placeholder, dominant = prepared.placeholder, prepared.dominant_color
        derived_with = DERIVED_WITH
    byte_size = (await anyio.Path(stored).stat()).st_size

    key = secrets.token_urlsafe(16)
    await storage.put_file(original_path(key), stored)
    try:
        # The same bytes may have been taken in by another upload while these were decoded.
        existing = await _by_hash(session, received.sha256)
    except BaseException:
        await storage.delete(original_path(key))
        raise
    if existing is not None:
        await storage.delete(original_path(key))
        return Ingested(existing, created=False)
    asset = MediaAsset(
        key=key,
        kind=file_type.kind,
        file_name=clean_file_name(file_name, file_type),
        media_type=file_type.media_type,
        byte_size=byte_size,
        content_hash=received.sha256,
        width=width,
        height=height,
        placeholder=placeholder,
        dominant_color=dominant,
        derived_with=derived_with,
        uploaded_by=actor.name,
        created_at=now,
        updated_at=now,
    )
    # Described as it is made: one row (and its texts), one change, version 1.
    apply_changes(asset, described)
    try:
        async with session.begin_nested():
            session.add(asset)
    except IntegrityError:
        # The same bytes were taken in by another writer meanwhile: theirs is the asset.
        await storage.delete(original_path(key))
        winner = await _by_hash(session, received.sha256)
        if winner is None:
            raise
        return Ingested(winner, created=False)
    except BaseException:
        await storage.delete(original_path(key))
        raise
    await events.media_changed(session, asset.id, now=now, created=True)
    return Ingested(asset, created=True)
