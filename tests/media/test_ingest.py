"""Uploads: what is accepted, what is refused (each with its code, at ``file``), dedupe by
hash, and metadata stripped from stored images."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import obstore
import pytest
import pyvips
from sqlalchemy import func, select

from publishing.db import create_engine, create_sessionmaker
from publishing.errors import ValidationFailed
from publishing.media.ingest import Ingested, ingest
from publishing.media.limits import MediaLimits
from publishing.media.models import MediaAsset, MediaKind, original_path
from publishing.media.storage import MediaStorage, ObjectStorage
from tests.media import files
from tests.media.conftest import CONTRIBUTOR, EDITOR, NOW, chunks_of, session_on

LIMITS = MediaLimits()
pytestmark = pytest.mark.anyio


async def _ingest(
    url: str,
    storage: MediaStorage,
    data: bytes,
    name: str,
    *,
    limits: MediaLimits = LIMITS,
) -> Ingested:
    async with session_on(url) as session:
        return await ingest(session, EDITOR, storage, chunks_of(data), name, now=NOW, limits=limits)


async def _stored(storage: MediaStorage, asset: MediaAsset) -> bytes:
    return b"".join([chunk async for chunk in storage.read(original_path(asset.key))])


async def _count(url: str) -> int:
    async with session_on(url) as session:
        return await session.scalar(select(func.count(MediaAsset.id))) or 0


@pytest.mark.parametrize(
    ("data", "name", "media_type", "size"),
    [
        (files.jpeg(64, 48), "photo.jpg", "image/jpeg", (64, 48)),
        (files.png(64, 48), "chart.PNG", "image/png", (64, 48)),
        (files.webp(64, 48), "map.webp", "image/webp", (64, 48)),
        (files.gif(40, 30), "loop.gif", "image/gif", (40, 30)),
    ],
)
async def test_images_are_taken_in(
    fresh_demo_url: str,
    local_storage: MediaStorage,
    data: bytes,
    name: str,
    media_type: str,
    size: tuple[int, int],
) -> None:
    asset = (await _ingest(fresh_demo_url, local_storage, data, name)).asset

    assert asset.kind is MediaKind.IMAGE
    assert asset.media_type == media_type
    assert (asset.width, asset.height) == size
    assert asset.file_name == name
    assert asset.uploaded_by == "editor-token"
    assert asset.created_at == NOW and asset.version == 1
    assert asset.placeholder and len(asset.placeholder) >= 20  # a BlurHash
    assert asset.dominant_color is not None and asset.dominant_color.startswith("#")
    stored = await _stored(local_storage, asset)
    assert asset.byte_size == len(stored)
    decoded = pyvips.Image.new_from_buffer(stored, "")
    assert decoded.width == size[0]


async def test_an_animation_keeps_its_frames(
    fresh_demo_url: str, local_storage: MediaStorage
) -> None:
    asset = (await _ingest(fresh_demo_url, local_storage, files.gif(frames=3), "a.gif")).asset
    stored = pyvips.Image.new_from_buffer(await _stored(local_storage, asset), "", n=-1)
    assert stored.get("n-pages") == 3


async def test_dominant_colour(fresh_demo_url: str, local_storage: MediaStorage) -> None:
    asset = (
        await _ingest(fresh_demo_url, local_storage, files.jpeg(colour=files.BLUE), "b.jpg")
    ).asset
    red, green, blue = (int(asset.dominant_color[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[index]
    assert blue > 180 and red < 60 and green < 60


@pytest.mark.parametrize(
    ("data", "name", "kind", "media_type", "stored_name"),
    [
        (files.pdf(), "Annual report 2025.pdf", MediaKind.DOCUMENT, "application/pdf", None),
        (
            files.office("word/document.xml"),
            "brief.docx",
            MediaKind.DOCUMENT,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            None,
        ),
        (
            files.office("xl/workbook.xml"),
            "data.xlsx",
            MediaKind.DOCUMENT,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            None,
        ),
        (
            b"year,tonnes\n2024,5\n2025,7\n",
            "exports.csv",
            MediaKind.DOCUMENT,
            "text/csv",
            None,
        ),
        # No extension: the type's is added; folders and control characters go.
        (
            files.pdf(),
            "C:\\Users\\me\\report\x07",
            MediaKind.DOCUMENT,
            "application/pdf",
            "report.pdf",
        ),
    ],
)
async def test_documents_are_stored_as_uploaded(
    fresh_demo_url: str,
    local_storage: MediaStorage,
    data: bytes,
    name: str,
    kind: MediaKind,
    media_type: str,
    stored_name: str | None,
) -> None:
    asset = (await _ingest(fresh_demo_url, local_storage, data, name)).asset

    assert (asset.kind, asset.media_type) == (kind, media_type)
    assert asset.file_name == (stored_name or name)
    assert asset.width is None and asset.placeholder is None
    assert await _stored(local_storage, asset) == data
    assert asset.byte_size == len(data)


async def test_the_same_bytes_give_the_same_asset(
    fresh_demo_url: str, storage: MediaStorage
) -> None:
    data = files.jpeg(32, 32)
    first = await _ingest(fresh_demo_url, storage, data, "one.jpg")
    again = await _ingest(fresh_demo_url, storage, data, "two.jpeg")

    assert first.created and not again.created
    assert again.asset.id == first.asset.id
    assert again.asset.file_name == "one.jpg"
    assert await _count(fresh_demo_url) == 1
    assert await storage.exists(original_path(first.asset.key))


async def test_contributors_may_upload(fresh_demo_url: str, local_storage: MediaStorage) -> None:
    async with session_on(fresh_demo_url) as session:
        done = await ingest(
            session,
            CONTRIBUTOR,
            local_storage,
            chunks_of(files.pdf()),
            "r.pdf",
            now=NOW,
            limits=LIMITS,
        )
    assert done.asset.uploaded_by == "contributor-token"


async def test_gps_and_other_metadata_are_stripped_after_turning_upright(
    fresh_demo_url: str, storage: MediaStorage
) -> None:
    upload = files.jpeg_with_gps(80, 40, orientation=6)
    source = pyvips.Image.new_from_buffer(upload, "")
    assert source.get_typeof("exif-ifd3-GPSLatitude") and source.get_typeof("xmp-data")

    asset = (await _ingest(fresh_demo_url, storage, upload, "source.jpg")).asset
    stored = await _stored(storage, asset)
    image = pyvips.Image.new_from_buffer(stored, "")

    for field in image.get_fields():
        assert not field.startswith(("exif", "xmp", "iptc", "icc")), field
    assert b"Exif" not in stored and b"GPS" not in stored and b"xmpmeta" not in stored
    # Turned as EXIF said: 80 x 40 stored sideways shows as 40 x 80, red on top.
    assert (image.width, image.height) == (40, 80) == (asset.width, asset.height)
    top, bottom = image.crop(0, 0, 40, 20), image.crop(0, 60, 40, 20)
    assert top[0].avg() > 150 and top[2].avg() < 100  # red at the top
    assert bottom[2].avg() > 150 and bottom[0].avg() < 100  # blue at the bottom


async def _refusal(
    url: str,
    storage: MediaStorage,
    data: bytes,
    name: str,
    *,
    limits: MediaLimits = LIMITS,
) -> tuple[str, tuple[str | int, ...], str]:
    with pytest.raises(ValidationFailed) as caught:
        await _ingest(url, storage, data, name, limits=limits)
    (issue,) = caught.value.issues
    return issue.code, issue.path, issue.message


@pytest.mark.parametrize(
    ("data", "name", "code", "words"),
    [
        (files.SVG, "logo.svg", "UNSUPPORTED_TYPE", "SVG"),
        (files.HEIC, "phone.heic", "UNSUPPORTED_TYPE", "HEIC"),
        (b"MZ\x90\x00" + b"\x00" * 200, "setup.exe", "UNSUPPORTED_TYPE", "not accepted"),
        (b"plain words, not a table", "notes.txt", "UNSUPPORTED_TYPE", "not accepted"),
        (b"\xff\xfe\x00\x00binary", "table.csv", "UNSUPPORTED_TYPE", "not accepted"),
        (files.office("word/document.xml", macros=True), "m.docx", "UNSUPPORTED_TYPE", "macros"),
        (files.office("other/part.xml"), "archive.zip", "UNSUPPORTED_TYPE", "ZIP"),
        (b"PK\x03\x04" + b"\x00" * 100, "broken.docx", "CORRUPT", "ZIP"),
        (files.jpeg(), "photo.png", "TYPE_MISMATCH", "JPEG"),
        (files.pdf(), "report.jpg", "TYPE_MISMATCH", "PDF"),
        (files.png(), "chart.php", "TYPE_MISMATCH", "PNG"),
        (files.jpeg(640, 480)[:1500], "cut.jpg", "CORRUPT", "truncated"),
        (files.png(64, 48)[:-40], "cut.png", "CORRUPT", "decoded"),
        (b"", "empty.pdf", "EMPTY", "empty"),
    ],
)
async def test_refusals(
    fresh_demo_url: str,
    local_storage: MediaStorage,
    data: bytes,
    name: str,
    code: str,
    words: str,
) -> None:
    found = await _refusal(fresh_demo_url, local_storage, data, name)

    assert found[:2] == (code, ("file",)), found
    assert words in found[2]
    assert await _count(fresh_demo_url) == 0
    originals = local_storage.local_path("originals")
    assert originals is None or not originals.exists() or not any(originals.iterdir())


async def test_too_large_is_refused_while_streaming(
    fresh_demo_url: str, local_storage: MediaStorage
) -> None:
    read: list[int] = []

    async def endless() -> object:
        for index in range(1_000):
            read.append(index)
            yield b"\x00" * 10_000

    async with session_on(fresh_demo_url) as session:
        with pytest.raises(ValidationFailed) as caught:
            await ingest(
                session,
                EDITOR,
                local_storage,
                endless(),  # type: ignore[arg-type]
                "big.pdf",
                now=NOW,
                limits=MediaLimits(max_bytes=50_000),
            )
    (issue,) = caught.value.issues
    assert (issue.code, issue.path) == ("TOO_LARGE", ("file",))
    assert len(read) == 6  # stopped at the chunk that passed the limit


async def test_too_many_pixels_is_refused_from_the_header(
    fresh_demo_url: str, local_storage: MediaStorage
) -> None:
    # 100,000 x 100,000 declared in 100 bytes: decoding it would fail as corrupt, so the
    # code shows the header was checked first.
    bomb = files.png_declaring(100_000, 100_000)
    code, path, message = await _refusal(fresh_demo_url, local_storage, bomb, "bomb.png")
    assert (code, path) == ("TOO_MANY_PIXELS", ("file",))
    assert "10,000,000,000" in message

    small_limit = MediaLimits(max_pixels=1_000)
    code, _path, _ = await _refusal(
        fresh_demo_url, local_storage, files.jpeg(40, 30), "p.jpg", limits=small_limit
    )
    assert code == "TOO_MANY_PIXELS"
    # An animation counts every frame: 3 x 20 x 20 = 1,200.
    code, _path, message = await _refusal(
        fresh_demo_url, local_storage, files.gif(20, 20, frames=3), "a.gif", limits=small_limit
    )
    assert code == "TOO_MANY_PIXELS" and "3 frames" in message


async def test_uploads_leave_no_temporary_files(
    fresh_demo_url: str,
    local_storage: MediaStorage,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    await _ingest(fresh_demo_url, local_storage, files.jpeg(), "ok.jpg")
    await _refusal(fresh_demo_url, local_storage, files.jpeg()[:300], "bad.jpg")
    assert list((tmp_path / "tmp").iterdir()) == []


async def test_names_are_cleaned_before_they_are_checked(
    fresh_demo_url: str, local_storage: MediaStorage
) -> None:
    asset = (
        await _ingest(fresh_demo_url, local_storage, files.jpeg(), "  ../Dam\tat dusk.JPG ")
    ).asset
    assert asset.file_name == "Dam at dusk.JPG"


async def test_two_writers_with_the_same_bytes_make_one_asset(
    fresh_demo_url: str, storage: MediaStorage
) -> None:
    data = files.jpeg(300, 200)
    # Writers as mutations run them: SQLite transactions take the write lock when they begin.
    engine = create_engine(fresh_demo_url, for_writes=True)
    try:

        async def upload(name: str) -> Ingested:
            async with create_sessionmaker(engine)() as session, session.begin():
                return await ingest(
                    session, EDITOR, storage, chunks_of(data), name, now=NOW, limits=LIMITS
                )

        first, second = await asyncio.gather(upload("a.jpg"), upload("b.jpg"))
    finally:
        await engine.dispose()

    assert sorted([first.created, second.created]) == [False, True]
    assert first.asset.id == second.asset.id
    assert await _count(fresh_demo_url) == 1
    stored = [p async for p in _originals(storage)]
    assert stored == [original_path(first.asset.key)]


async def _originals(storage: MediaStorage) -> AsyncIterator[str]:
    local = storage.local_path("originals")
    if local is not None:
        for path in sorted(local.iterdir()):
            yield f"originals/{path.name}"
        return
    assert isinstance(storage, ObjectStorage)
    async for batch in obstore.list(storage.store, prefix="originals/"):
        for meta in batch:
            yield meta["path"]
