"""The limits media ingest works within, set by the operator (see ``api.settings``)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["MediaLimits"]


@dataclass(frozen=True, slots=True)
class MediaLimits:
    # Largest file taken in, in bytes (uploads and URL fetches alike).
    max_bytes: int = 50 * 1024 * 1024
    # Most pixels an image may have (all frames of an animation together), read from its
    # header before anything is decoded: a small file can declare a huge image.
    max_pixels: int = 50_000_000
    # Seconds a URL fetch may take, redirects and the whole body included.
    fetch_timeout: float = 30.0
    # Whether fetched URLs may point at private, loopback or link-local addresses.
    fetch_allow_private: bool = False
