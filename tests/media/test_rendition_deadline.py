"""A rendition slower to make than the request deadline is made and served on its first
request: the deadline bounds the request's database work, and making a rendition holds no
database connection."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pyvips

from publishing.media.models import MediaAsset
from publishing.media.urls import Fit, ImageFormat
from tests.media.test_renditions import Served, _served

pytestmark = pytest.mark.anyio

DEADLINE = 0.5  # seconds: PRESSROOM_DATABASE_TIMEOUT, every request's deadline


@pytest.fixture
async def served_with_deadline(
    fresh_demo_url: str, local_settings: dict[str, Any]
) -> AsyncIterator[Served]:
    async for each in _served(fresh_demo_url, {**local_settings, "database_timeout": DEADLINE}):
        yield each


def _large_photo() -> bytes:
    """24 megapixels of noise: slow to scale and slower to encode as PNG."""
    noise = pyvips.Image.gaussnoise(6000, 4000, mean=128, sigma=40).cast("uchar")
    image: pyvips.Image = noise.bandjoin([noise.rot180(), noise.flip("horizontal")])
    data: bytes = image.copy(interpretation="srgb").jpegsave_buffer(Q=90)
    return data


async def test_a_first_rendition_slower_than_the_deadline_is_served(
    served_with_deadline: Served,
) -> None:
    served = served_with_deadline
    asset: MediaAsset = await served.upload(_large_photo(), "noise.jpg")
    url = served.url(asset, width=4000, fit=Fit.CONTAIN, image_format=ImageFormat.PNG)

    started = time.monotonic()
    first = await served.api.http.get(url)
    took = time.monotonic() - started
    assert first.status_code == 200, first.text
    assert first.headers["content-type"] == "image/png"
    assert pyvips.Image.new_from_buffer(first.content, "").width == 4000
    # The case this test is about: the rendition took longer than the deadline.
    assert took > DEADLINE, f"made in {took:.2f} s: use a slower rendition"

    # Stored: the next request reads it.
    again = await served.api.http.get(url)
    assert again.status_code == 200
    assert again.content == first.content
