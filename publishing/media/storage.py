"""Where media bytes live: a local folder, or S3-compatible object storage.

Paths inside a storage are short relative names made by this package
(``originals/<key>``, ``renditions/<key>/<spec>``), never client input. Writes are atomic:
a reader sees the whole object or none, so two processes making the same rendition at once
cannot leave a torn file (the later write replaces the earlier, identical one).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import secrets
import shutil
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import anyio
import anyio.to_thread
import obstore
from obstore.exceptions import AlreadyExistsError, GenericError, NotSupportedError
from obstore.store import S3Store
from sqlalchemy.engine import make_url

__all__ = [
    "LocalStorage",
    "MediaStorage",
    "ObjectStorage",
    "S3Options",
    "StorageConfigError",
    "StoredObject",
    "open_storage",
]

CHUNK = 256 * 1024
_SAFE_PATH = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$")


class StorageConfigError(ValueError):
    """``PRESSROOM_MEDIA_URL`` (or what goes with it) cannot be used."""


def _checked(path: str) -> str:
    # Every path is made here, but a bug must never reach outside the storage's root.
    if not _SAFE_PATH.match(path) or ".." in path:
        raise ValueError(f"not a storage path: {path!r}")
    return path


@dataclass(frozen=True, slots=True)
class StoredObject:
    path: str
    size: int
    modified: dt.datetime


class MediaStorage(ABC):
    """What media needs from a storage; ``open_storage`` picks the implementation."""

    @abstractmethod
    async def put_file(self, path: str, source: Path) -> None:
        """Store the file at ``source`` under ``path``, replacing what was there."""

    @abstractmethod
    async def put_bytes(self, path: str, data: bytes, *, only_if_absent: bool = False) -> bool:
        """Store ``data``; with ``only_if_absent`` keep an existing object instead (False)."""

    @abstractmethod
    async def size(self, path: str) -> int | None:
        """The object's size in bytes, or None when there is none."""

    async def exists(self, path: str) -> bool:
        return await self.size(path) is not None

    @abstractmethod
    def read(self, path: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        """The bytes ``start`` to ``end`` (exclusive; None: to the end), in chunks.
        FileNotFoundError when the object is missing."""

    @abstractmethod
    def list(self, prefix: str) -> AsyncIterator[StoredObject]:
        """Every object under the folder ``prefix``, in no particular order."""

    @abstractmethod
    async def delete(self, path: str) -> None:
        """Remove the object; nothing happens when it is already gone."""

    @abstractmethod
    async def delete_prefix(self, prefix: str) -> None:
        """Remove every object under the folder ``prefix``."""

    def local_path(self, path: str) -> Path | None:
        """The object as a local file, when it is one (served and read without copying)."""
        return None

    async def download(self, path: str, target: Path) -> None:
        """Copy the object to the local file ``target``, in chunks."""
        async with await anyio.open_file(target, "wb") as out:
            async for chunk in self.read(path):
                await out.write(chunk)

    async def aclose(self) -> None:  # noqa: B027 - most storages hold nothing to close
        """Release what the storage holds (connections)."""

    @property
    @abstractmethod
    def description(self) -> str:
        """Where the bytes go, for logs and errors (no credentials)."""


class LocalStorage(MediaStorage):
    """A folder on this machine (one machine only: other machines cannot see it)."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    @property
    def description(self) -> str:
        return f"folder {self.root}"

    def _file(self, path: str) -> Path:
        return self.root / _checked(path)

    def local_path(self, path: str) -> Path | None:
        return self._file(path)

    def _temporary(self, target: Path) -> Path:
        target.parent.mkdir(parents=True, exist_ok=True)
        return target.parent / f".{target.name}.{secrets.token_hex(6)}.tmp"

    async def put_file(self, path: str, source: Path) -> None:
        target = self._file(path)

        def copy() -> None:
            temporary = self._temporary(target)
            try:
                shutil.copyfile(source, temporary)
                os.replace(temporary, target)  # atomic: readers see old or new, never half
            finally:
                temporary.unlink(missing_ok=True)

        await anyio.to_thread.run_sync(copy)

    async def put_bytes(self, path: str, data: bytes, *, only_if_absent: bool = False) -> bool:
        target = self._file(path)

        def write() -> bool:
            temporary = self._temporary(target)
            try:
                temporary.write_bytes(data)
                if only_if_absent:
                    try:
                        os.link(temporary, target)  # fails when the target exists
                    except FileExistsError:
                        return False
                else:
                    os.replace(temporary, target)
                return True
            finally:
                temporary.unlink(missing_ok=True)

        return await anyio.to_thread.run_sync(write)

    async def size(self, path: str) -> int | None:
        try:
            return (await anyio.Path(self._file(path)).stat()).st_size
        except FileNotFoundError:
            return None

    async def read(self, path: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        async with await anyio.open_file(self._file(path), "rb") as source:
            await source.seek(start)
            remaining = None if end is None else end - start
            while remaining is None or remaining > 0:
                chunk = await source.read(CHUNK if remaining is None else min(CHUNK, remaining))
                if not chunk:
                    return
                if remaining is not None:
                    remaining -= len(chunk)
                yield chunk

    async def list(self, prefix: str) -> AsyncIterator[StoredObject]:
        folder = self._file(prefix)

        def walk() -> list[StoredObject]:
            found = []
            for file in folder.rglob("*"):
                with contextlib.suppress(FileNotFoundError):  # removed meanwhile
                    stat = file.stat()
                    if file.is_file():
                        modified = dt.datetime.fromtimestamp(stat.st_mtime, dt.UTC)
                        path = file.relative_to(self.root).as_posix()
                        found.append(StoredObject(path, stat.st_size, modified))
            return found

        for item in await anyio.to_thread.run_sync(walk):
            yield item

    async def delete(self, path: str) -> None:
        await anyio.Path(self._file(path)).unlink(missing_ok=True)

    async def delete_prefix(self, prefix: str) -> None:
        folder = self._file(prefix)
        await anyio.to_thread.run_sync(lambda: shutil.rmtree(folder, ignore_errors=True))


@dataclass(frozen=True, slots=True)
class S3Options:
    """How to reach the object storage; unset values come from the usual ``AWS_*``
    environment variables (and instance credentials on AWS)."""

    endpoint: str | None = None
    region: str | None = None
    access_key_id: str | None = None
    secret_access_key: str | None = None


class ObjectStorage(MediaStorage):
    """A bucket (and a prefix in it) of S3 or an S3-compatible service, through obstore."""

    def __init__(self, bucket: str, prefix: str, options: S3Options) -> None:
        config: dict[str, str] = {}
        if options.endpoint:
            config["endpoint"] = options.endpoint
        if options.region:
            config["region"] = options.region
        if options.access_key_id:
            config["access_key_id"] = options.access_key_id
        if options.secret_access_key:
            config["secret_access_key"] = options.secret_access_key
        plain_http = bool(options.endpoint and options.endpoint.startswith("http://"))
        self.bucket = bucket
        self.prefix = prefix
        self._endpoint = options.endpoint
        self._conditional = True
        self.store = S3Store(
            bucket,
            prefix=prefix or None,
            # Path-style requests work with every S3-compatible service.
            virtual_hosted_style_request=False,
            client_options={"allow_http": plain_http},
            **config,  # type: ignore[arg-type]
        )

    @property
    def description(self) -> str:
        where = f" at {self._endpoint}" if self._endpoint else ""
        return f"bucket {self.bucket!r}{where}" + (
            f", prefix {self.prefix!r}" if self.prefix else ""
        )

    async def put_file(self, path: str, source: Path) -> None:
        await obstore.put_async(self.store, _checked(path), source)

    async def put_bytes(self, path: str, data: bytes, *, only_if_absent: bool = False) -> bool:
        if only_if_absent and self._conditional:
            try:
                await obstore.put_async(self.store, _checked(path), data, mode="create")
            except AlreadyExistsError:
                return False
            except (NotSupportedError, GenericError):
                # A service without conditional writes: a plain put is still atomic (readers
                # see one whole object), it only cannot tell who was first.
                self._conditional = False
            else:
                return True
        await obstore.put_async(self.store, _checked(path), data)
        return True

    async def size(self, path: str) -> int | None:
        try:
            meta = await obstore.head_async(self.store, _checked(path))
        except FileNotFoundError:
            return None
        return int(meta["size"])

    async def read(self, path: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        options: dict[str, object] = {}
        if end is not None:
            if end <= start:
                return
            options["range"] = (start, end)
        elif start:
            options["range"] = {"offset": start}
        result = await obstore.get_async(self.store, _checked(path), options=options)  # type: ignore[arg-type]
        async for chunk in result.stream(min_chunk_size=CHUNK):
            yield bytes(chunk)

    async def list(self, prefix: str) -> AsyncIterator[StoredObject]:
        async for batch in obstore.list(self.store, prefix=_checked(prefix) + "/"):
            for meta in batch:
                yield StoredObject(meta["path"], int(meta["size"]), meta["last_modified"])

    async def delete(self, path: str) -> None:
        await obstore.delete_async(self.store, _checked(path))

    async def delete_prefix(self, prefix: str) -> None:
        folder = _checked(prefix) + "/"
        async for batch in obstore.list(self.store, prefix=folder, chunk_size=1000):
            paths = [meta["path"] for meta in batch]
            if paths:
                await obstore.delete_async(self.store, paths)


def default_folder(database_url: str) -> Path:
    """Next to the SQLite file (``pressroom.db`` -> ``pressroom-media/``); else
    ``./pressroom-media``."""
    if database_url.startswith("sqlite"):
        database = make_url(database_url).database
        if database and database != ":memory:" and not database.startswith("file:"):
            file = Path(database)
            return file.parent / f"{file.stem}-media"
    return Path("pressroom-media")


def open_storage(
    url: str | None, *, database_url: str, s3: S3Options | None = None
) -> MediaStorage:
    """The storage ``url`` names: none (a folder next to the SQLite file), ``file:///path``
    or ``s3://bucket/prefix``."""
    if not url:
        return LocalStorage(default_folder(database_url))
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "file":
        if parts.netloc not in ("", "localhost"):
            raise StorageConfigError(f"A file URL names a local folder: file:///path; got {url!r}.")
        return LocalStorage(Path(unquote(parts.path)))
    if scheme == "s3":
        if not parts.netloc:
            raise StorageConfigError(f"An S3 URL names a bucket: s3://bucket/prefix; got {url!r}.")
        prefix = parts.path.strip("/")
        if prefix and not _SAFE_PATH.match(prefix):
            raise StorageConfigError(f"The prefix {prefix!r} of the media URL is not usable.")
        return ObjectStorage(parts.netloc, prefix, s3 or S3Options())
    raise StorageConfigError(
        f"The media URL must be file:///path or s3://bucket/prefix; got {url[:80]!r}."
    )
