"""Renditions and stored files served at ``/media/...`` by the real app, from both storages."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
import pyvips

from publishing.clock import SYSTEM_CLOCK
from publishing.media.ingest import ingest
from publishing.media.limits import MediaLimits
from publishing.media.models import MediaAsset
from publishing.media.renditions import rendition_path
from publishing.media.signing import signing_key
from publishing.media.storage import MediaStorage
from publishing.media.urls import Fit, ImageFormat, file_url, rendition_spec, rendition_url
from tests.media import files
from tests.media.conftest import EDITOR, NOW, chunks_of, session_on, storage_from
from tests.support.client import ApiClient, api_client

IMMUTABLE = "public, max-age=31536000, immutable"
SIGNATURES = {
    "avif": b"ftypavif",
    "webp": b"WEBP",
    "jpg": b"\xff\xd8\xff",
    "png": b"\x89PNG",
}


@dataclass
class Served:
    api: ApiClient
    storage: MediaStorage
    secret: bytes
    database_url: str

    async def upload(self, data: bytes, name: str) -> MediaAsset:
        async with session_on(self.database_url) as session:
            done = await ingest(
                session, EDITOR, self.storage, chunks_of(data), name, now=NOW, limits=MediaLimits()
            )
        return done.asset

    def url(self, asset: MediaAsset, **arguments: Any) -> str:
        focal = (asset.focal_x, asset.focal_y) if asset.focal_x is not None else None
        spec = rendition_spec(focal_point=focal, **arguments)  # type: ignore[arg-type]
        return rendition_url(self.secret, asset.key, spec)


async def _served(database_url: str, settings: dict[str, Any]) -> AsyncIterator[Served]:
    storage = storage_from(settings, database_url)
    async with session_on(database_url) as session:
        secret = await signing_key(session, now=SYSTEM_CLOCK.now())
    async with api_client(database_url, **settings) as api:
        yield Served(api, storage, secret, database_url)


@pytest.fixture
async def served(fresh_demo_url: str, storage_settings: dict[str, Any]) -> AsyncIterator[Served]:
    """The app on a private database, with an empty storage of each kind."""
    async for each in _served(fresh_demo_url, storage_settings):
        yield each


@pytest.fixture
async def served_locally(
    fresh_demo_url: str, local_settings: dict[str, Any]
) -> AsyncIterator[Served]:
    async for each in _served(fresh_demo_url, local_settings):
        yield each


def _image(body: bytes) -> pyvips.Image:
    return pyvips.Image.new_from_buffer(body, "")


async def test_a_rendition_is_made_stored_and_cached(served: Served) -> None:
    asset = await served.upload(files.jpeg(400, 300), "photo.jpg")
    url = served.url(asset, width=200, height=100, fit=Fit.COVER, image_format=ImageFormat.WEBP)

    first = await served.api.http.get(url)
    assert first.status_code == 200, first.text
    assert first.headers["content-type"] == "image/webp"
    assert first.headers["cache-control"] == IMMUTABLE
    assert first.headers["x-content-type-options"] == "nosniff"
    etag = first.headers["etag"]
    image = _image(first.content)
    assert (image.width, image.height) == (200, 100)
    spec = rendition_spec(width=200, height=100, image_format=ImageFormat.WEBP)
    assert await served.storage.exists(rendition_path(asset.key, spec))

    again = await served.api.http.get(url)  # from the storage now
    assert again.status_code == 200
    assert again.content == first.content
    assert again.headers["etag"] == etag

    unchanged = await served.api.http.get(url, headers={"If-None-Match": etag})
    assert unchanged.status_code == 304
    assert unchanged.content == b""
    assert unchanged.headers["cache-control"] == IMMUTABLE


@pytest.mark.parametrize("image_format", ["avif", "webp", "jpg", "png"])
@pytest.mark.parametrize(
    ("fit", "width", "height", "expected"),
    [
        (Fit.COVER, 120, 120, (120, 120)),  # filled and cropped
        (Fit.CONTAIN, 120, 120, (120, 90)),  # the whole image inside the box
        (Fit.CONTAIN, 100, None, (100, 75)),  # width only
        (Fit.CONTAIN, None, 60, (80, 60)),  # height only
        (Fit.COVER, 800, 300, (400, 150)),  # never enlarged: the largest box of that shape
    ],
)
async def test_each_fit_and_format(
    served_locally: Served,
    image_format: str,
    fit: Fit,
    width: int | None,
    height: int | None,
    expected: tuple[int, int],
) -> None:
    asset = await served_locally.upload(files.png(400, 300), "chart.png")
    url = served_locally.url(
        asset, width=width, height=height, fit=fit, image_format=ImageFormat(image_format)
    )
    response = await served_locally.api.http.get(url)

    assert response.status_code == 200, response.text
    assert SIGNATURES[image_format] in response.content[:16]
    image = _image(response.content)
    assert (image.width, image.height) == expected
    if image_format == "jpg":
        assert not image.hasalpha()  # flattened on white
    elif image_format == "png":
        assert image.hasalpha()


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("image/avif,image/webp,image/apng,*/*;q=0.8", "image/avif"),
        ("image/webp,*/*", "image/webp"),
        ("image/png,image/*;q=0.8", "image/jpeg"),
        ("", "image/jpeg"),
    ],
)
async def test_auto_format_follows_accept(
    served_locally: Served, accept: str, media_type: str
) -> None:
    asset = await served_locally.upload(files.jpeg(300, 200), "auto.jpg")
    url = served_locally.url(asset, width=150, image_format=ImageFormat.AUTO)
    response = await served_locally.api.http.get(url, headers={"Accept": accept})

    assert response.status_code == 200
    assert response.headers["content-type"] == media_type
    assert response.headers["vary"] == "Accept"
    assert _image(response.content).width == 150


@pytest.mark.parametrize(("focal_x", "colour"), [(0.9, "blue"), (0.1, "red"), (None, "both")])
async def test_a_cover_crop_keeps_the_focal_point(
    served_locally: Served, focal_x: float | None, colour: str
) -> None:
    asset = await served_locally.upload(files.halves(400, 200).pngsave_buffer(), "halves.png")
    if focal_x is not None:
        asset.focal_x, asset.focal_y = focal_x, 0.5
    # A tall crop of a wide image: a fifth of it, around the focal point.
    url = served_locally.url(
        asset, width=40, height=100, fit=Fit.COVER, image_format=ImageFormat.PNG
    )
    image = _image((await served_locally.api.http.get(url)).content)

    assert (image.width, image.height) == (40, 100)
    red, blue = image[0].avg(), image[2].avg()
    if colour == "blue":
        assert blue > 200 and red < 40
    elif colour == "red":
        assert red > 200 and blue < 40
    else:  # centred: the crop straddles the halves
        assert 60 < red < 180 and 60 < blue < 180


async def test_tampered_and_malformed_urls_are_refused(served_locally: Served) -> None:
    asset = await served_locally.upload(files.jpeg(200, 100), "p.jpg")
    url = served_locally.url(asset, width=100, image_format=ImageFormat.WEBP)
    prefix, signature, name = url.rsplit("/", 2)

    bigger = name.replace("100x", "4000x")
    for tampered in (
        f"{prefix}/{signature}/{bigger}",  # another size under the same signature
        f"{prefix}/{signature[:-2]}AA/{name}",  # a changed signature
        f"/media/{'x' * 22}/{signature}/{name}",  # another asset's key
        f"{prefix}/{signature}/{name.replace('.webp', '.png')}",
        f"{prefix}/{signature[:-1]}%C3%A9/{name}",  # not ASCII: no signature of ours
        f"/media/{'x' * 21}%00/{signature}/{name}",  # a NUL in the key
    ):
        response = await served_locally.api.http.get(tampered)
        assert response.status_code == 403, tampered
    # A NUL or a lone surrogate's bytes in a stored file's key: no such file, on both stores.
    for missing in ("/media/a%00b/p.jpg", "/media/%ED%A0%80/p.jpg"):
        assert (await served_locally.api.http.get(missing)).status_code == 404, missing
    for malformed in (f"{prefix}/{signature}/big.webp", f"{prefix}/{signature}/100x-fill.gif"):
        assert (await served_locally.api.http.get(malformed)).status_code == 404
    assert not any(served_locally.storage.local_path("renditions").rglob("*4000x*"))  # type: ignore[union-attr]


async def test_concurrent_first_requests_make_one_rendition(served_locally: Served) -> None:
    asset = await served_locally.upload(files.jpeg(600, 400), "busy.jpg")
    url = served_locally.url(asset, width=300, image_format=ImageFormat.JPEG)

    responses = await asyncio.gather(*(served_locally.api.http.get(url) for _ in range(6)))

    assert {r.status_code for r in responses} == {200}
    assert len({r.content for r in responses}) == 1
    folder = served_locally.storage.local_path(f"renditions/{asset.key}")
    assert folder is not None
    assert [p.name for p in folder.iterdir()] == ["300x-contain.jpg"]  # no temporary left


async def test_a_deleted_original_gives_404(served_locally: Served) -> None:
    asset = await served_locally.upload(files.jpeg(200, 100), "gone.jpg")
    await served_locally.storage.delete(f"originals/{asset.key}")
    response = await served_locally.api.http.get(served_locally.url(asset, width=50))
    assert response.status_code == 404


async def test_documents_are_served_as_uploaded(served: Served) -> None:
    data = files.pdf()
    asset = await served.upload(data, 'Report "final" 2025 — Türkiye.pdf')

    response = await served.api.http.get(file_url(asset.key, asset.file_name))

    assert response.status_code == 200, response.text
    assert response.content == data
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == IMMUTABLE
    disposition = response.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="Report _final_ 2025 Turkiye.pdf";')
    assert (
        "filename*=UTF-8''Report%20%22final%22%202025%20%E2%80%94%20T%C3%BCrkiye.pdf" in disposition
    )
    assert "\n" not in disposition and "\r" not in disposition

    cached = await served.api.http.get(
        file_url(asset.key, asset.file_name), headers={"If-None-Match": response.headers["etag"]}
    )
    assert cached.status_code == 304

    for wrong in (file_url(asset.key, "other.pdf"), file_url("y" * 22, asset.file_name)):
        assert (await served.api.http.get(wrong)).status_code == 404


async def test_an_image_original_is_shown_inline(served_locally: Served) -> None:
    asset = await served_locally.upload(files.jpeg_with_gps(), "field.jpg")
    response = await served_locally.api.http.get(file_url(asset.key, asset.file_name))
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith("inline;")
    assert b"GPS" not in response.content


async def test_the_signing_key_is_the_installations(
    served_locally: Served, fresh_demo_url: str, local_settings: dict[str, Any]
) -> None:
    asset = await served_locally.upload(files.jpeg(200, 100), "k.jpg")
    url = served_locally.url(asset, width=64)
    # Another process of the installation (same database) accepts the same URL.
    async with api_client(fresh_demo_url, **local_settings) as other:
        assert (await other.http.get(url)).status_code == 200


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [("bytes=10-19", 10, 20), ("bytes=-8", -8, None), ("bytes=100-", 100, None)],
)
async def test_a_document_can_be_read_in_part(
    served: Served, header: str, start: int, end: int | None
) -> None:
    data = files.pdf()
    asset = await served.upload(data, "parts.pdf")
    response = await served.api.http.get(
        file_url(asset.key, asset.file_name), headers={"Range": header}
    )
    first = start % len(data)
    last = (end or len(data)) - 1
    assert response.status_code == 206
    assert response.content == data[first : last + 1]
    assert response.headers["content-range"] == f"bytes {first}-{last}/{len(data)}"
