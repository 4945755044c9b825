"""Changing alt texts, captions, credit and focal point under an expected version; deleting
assets that nothing uses, and their files after commit."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from publishing.access import Actor
from publishing.errors import ConflictError, ForbiddenError, NotFoundError, ValidationFailed
from publishing.media.editing import (
    FocalPoint,
    MediaChanges,
    MediaTextData,
    Usage,
    delete_media,
    get_media,
    no_usages,
    update_media,
)
from publishing.media.ingest import ingest
from publishing.media.limits import MediaLimits
from publishing.media.models import MediaAsset, MediaText, original_path
from publishing.media.renditions import Renditions, remove_files
from publishing.media.storage import MediaStorage
from publishing.media.urls import ImageFormat, rendition_spec
from publishing.media.usage import find_usages
from tests.media import files
from tests.media.conftest import CONTRIBUTOR, EDITOR, NOW, chunks_of, session_on
from tests.support.lookup import rows

LATER = NOW.replace(hour=10)


async def _upload(url: str, storage: MediaStorage, data: bytes, name: str) -> MediaAsset:
    async with session_on(url) as session:
        done = await ingest(
            session, CONTRIBUTOR, storage, chunks_of(data), name, now=NOW, limits=MediaLimits()
        )
    return done.asset


async def _update(
    url: str, asset_id: int, version: int, changes: MediaChanges, actor: Actor = EDITOR
) -> MediaAsset:
    async with session_on(url) as session:
        return await update_media(
            session, actor, asset_id, version, changes, usages=find_usages, now=LATER
        )


async def test_texts_credit_and_focal_point(
    fresh_demo_url: str, local_storage: MediaStorage
) -> None:
    asset = await _upload(fresh_demo_url, local_storage, files.jpeg(), "dam.jpg")

    changed = await _update(
        fresh_demo_url,
        asset.id,
        1,
        MediaChanges(
            texts=[
                MediaTextData("en", alt="The Atatürk Dam at dusk", caption="Water levels fell."),
                MediaTextData("TR", alt="Gün batımında Atatürk Barajı"),
            ],
            credit="  Photo: AP  ",
            focal_point=FocalPoint(0.3, 0.6),
        ),
    )
    assert changed.version == 2 and changed.updated_at == LATER
    assert changed.credit == "Photo: AP"
    assert (changed.focal_x, changed.focal_y) == (0.3, 0.6)
    assert [(t.language, t.alt, t.caption) for t in changed.texts] == [
        ("en", "The Atatürk Dam at dusk", "Water levels fell."),
        ("tr", "Gün batımında Atatürk Barajı", None),
    ]

    # Partial: only the caption in English, the Turkish alt removed (its row goes with it),
    # the focal point back to the centre; the credit stays.
    changed = await _update(
        fresh_demo_url,
        asset.id,
        2,
        MediaChanges(
            texts=[MediaTextData("en", caption="Levels fell 40%."), MediaTextData("tr", alt=None)],
            focal_point=None,
        ),
    )
    assert changed.version == 3 and changed.credit == "Photo: AP"
    assert changed.focal_x is None and changed.focal_y is None
    assert [(t.language, t.alt, t.caption) for t in changed.texts] == [
        ("en", "The Atatürk Dam at dusk", "Levels fell 40%.")
    ]
    assert await rows(fresh_demo_url, select(MediaText.language)) == [("en",)]


async def test_a_stale_version_is_a_conflict(
    fresh_demo_url: str, local_storage: MediaStorage
) -> None:
    asset = await _upload(fresh_demo_url, local_storage, files.jpeg(), "a.jpg")
    await _update(fresh_demo_url, asset.id, 1, MediaChanges(credit="Photo: AP"))

    with pytest.raises(ConflictError) as caught:
        await _update(fresh_demo_url, asset.id, 1, MediaChanges(credit="Photo: Reuters"))
    assert (caught.value.expected, caught.value.current) == (1, 2)
    assert "media asset" in caught.value.message


async def test_every_problem_is_reported_at_once(
    fresh_demo_url: str, local_storage: MediaStorage
) -> None:
    image = await _upload(fresh_demo_url, local_storage, files.jpeg(), "a.jpg")
    with pytest.raises(ValidationFailed) as caught:
        await _update(
            fresh_demo_url,
            image.id,
            1,
            MediaChanges(
                texts=[
                    MediaTextData("xx", alt="?"),
                    MediaTextData("en", alt="a" * 1_001),
                    MediaTextData("en", caption="again"),
                ],
                credit="c" * 301,
                focal_point=FocalPoint(1.5, float("nan")),
            ),
        )
    assert sorted((i.path, i.code) for i in caught.value.issues) == sorted(
        [
            (("texts", 0, "language"), "NOT_ENABLED"),
            (("texts", 1, "alt"), "TOO_LONG"),
            (("texts", 2, "language"), "DUPLICATE"),
            (("credit",), "TOO_LONG"),
            (("focalPoint", "x"), "OUT_OF_RANGE"),
            (("focalPoint", "y"), "OUT_OF_RANGE"),
        ]
    )
    assert (await _get(fresh_demo_url, image.id)).version == 1  # nothing written

    document = await _upload(fresh_demo_url, local_storage, files.pdf(), "r.pdf")
    with pytest.raises(ValidationFailed) as caught:
        await _update(fresh_demo_url, document.id, 1, MediaChanges(focal_point=FocalPoint(0, 0)))
    assert [(i.path, i.code) for i in caught.value.issues] == [(("focalPoint",), "NOT_AN_IMAGE")]


async def _get(url: str, asset_id: int) -> MediaAsset:
    async with session_on(url) as session:
        return await get_media(session, asset_id)


async def test_contributors_change_only_their_own_uploads(
    fresh_demo_url: str, local_storage: MediaStorage
) -> None:
    mine = await _upload(fresh_demo_url, local_storage, files.jpeg(), "mine.jpg")
    changed = await _update(
        fresh_demo_url, mine.id, 1, MediaChanges(credit="Photo: me"), actor=CONTRIBUTOR
    )
    assert changed.credit == "Photo: me"

    async with session_on(fresh_demo_url) as session:
        other = await ingest(
            session,
            EDITOR,
            local_storage,
            chunks_of(files.webp()),
            "x.webp",
            now=NOW,
            limits=MediaLimits(),
        )
    with pytest.raises(ForbiddenError):
        await _update(
            fresh_demo_url, other.asset.id, 1, MediaChanges(credit="x"), actor=CONTRIBUTOR
        )
    with pytest.raises(ForbiddenError):
        async with session_on(fresh_demo_url) as session:
            await delete_media(session, CONTRIBUTOR, mine.id, usages=no_usages, now=LATER)


async def test_delete_is_refused_while_used(
    fresh_demo_url: str, local_storage: MediaStorage
) -> None:
    asset = await _upload(fresh_demo_url, local_storage, files.jpeg(), "used.jpg")

    async def used(_session: AsyncSession, asset_id: int) -> Sequence[Usage]:
        assert asset_id == asset.id
        return [Usage("article", 12, "featuredImage", "Türkiye's gas hub ambition")]

    with pytest.raises(ValidationFailed) as caught:
        async with session_on(fresh_demo_url) as session:
            await delete_media(session, EDITOR, asset.id, usages=used, now=LATER)
    (issue,) = caught.value.issues
    assert (issue.path, issue.code) == (("id",), "IN_USE")
    assert "Türkiye's gas hub ambition" in issue.message and "featuredImage" in issue.message
    assert (await _get(fresh_demo_url, asset.id)).id == asset.id


async def test_delete_removes_the_record_then_the_files(
    fresh_demo_url: str, storage: MediaStorage
) -> None:
    asset = await _upload(fresh_demo_url, storage, files.jpeg(200, 100), "old.jpg")
    await _update(fresh_demo_url, asset.id, 1, MediaChanges(texts=[MediaTextData("en", alt="x")]))
    made = await Renditions(storage).get(
        asset.key, rendition_spec(width=50, image_format=ImageFormat.WEBP)
    )
    assert made is not None

    async with session_on(fresh_demo_url) as session:
        deleted = await delete_media(session, EDITOR, asset.id, usages=no_usages, now=LATER)
    assert deleted.key == asset.key
    assert await rows(fresh_demo_url, select(MediaAsset.id)) == []
    assert await rows(fresh_demo_url, select(MediaText.asset_id)) == []
    assert await storage.exists(original_path(asset.key))  # files go after commit

    await remove_files(storage, deleted.key)
    assert not await storage.exists(original_path(asset.key))
    assert not await storage.exists(made.path)

    with pytest.raises(NotFoundError):
        await _get(fresh_demo_url, asset.id)
