"""Both storages keep, read, replace and delete files alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from publishing.media.storage import (
    LocalStorage,
    MediaStorage,
    ObjectStorage,
    StorageConfigError,
    open_storage,
)


async def _read(storage: MediaStorage, path: str, start: int = 0, end: int | None = None) -> bytes:
    return b"".join([chunk async for chunk in storage.read(path, start, end)])


async def test_put_read_and_delete(storage: MediaStorage, tmp_path: Path) -> None:
    source = tmp_path / "source"
    data = bytes(range(256)) * 2_000  # 512,000 bytes: several chunks
    source.write_bytes(data)

    await storage.put_file("originals/abc", source)

    assert await storage.size("originals/abc") == len(data)
    assert await storage.exists("originals/abc")
    assert await _read(storage, "originals/abc") == data
    assert await _read(storage, "originals/abc", 1_000, 1_010) == data[1_000:1_010]
    assert await _read(storage, "originals/abc", 511_990) == data[511_990:]
    copy = tmp_path / "copy"
    await storage.download("originals/abc", copy)
    assert copy.read_bytes() == data

    await storage.delete("originals/abc")
    assert await storage.size("originals/abc") is None
    await storage.delete("originals/abc")  # already gone: nothing happens
    with pytest.raises(FileNotFoundError):
        await _read(storage, "originals/abc")


async def test_put_bytes_only_if_absent_keeps_the_first(storage: MediaStorage) -> None:
    assert await storage.put_bytes("renditions/k/a.webp", b"first", only_if_absent=True)
    assert not await storage.put_bytes("renditions/k/a.webp", b"second", only_if_absent=True)
    assert await _read(storage, "renditions/k/a.webp") == b"first"

    assert await storage.put_bytes("renditions/k/a.webp", b"third")
    assert await _read(storage, "renditions/k/a.webp") == b"third"


async def test_delete_prefix_removes_one_folder(storage: MediaStorage) -> None:
    for name in ("renditions/k1/a.webp", "renditions/k1/b.jpg", "renditions/k10/c.png"):
        await storage.put_bytes(name, b"x")

    await storage.delete_prefix("renditions/k1")

    assert not await storage.exists("renditions/k1/a.webp")
    assert not await storage.exists("renditions/k1/b.jpg")
    assert await storage.exists("renditions/k10/c.png")  # a longer name, not the folder


@pytest.mark.parametrize("path", ["../escape", "/absolute", "a/../../b", "a//b", ""])
async def test_paths_outside_the_storage_are_refused(storage: MediaStorage, path: str) -> None:
    with pytest.raises(ValueError, match="not a storage path"):
        await storage.put_bytes(path, b"x")


def test_storage_urls(tmp_path: Path) -> None:
    beside = open_storage(None, database_url=f"sqlite+aiosqlite:///{tmp_path}/site.db")
    assert isinstance(beside, LocalStorage)
    assert beside.root == (tmp_path / "site-media").resolve()

    folder = open_storage((tmp_path / "files").as_uri(), database_url="sqlite://")
    assert isinstance(folder, LocalStorage)
    assert folder.root == (tmp_path / "files").resolve()

    bucket = open_storage("s3://bucket/some/prefix", database_url="sqlite://")
    assert isinstance(bucket, ObjectStorage)
    assert (bucket.bucket, bucket.prefix) == ("bucket", "some/prefix")

    for bad in ("ftp://host/x", "s3:///no-bucket", "file://otherhost/x", "relative/folder"):
        with pytest.raises(StorageConfigError):
            open_storage(bad, database_url="sqlite://")
