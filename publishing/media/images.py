"""Images on the way in: checked, decoded whole, turned upright, stripped of metadata, and
summed up in a placeholder, with libvips.

Every function here blocks (libvips works outside the GIL): call them in a worker thread.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import blurhash
import pyvips

from publishing.errors import invalid
from publishing.media import sniffing
from publishing.media.sniffing import FileType

__all__ = ["DERIVED_WITH", "PreparedImage", "prepare_image"]

FILE_PATH = sniffing.FILE_PATH
# Names the placeholder method stored with each asset (see MediaAsset.derived_with).
DERIVED_WITH = "blurhash-4x3+dominant-4bit/1"
_PLACEHOLDER_SIDE = 32
_DOMINANT_SIDE = 64
_ANIMATED = {sniffing.GIF.media_type, sniffing.WEBP.media_type}
_LOADERS = {
    sniffing.JPEG.media_type: "jpegload",
    sniffing.PNG.media_type: "pngload",
    sniffing.GIF.media_type: "gifload",
    sniffing.WEBP.media_type: "webpload",
    sniffing.AVIF.media_type: "heifload",
}


@dataclass(frozen=True, slots=True)
class PreparedImage:
    path: Path  # the image to store: upright, sRGB, no EXIF/XMP/IPTC/comments
    width: int
    height: int  # of one frame, for an animation
    placeholder: str
    dominant_color: str


def _load(path: Path, file_type: FileType, **options: object) -> pyvips.Image:
    # The loader for the sniffed type only: libvips never guesses, so no other of its many
    # loaders ever sees uploaded bytes.
    loader = getattr(pyvips.Image, _LOADERS[file_type.media_type])
    return loader(str(path), **options)


def _corrupt(file_type: FileType, error: pyvips.Error) -> None:
    detail = " ".join(str(error).split())[:200]
    invalid(
        FILE_PATH,
        "CORRUPT",
        f"The {file_type.label} image cannot be decoded (truncated or damaged): {detail}",
    )


def _frames(image: pyvips.Image) -> int:
    return image.get("n-pages") if image.get_typeof("n-pages") else 1


def _check_size(image: pyvips.Image, frames: int, max_pixels: int) -> None:
    pixels = image.width * image.height * frames
    if pixels > max_pixels:
        what = f"{image.width:,} x {image.height:,} pixels"
        if frames > 1:
            what += f" x {frames:,} frames"
        invalid(
            FILE_PATH,
            "TOO_MANY_PIXELS",
            f"The image has {what} ({pixels:,}); the limit is {max_pixels:,} pixels.",
        )


def _srgb(image: pyvips.Image) -> pyvips.Image:
    """Colours converted to sRGB, so the profile can go with the rest of the metadata."""
    if image.get_typeof("icc-profile-data"):
        return image.icc_transform("srgb", embedded=True, intent="perceptual")
    if image.interpretation == "cmyk":
        return image.colourspace("srgb")
    return image


def _save(image: pyvips.Image, file_type: FileType, target: Path) -> None:
    # keep="none": no EXIF (GPS positions, camera serials), XMP, IPTC, ICC or comments.
    name = str(target)
    match file_type.media_type:
        case "image/jpeg":
            image.jpegsave(name, Q=90, optimize_coding=True, keep="none")
        case "image/png":
            image.pngsave(name, compression=6, keep="none")
        case "image/gif":
            image.gifsave(name, keep="none")
        case "image/webp":
            image.webpsave(name, Q=90, keep="none")
        case "image/avif":
            image.heifsave(name, Q=70, compression="av1", effort=4, keep="none")
        case _:
            raise AssertionError(file_type.media_type)


def prepare_image(
    source: Path, file_type: FileType, target: Path, *, max_pixels: int
) -> PreparedImage:
    """Check the image at ``source`` and write the version to store at ``target``.

    Refused (ValidationFailed at ``file``): more pixels than ``max_pixels`` (read from the
    header, before anything is decoded), and anything libvips cannot decode to the last
    pixel (truncated or damaged data)."""
    animated = file_type.media_type in _ANIMATED
    try:
        header = _load(source, file_type)
        frames = _frames(header) if animated else 1
    except pyvips.Error as error:
        _corrupt(file_type, error)
        raise AssertionError("unreachable") from error
    _check_size(header, frames, max_pixels)

    try:
        if frames > 1:
            # All frames, one under the other; EXIF orientation does not apply to animations.
            image = _load(source, file_type, n=-1, fail_on="error", access="sequential")
        else:
            image = _load(source, file_type, fail_on="error")
            # Turning needs the whole image; a plain copy streams.
            if image.get_typeof("orientation") and image.get("orientation") not in (0, 1):
                image = image.autorot()
            image = _srgb(image)
        # Saving pulls every pixel through the decoder: this is the full decode.
        _save(image, file_type, target)
    except pyvips.Error as error:
        target.unlink(missing_ok=True)
        _corrupt(file_type, error)
        raise AssertionError("unreachable") from error

    stored = _load(target, file_type)  # the first frame only: its size is the image's
    placeholder, dominant = summarise(target)
    return PreparedImage(target, stored.width, stored.height, placeholder, dominant)


def _pixels(path: Path, side: int) -> tuple[int, int, bytes]:
    """The first frame at most ``side`` pixels wide and high, flattened on white, as 8-bit
    sRGB (width, height, RGB bytes)."""
    thumb = pyvips.Image.thumbnail(str(path), side, height=side, size="down")
    if thumb.hasalpha():
        thumb = thumb.flatten(background=[255, 255, 255])
    thumb = thumb.colourspace("srgb")
    if thumb.bands > 3:
        thumb = thumb.extract_band(0, n=3)
    thumb = thumb.cast("uchar")
    return thumb.width, thumb.height, thumb.write_to_memory()


def summarise(path: Path) -> tuple[str, str]:
    """A BlurHash (4 x 3 components, 3 x 4 for portraits) and the dominant colour."""
    width, height, data = _pixels(path, _PLACEHOLDER_SIDE)
    rows = [
        [tuple(data[(y * width + x) * 3 : (y * width + x) * 3 + 3]) for x in range(width)]
        for y in range(height)
    ]
    x_components, y_components = (4, 3) if width >= height else (3, 4)
    placeholder = blurhash.encode(rows, components_x=x_components, components_y=y_components)
    return placeholder, dominant_color(path)


def dominant_color(path: Path) -> str:
    """The mean colour of the most common of 4,096 colour bins (4 bits a channel), as
    ``#rrggbb``: the colour a reader sees most of, where an average would be muddy."""
    _width, _height, data = _pixels(path, _DOMINANT_SIDE)
    pixels = [tuple(data[i : i + 3]) for i in range(0, len(data), 3)]
    bins = Counter((r >> 4, g >> 4, b >> 4) for r, g, b in pixels)
    top = bins.most_common(1)[0][0]
    members = [p for p in pixels if (p[0] >> 4, p[1] >> 4, p[2] >> 4) == top]
    mean = [round(sum(p[i] for p in members) / len(members)) for i in range(3)]
    return "#{:02x}{:02x}{:02x}".format(*mean)
