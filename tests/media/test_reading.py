"""The media library: newest first, page by page, narrowed by filters; texts in one read."""

from __future__ import annotations

from publishing.media.editing import MediaChanges, MediaTextData, update_media
from publishing.media.ingest import ingest
from publishing.media.limits import MediaLimits
from publishing.media.models import MediaAsset, MediaKind
from publishing.media.reading import (
    MediaFilter,
    MediaTextView,
    count_media,
    list_media,
    media_by_id,
    media_by_key,
    texts_by_media,
)
from publishing.media.storage import MediaStorage
from publishing.media.usage import find_usages
from tests.media import files
from tests.media.conftest import CONTRIBUTOR, EDITOR, NOW, chunks_of, session_on


async def _library(url: str, storage: MediaStorage) -> list[MediaAsset]:
    uploads = [
        (EDITOR, files.jpeg(colour=(1, 2, 3)), "Ataturk-Dam.jpg"),
        (CONTRIBUTOR, files.pdf(), "water-report.pdf"),
        (EDITOR, files.png(), "dam_levels_100%.png"),
        (CONTRIBUTOR, files.jpeg(colour=(4, 5, 6)), "portrait.jpg"),
    ]
    assets = []
    for actor, data, name in uploads:
        async with session_on(url) as session:
            done = await ingest(
                session, actor, storage, chunks_of(data), name, now=NOW, limits=MediaLimits()
            )
        assets.append(done.asset)
    return assets


async def test_pages_and_filters(fresh_demo_url: str, local_storage: MediaStorage) -> None:
    jpeg, pdf, png, portrait = await _library(fresh_demo_url, local_storage)
    async with session_on(fresh_demo_url) as session:
        first = await list_media(session, limit=3)
        rest = await list_media(session, limit=3, after=first[-1].id)
        assert [a.id for a in first + rest] == [portrait.id, png.id, pdf.id, jpeg.id]
        assert await count_media(session) == 4

        images = MediaFilter(kinds=(MediaKind.IMAGE,))
        assert [a.id for a in await list_media(session, limit=10, media_filter=images)] == [
            portrait.id,
            png.id,
            jpeg.id,
        ]
        mine = MediaFilter(uploaded_by=CONTRIBUTOR.name, media_types=("image/jpeg",))
        assert [a.id for a in await list_media(session, limit=10, media_filter=mine)] == [
            portrait.id
        ]
        named = MediaFilter(name_contains="DAM")
        assert await count_media(session, named) == 2
        # % and _ are plain characters, not patterns.
        literal = MediaFilter(name_contains="_levels_100%")
        assert [a.id for a in await list_media(session, limit=10, media_filter=literal)] == [png.id]
        assert await count_media(session, MediaFilter(name_contains="%")) == 1

        assert set(await media_by_id(session, [jpeg.id, pdf.id, 999_999])) == {jpeg.id, pdf.id}
        found = await media_by_key(session, png.key)
        assert found is not None and found.id == png.id


async def test_texts_of_many_assets(fresh_demo_url: str, local_storage: MediaStorage) -> None:
    jpeg, pdf, *_ = await _library(fresh_demo_url, local_storage)
    async with session_on(fresh_demo_url) as session:
        await update_media(
            session,
            EDITOR,
            jpeg.id,
            1,
            MediaChanges(
                texts=[MediaTextData("en", alt="A dam"), MediaTextData("ru", caption="Плотина")]
            ),
            usages=find_usages,
            now=NOW,
        )
    async with session_on(fresh_demo_url) as session:
        texts = await texts_by_media(session, [jpeg.id, pdf.id])
    assert texts == {
        jpeg.id: {"en": MediaTextView("A dam", None), "ru": MediaTextView(None, "Плотина")}
    }
