"""Social images as crawlers want them: JPEG cover crops around the focal point, of fixed
shapes, with their real sizes (images are never enlarged)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from publishing.media.models import MediaAsset
from publishing.media.sizes import rendition_size
from publishing.media.urls import Fit, ImageFormat, rendition_spec, rendition_url

__all__ = ["OPEN_GRAPH", "STRUCTURED_DATA_SHAPES", "Crop", "crop"]

# Open Graph's (and X's large card's) recommended image: 1200 x 630.
OPEN_GRAPH = (1200, 630)
# Search engines' structured data asks for wide, 4:3 and square images, each at least
# 1200 pixels wide where the original allows.
STRUCTURED_DATA_SHAPES = ((16, 9), (4, 3), (1, 1))
WIDTH = 1200


@dataclass(frozen=True, slots=True)
class Crop:
    """A signed rendition's path (on the API's origin) and the size it really has."""

    path: str
    width: int
    height: int


def _width(allowed_widths: Collection[int]) -> int:
    # Where the operator limits the widths handed out, the nearest one they allow.
    if not allowed_widths:
        return WIDTH
    return min(allowed_widths, key=lambda w: (abs(w - WIDTH), -w))


def crop(
    asset: MediaAsset,
    secret: bytes,
    shape: tuple[int, int],
    *,
    allowed_widths: Collection[int] = (),
) -> Crop | None:
    """A JPEG cover crop of ``asset`` in ``shape`` (width:height), about 1200 pixels wide;
    None for an asset without dimensions."""
    if not (asset.width and asset.height):
        return None
    width = _width(allowed_widths)
    height = max(1, round(width * shape[1] / shape[0]))
    focal = None
    if asset.focal_x is not None and asset.focal_y is not None:
        focal = (asset.focal_x, asset.focal_y)
    spec = rendition_spec(
        width=width,
        height=height,
        fit=Fit.COVER,
        image_format=ImageFormat.JPEG,
        focal_point=focal,
        allowed_widths=allowed_widths,
    )
    real_width, real_height = rendition_size(asset.width, asset.height, spec)
    return Crop(rendition_url(secret, asset.key, spec), real_width, real_height)
