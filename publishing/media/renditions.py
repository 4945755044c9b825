"""Renditions: an image at the size and in the format a (signed) URL names, made with libvips
on first request and stored beside the original, so every later request is a file read.

Making one is single-flight within a process (concurrent requests for one rendition wait for
the first), and its write is atomic and conditional across processes (a torn or mixed file
is impossible; when two machines make the same rendition, the first stored wins and the other,
byte for byte the same, is dropped).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import anyio
import anyio.to_thread
import pyvips

from publishing.media.models import original_path
from publishing.media.sizes import cover_box
from publishing.media.storage import MediaStorage
from publishing.media.urls import MAX_SIDE, Fit, ImageFormat, RenditionSpec

__all__ = [
    "Rendition",
    "Renditions",
    "negotiate",
    "remove_files",
    "render",
    "rendition_path",
]


def rendition_path(key: str, spec: RenditionSpec) -> str:
    """Where a rendition (in a concrete format) is stored."""
    return f"renditions/{key}/{spec.name}"


async def remove_files(storage: MediaStorage, key: str) -> None:
    """Remove an asset's file and every rendition of it (after its deletion commits)."""
    await storage.delete(original_path(key))
    await storage.delete_prefix(f"renditions/{key}")


def _cover(source: str, width: int, height: int, focal: tuple[int, int] | None) -> pyvips.Image:
    header = pyvips.Image.new_from_file(source)
    original_width, original_height = header.width, header.height
    # Never enlarged: a box larger than the original becomes the largest of its shape inside.
    width, height = cover_box(original_width, original_height, width, height)
    scale = max(width / original_width, height / original_height)
    scaled_width = max(width, round(original_width * scale))
    scaled_height = max(height, round(original_height * scale))
    image = pyvips.Image.thumbnail(source, scaled_width, height=scaled_height, size="force")
    fx, fy = focal or (500, 500)
    left = min(max(0, round(fx / 1000 * image.width - width / 2)), image.width - width)
    top = min(max(0, round(fy / 1000 * image.height - height / 2)), image.height - height)
    return image.crop(left, top, width, height)


def _contain(source: str, width: int | None, height: int | None) -> pyvips.Image:
    return pyvips.Image.thumbnail(
        source,
        min(width or MAX_SIDE, MAX_SIDE),
        height=min(height or MAX_SIDE, MAX_SIDE),
        size="down",
    )


def render(source: Path, spec: RenditionSpec) -> bytes:
    """The rendition of the image file at ``source`` (blocking: run it in a worker thread).
    ``spec`` must name a concrete format."""
    name = str(source)
    if spec.fit is Fit.COVER and spec.width and spec.height:
        image = _cover(name, spec.width, spec.height, spec.focal)
    else:
        image = _contain(name, spec.width, spec.height)
    quality = spec.quality_for(spec.format)
    match spec.format:
        case ImageFormat.JPEG:
            if image.hasalpha():
                image = image.flatten(background=[255, 255, 255])
            return image.jpegsave_buffer(
                Q=quality, optimize_coding=True, interlace=True, keep="none"
            )
        case ImageFormat.WEBP:
            return image.webpsave_buffer(Q=quality, effort=4, keep="none")
        case ImageFormat.AVIF:
            # Effort 2 of 9: AV1 at libvips's default effort takes seconds per image.
            return image.heifsave_buffer(Q=quality, compression="av1", effort=2, keep="none")
        case ImageFormat.PNG:
            return image.pngsave_buffer(compression=6, keep="none")
        case _:
            raise ValueError(f"not a concrete format: {spec.format}")


def negotiate(accept: str) -> ImageFormat:
    """The format ``auto`` becomes for a client sending ``accept``: AVIF, else WebP, else
    JPEG (which every client shows; transparency is flattened on white)."""
    offered = {part.split(";", 1)[0].strip().lower() for part in accept.split(",")}
    if "image/avif" in offered:
        return ImageFormat.AVIF
    if "image/webp" in offered:
        return ImageFormat.WEBP
    return ImageFormat.JPEG


# Renditions up to this size are read whole and sent in one piece; larger ones are streamed.
SMALL = 512 * 1024


def _stat_and_read(file: Path) -> tuple[os.stat_result, bytes | None]:
    with file.open("rb") as source:
        stat = os.fstat(source.fileno())
        return stat, source.read() if stat.st_size <= SMALL else None


@dataclass(frozen=True, slots=True)
class Rendition:
    path: str  # in the storage
    data: bytes | None = None  # when made just now, or small enough to be read whole
    file: Path | None = None  # when the storage is a local folder
    stat: os.stat_result | None = None  # of ``file``
    size: int | None = None  # in bytes, when known


class Renditions:
    """Makes and finds renditions in one storage; one per process (it sets libvips up)."""

    def __init__(
        self,
        storage: MediaStorage,
        *,
        workers: int = 2,
        on_made: Callable[[], None] | None = None,
    ) -> None:
        self.storage = storage
        # Told of every rendition made (not found stored): the API counts them.
        self.on_made = on_made
        # Each rendition is made once and then read from the storage: libvips's cache of
        # recent operations would only hold decoded originals in memory. And one thread per
        # image: requests already run in parallel (``workers``), and each libvips thread
        # holds buffers of its own (four renditions at once: 80 MB instead of 125 MB).
        pyvips.cache_set_max(0)
        pyvips.concurrency_set(1)
        # Making a rendition is CPU and memory heavy: a few at a time per process.
        self._workers = anyio.CapacityLimiter(workers)
        self._making: dict[str, asyncio.Task[Rendition | None]] = {}

    async def _stored(self, path: str) -> Rendition | None:
        local = self.storage.local_path(path)
        if local is None:
            size = await self.storage.size(path)
            return None if size is None else Rendition(path, size=size)
        try:
            # One trip to a worker thread checks, measures and (most renditions being small)
            # reads the file: the request needs no further file operations.
            stat, data = await anyio.to_thread.run_sync(_stat_and_read, local)
        except FileNotFoundError:
            return None
        return Rendition(path, data=data, file=local, stat=stat)

    async def get(self, key: str, spec: RenditionSpec) -> Rendition | None:
        """The rendition, made now if need be; None when the asset's file is gone."""
        path = rendition_path(key, spec)
        stored = await self._stored(path)
        if stored is not None:
            return stored
        making = self._making.get(path)
        if making is None:
            # A task of its own: a request that gives up (its deadline, a closed connection)
            # does not stop the work the others wait for, and the result is stored anyway.
            making = asyncio.create_task(self._make(key, spec, path))
            self._making[path] = making
            making.add_done_callback(lambda done: self._finished(path, done))
        return await asyncio.shield(making)

    def _finished(self, path: str, done: asyncio.Task[Rendition | None]) -> None:
        del self._making[path]
        if not done.cancelled():
            done.exception()  # retrieved: a failure nobody waited for is not logged as lost

    async def _make(self, key: str, spec: RenditionSpec, path: str) -> Rendition | None:
        original = original_path(key)
        local = self.storage.local_path(original)
        if local is not None:
            if not await anyio.Path(local).is_file():
                return None
            data = await anyio.to_thread.run_sync(render, local, spec, limiter=self._workers)
        else:
            if not await self.storage.exists(original):
                return None
            folder = await anyio.to_thread.run_sync(tempfile.mkdtemp, "", "pressroom-rendition-")
            try:
                copy = Path(folder) / "original"
                await self.storage.download(original, copy)
                data = await anyio.to_thread.run_sync(render, copy, spec, limiter=self._workers)
            finally:
                await anyio.to_thread.run_sync(lambda: shutil.rmtree(folder, ignore_errors=True))
        await self.storage.put_bytes(path, data, only_if_absent=True)
        if self.on_made is not None:
            self.on_made()
        return Rendition(path, data=data)
