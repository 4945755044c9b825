"""Media URLs: the signed address of each rendition, and the address of each stored file.

A rendition URL names everything needed to make it (the asset's key, size, fit, focal point,
format, quality) and carries an HMAC of those, so the server makes only renditions the API
handed out: nobody can order sizes of their own, and no database read is needed to serve one.

    /media/<key>/<signature>/<width>x<height>-<fit>[-fp<x>_<y>]-q<quality>.<format>
    /media/<key>/<file name>                                     (the stored file itself)

Changing the focal point changes the URLs of cover crops, so what a URL shows never changes
and it can be cached for a year.
"""

from __future__ import annotations

import base64
import enum
import hashlib
import hmac
import re
from collections.abc import Collection
from dataclasses import dataclass
from urllib.parse import quote

from publishing.errors import Issues

__all__ = [
    "DEFAULT_QUALITY",
    "MAX_SIDE",
    "Fit",
    "ImageFormat",
    "RenditionSpec",
    "file_url",
    "is_rendition_name",
    "parse_rendition",
    "rendition_spec",
    "rendition_url",
]

PREFIX = "/media"
# The longest side a rendition may have; larger originals are scaled down to it.
MAX_SIDE = 4096
SIGNATURE_BYTES = 16


class Fit(enum.StrEnum):
    COVER = "cover"  # fills width x height, cropped around the focal point
    CONTAIN = "contain"  # fits inside width x height, the whole image shown


class ImageFormat(enum.StrEnum):
    AVIF = "avif"
    WEBP = "webp"
    JPEG = "jpg"
    PNG = "png"
    AUTO = "auto"  # the best the client's Accept header allows: AVIF, WebP, else JPEG

    @property
    def media_type(self) -> str:
        return {"avif": "image/avif", "webp": "image/webp", "jpg": "image/jpeg"}.get(
            self.value, "image/png"
        )


# Per format when the URL names none: each is about the same visual quality.
DEFAULT_QUALITY = {ImageFormat.AVIF: 55, ImageFormat.WEBP: 78, ImageFormat.JPEG: 80}


@dataclass(frozen=True, slots=True)
class RenditionSpec:
    """A rendition, normalised: equal specs give equal URLs (and one stored file)."""

    width: int | None
    height: int | None
    fit: Fit
    format: ImageFormat
    quality: int | None  # None: the format's default (and always None for PNG)
    # Per mille of width and height; only for a cover crop of both width and height.
    focal: tuple[int, int] | None = None

    @property
    def name(self) -> str:
        """The URL's last segment: ``1200x630-cover-fp250_700-q80.webp``."""
        parts = [f"{self.width or ''}x{self.height or ''}", self.fit.value]
        if self.focal is not None:
            parts.append(f"fp{self.focal[0]}_{self.focal[1]}")
        if self.quality is not None:
            parts.append(f"q{self.quality}")
        return "-".join(parts) + "." + self.format.value

    def with_format(self, image_format: ImageFormat) -> RenditionSpec:
        """This spec in a concrete format (for ``auto``): where it is stored."""
        quality = None if image_format is ImageFormat.PNG else self.quality
        return RenditionSpec(self.width, self.height, self.fit, image_format, quality, self.focal)

    def quality_for(self, image_format: ImageFormat) -> int:
        return self.quality or DEFAULT_QUALITY.get(image_format, 80)


_NAME = re.compile(
    r"^(?P<width>[1-9][0-9]{0,4})?x(?P<height>[1-9][0-9]{0,4})?"
    r"-(?P<fit>cover|contain)"
    r"(?:-fp(?P<fx>[0-9]{1,4})_(?P<fy>[0-9]{1,4}))?"
    r"(?:-q(?P<quality>[1-9][0-9]{0,2}))?"
    r"\.(?P<format>avif|webp|jpg|png|auto)$"
)


def rendition_spec(
    *,
    width: int | None = None,
    height: int | None = None,
    fit: Fit = Fit.COVER,
    image_format: ImageFormat = ImageFormat.AUTO,
    quality: int | None = None,
    focal_point: tuple[float, float] | None = None,
    allowed_widths: Collection[int] = (),
) -> RenditionSpec:
    """A checked, normalised spec; ValidationFailed names each bad argument (``width``,
    ``height``, ``quality``). ``allowed_widths``, when not empty, are the only widths
    handed out. ``focal_point`` is the asset's (None: the centre)."""
    issues = Issues()
    for name, value in (("width", width), ("height", height)):
        if value is not None and not 1 <= value <= MAX_SIDE:
            issues.add((name,), "OUT_OF_RANGE", f"{name} is from 1 to {MAX_SIDE}; got {value}.")
    if width is not None and allowed_widths and width not in allowed_widths:
        shown = ", ".join(str(w) for w in sorted(allowed_widths))
        issues.add(("width",), "NOT_ALLOWED", f"Widths offered are {shown}; got {width}.")
    if quality is not None and not 1 <= quality <= 100:
        issues.add(("quality",), "OUT_OF_RANGE", f"quality is from 1 to 100; got {quality}.")
    issues.raise_if_any()
    # A cover crop needs a box; with one side given, it is the same as contain.
    if fit is Fit.COVER and (width is None or height is None):
        fit = Fit.CONTAIN
    focal = None
    if fit is Fit.COVER and focal_point is not None:
        focal = (_per_mille(focal_point[0]), _per_mille(focal_point[1]))
        if focal == (500, 500):
            focal = None
    return RenditionSpec(
        width,
        height,
        fit,
        image_format,
        None if image_format is ImageFormat.PNG else quality,
        focal,
    )


def _per_mille(fraction: float) -> int:
    return min(1000, max(0, round(fraction * 1000)))


def _signature(secret: bytes, key: str, name: str) -> str:
    digest = hmac.new(secret, f"{key}/{name}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:SIGNATURE_BYTES]).decode().rstrip("=")


def rendition_url(secret: bytes, key: str, spec: RenditionSpec) -> str:
    """The signed path of a rendition of the asset with ``key`` (relative to the API's
    origin)."""
    return f"{PREFIX}/{key}/{_signature(secret, key, spec.name)}/{spec.name}"


def file_url(key: str, file_name: str) -> str:
    """The path of the stored file itself (documents; an image's cleaned original)."""
    return f"{PREFIX}/{key}/{quote(file_name, safe='')}"


def is_rendition_name(name: str) -> bool:
    """Whether ``name`` has the form of a rendition's last URL segment (signed or not)."""
    return _NAME.match(name) is not None


def parse_rendition(secret: bytes, key: str, signature: str, name: str) -> RenditionSpec | None:
    """The spec a rendition URL names, or None when the URL is malformed or its signature
    does not match (tampered, or made with another key)."""
    match = _NAME.match(name)
    # Signatures are ASCII (compare_digest refuses any other str): anything else is forged.
    if match is None or not signature.isascii():
        return None
    if not hmac.compare_digest(_signature(secret, key, name), signature):
        return None
    width = int(match["width"]) if match["width"] else None
    height = int(match["height"]) if match["height"] else None
    focal = (int(match["fx"]), int(match["fy"])) if match["fx"] is not None else None
    quality = int(match["quality"]) if match["quality"] else None
    spec = RenditionSpec(
        width, height, Fit(match["fit"]), ImageFormat(match["format"]), quality, focal
    )
    # Signed specs were made by rendition_spec; this only guards against a leaked key.
    if spec.name != name or any(v is not None and v > MAX_SIDE for v in (width, height)):
        return None
    if (quality is not None and quality > 100) or (focal and max(focal) > 1000):
        return None
    return spec
