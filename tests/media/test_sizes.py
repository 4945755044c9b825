"""A rendition's size is known without making it, and agrees with what is made; srcset lists
the widths an image can really give."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import pyvips

from publishing.media.renditions import render
from publishing.media.responsive import srcset, srcset_attribute
from publishing.media.sizes import rendition_size
from publishing.media.urls import Fit, ImageFormat, parse_rendition, rendition_spec
from tests.media import files

SECRET = b"s" * 32
KEY = "AbCdEfGhIjKlMnOpQrStUv"


def _cases() -> list[tuple[int, int, int | None, int | None, Fit]]:
    rng = random.Random(7)
    cases: list[tuple[int, int, int | None, int | None, Fit]] = [
        (400, 300, 120, 120, Fit.COVER),
        (400, 300, 800, 300, Fit.COVER),
        (400, 300, 300, 400, Fit.COVER),
        (400, 300, 1000, None, Fit.CONTAIN),
        (5000, 20, None, None, Fit.CONTAIN),  # past the longest side allowed
    ]
    for _ in range(40):
        width, height = rng.randint(10, 700), rng.randint(10, 700)
        fit = rng.choice([Fit.COVER, Fit.CONTAIN])
        box_width = rng.choice([None, rng.randint(1, 900)])
        box_height = rng.choice([None, rng.randint(1, 900)])
        if fit is Fit.COVER:
            box_width, box_height = box_width or 50, box_height or 70
        cases.append((width, height, box_width, box_height, fit))
    return cases


@pytest.mark.parametrize(("width", "height", "box_width", "box_height", "fit"), _cases())
def test_the_size_is_what_render_makes(
    tmp_path: Path, width: int, height: int, box_width: int | None, box_height: int | None, fit: Fit
) -> None:
    source = tmp_path / "image.png"
    files.solid(width, height).pngsave(str(source))
    spec = rendition_spec(width=box_width, height=box_height, fit=fit, image_format=ImageFormat.PNG)
    made = pyvips.Image.new_from_buffer(render(source, spec), "")
    assert (made.width, made.height) == rendition_size(width, height, spec)


def test_srcset_lists_the_widths_the_image_gives() -> None:
    candidates = srcset(
        SECRET, KEY, (1000, 500), [320, 640, 1280, 2560], image_format=ImageFormat.WEBP
    )
    assert [(c.width, c.height) for c in candidates] == [(320, 160), (640, 320), (1000, 500)]
    for candidate in candidates:
        _empty, _media, key, signature, name = candidate.url.split("/")
        assert parse_rendition(SECRET, key, signature, name) is not None
    assert srcset_attribute(candidates).endswith(" 1000w")
    assert srcset_attribute(candidates).count("w, ") == 2


def test_srcset_with_an_aspect_crops_every_candidate_alike() -> None:
    candidates = srcset(
        SECRET, KEY, (1000, 500), [400, 800, 1600], aspect=(16, 9), focal_point=(0.7, 0.5)
    )
    assert [(c.width, c.height) for c in candidates] == [(400, 225), (800, 450), (888, 500)]
    assert all("-cover-fp700_500" in c.url for c in candidates)
