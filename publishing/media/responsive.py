"""``srcset``: signed rendition URLs of one image at several widths, each with the width it
really has, so a browser picks the one its layout and screen need."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from publishing.media.sizes import rendition_size
from publishing.media.urls import Fit, ImageFormat, rendition_spec, rendition_url

__all__ = ["Candidate", "srcset", "srcset_attribute"]


@dataclass(frozen=True, slots=True)
class Candidate:
    url: str
    width: int
    height: int


def srcset(
    secret: bytes,
    key: str,
    size: tuple[int, int],
    widths: Sequence[int],
    *,
    aspect: tuple[int, int] | None = None,
    image_format: ImageFormat = ImageFormat.AUTO,
    quality: int | None = None,
    focal_point: tuple[float, float] | None = None,
    allowed_widths: Collection[int] = (),
) -> list[Candidate]:
    """One candidate per width the image (``size``: its width and height) can give without
    enlarging, narrowest first; asked widths past the image's own give one candidate at its
    own width. With ``aspect`` (width, height) each is a cover crop of that shape around the
    focal point, else the whole image. ValidationFailed for widths out of range or not
    allowed (see ``rendition_spec``)."""
    candidates: dict[int, Candidate] = {}
    for asked in sorted(set(widths)):
        height = None if aspect is None else max(1, round(asked * aspect[1] / aspect[0]))
        spec = rendition_spec(
            width=asked,
            height=height,
            fit=Fit.COVER if aspect else Fit.CONTAIN,
            image_format=image_format,
            quality=quality,
            focal_point=focal_point,
            allowed_widths=allowed_widths,
        )
        real_width, real_height = rendition_size(*size, spec)
        if real_width not in candidates:  # widths past the image's own all give its own
            candidates[real_width] = Candidate(
                rendition_url(secret, key, spec), real_width, real_height
            )
    return list(candidates.values())


def srcset_attribute(candidates: Sequence[Candidate]) -> str:
    """The value of an ``<img srcset>``: ``url 320w, url 640w``."""
    return ", ".join(f"{c.url} {c.width}w" for c in candidates)
