"""The size of a rendition, known without making it: for ``<img width height>`` (so pages do
not shift as images arrive) and ``srcset`` descriptors. ``render`` crops with the same
arithmetic; a test holds the two to each other."""

from __future__ import annotations

import math

from publishing.media.urls import MAX_SIDE, Fit, RenditionSpec

__all__ = ["cover_box", "rendition_size"]


def cover_box(width: int, height: int, box_width: int, box_height: int) -> tuple[int, int]:
    """The crop a cover rendition makes of a ``width`` x ``height`` image: the box itself, or,
    when the image is smaller than the box, the largest box of the same shape it holds
    (images are never enlarged)."""
    if box_width <= width and box_height <= height:
        return box_width, box_height
    shrink = min(width / box_width, height / box_height)
    if shrink >= 1:
        return box_width, box_height
    return max(1, math.floor(box_width * shrink)), max(1, math.floor(box_height * shrink))


def rendition_size(width: int, height: int, spec: RenditionSpec) -> tuple[int, int]:
    """What ``render`` makes of a ``width`` x ``height`` image for ``spec``."""
    if spec.fit is Fit.COVER and spec.width and spec.height:
        return cover_box(width, height, spec.width, spec.height)
    box_width = min(spec.width or MAX_SIDE, MAX_SIDE)
    box_height = min(spec.height or MAX_SIDE, MAX_SIDE)
    scale = min(box_width / width, box_height / height)
    if scale >= 1:
        return width, height
    return max(1, round(width * scale)), max(1, round(height * scale))
