"""Rendition URLs: normalised specs, checked arguments, signatures that bind every part."""

from __future__ import annotations

import pytest

from publishing.errors import ValidationFailed
from publishing.media.urls import (
    MAX_SIDE,
    Fit,
    ImageFormat,
    file_url,
    parse_rendition,
    rendition_spec,
    rendition_url,
)

SECRET = b"k" * 32
KEY = "AbCdEfGhIjKlMnOpQrStUv"


def _parts(url: str) -> tuple[str, str, str]:
    _empty, media, key, signature, name = url.split("/")
    assert media == "media"
    return key, signature, name


def test_a_url_names_everything_and_parses_back() -> None:
    spec = rendition_spec(
        width=1200,
        height=630,
        fit=Fit.COVER,
        image_format=ImageFormat.WEBP,
        quality=70,
        focal_point=(0.25, 0.7),
    )
    url = rendition_url(SECRET, KEY, spec)
    key, signature, name = _parts(url)

    assert key == KEY
    assert name == "1200x630-cover-fp250_700-q70.webp"
    assert parse_rendition(SECRET, key, signature, name) == spec


def test_specs_are_normalised() -> None:
    # A cover crop needs a box: with one side it is "contain"; the centre is no focal point;
    # PNG has no quality.
    assert rendition_spec(width=800, fit=Fit.COVER).name == "800x-contain.auto"
    assert rendition_spec(width=8, height=9, focal_point=(0.5, 0.5)).name == "8x9-cover.auto"
    png = rendition_spec(height=300, image_format=ImageFormat.PNG, quality=50)
    assert png.name == "x300-contain.png"
    contained = rendition_spec(width=8, height=9, fit=Fit.CONTAIN, focal_point=(0.1, 0.1))
    assert contained.focal is None


def test_arguments_are_checked() -> None:
    with pytest.raises(ValidationFailed) as caught:
        rendition_spec(width=0, height=MAX_SIDE + 1, quality=101)
    assert [(i.path, i.code) for i in caught.value.issues] == [
        (("width",), "OUT_OF_RANGE"),
        (("height",), "OUT_OF_RANGE"),
        (("quality",), "OUT_OF_RANGE"),
    ]
    with pytest.raises(ValidationFailed) as caught:
        rendition_spec(width=500, allowed_widths=(320, 640, 1280))
    (issue,) = caught.value.issues
    assert (issue.path, issue.code) == (("width",), "NOT_ALLOWED")
    assert "320, 640, 1280" in issue.message
    assert rendition_spec(width=640, allowed_widths=(320, 640)).width == 640


@pytest.mark.parametrize(
    "change",
    [
        lambda k, s, n: (k, s, n.replace("1200x", "2400x")),
        lambda k, s, n: (k, s, n.replace("q70", "q100")),
        lambda k, s, n: (k, s, n.replace("fp250_700", "fp900_700")),
        lambda k, s, n: (k, s, n.replace(".webp", ".png")),
        lambda k, s, n: ("B" + k[1:], s, n),
        lambda k, s, n: (k, s[:-1] + ("A" if s[-1] != "A" else "B"), n),
    ],
)
def test_any_change_breaks_the_signature(change: object) -> None:
    spec = rendition_spec(
        width=1200, height=630, image_format=ImageFormat.WEBP, quality=70, focal_point=(0.25, 0.7)
    )
    key, signature, name = change(*_parts(rendition_url(SECRET, KEY, spec)))  # type: ignore[operator]
    assert parse_rendition(SECRET, key, signature, name) is None


def test_another_installation_key_does_not_verify() -> None:
    key, signature, name = _parts(rendition_url(SECRET, KEY, rendition_spec(width=100)))
    assert parse_rendition(b"other" * 8, key, signature, name) is None


def test_file_urls_quote_the_name() -> None:
    assert file_url(KEY, "Rapor 2025 — Türkiye.pdf") == (
        f"/media/{KEY}/Rapor%202025%20%E2%80%94%20T%C3%BCrkiye.pdf"
    )
