"""The site's own uploads: its attachments, where its upload folders are, and which
attachment an address in a body shows.

WordPress stores an upload once (``_wp_attached_file``, e.g. ``2019/03/photo.jpg``, under the
blog's upload folder) and writes resized copies beside it (``photo-1024x768.jpg``, and from
WordPress 5.3 a ``photo-scaled.jpg`` for very large originals); bodies point at any of them.
Every such address here stands for its attachment, so the original is fetched once. Addresses
are compared by host (without ``www.``) and path, whatever the scheme or query.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any, Final
from urllib.parse import unquote, urlsplit

from publishing.imports.wordpress.phpserial import PhpSerialError, unserialize
from publishing.imports.wordpress.reader import WxrItem

__all__ = [
    "NO_REFERENCES",
    "Attachment",
    "References",
    "Uploads",
    "attachment_of",
    "media_references",
    "url_key",
]

_UPLOADS_FOLDER: Final = "/wp-content/uploads/"
_DATED: Final = re.compile(r"/\d{4}/\d{2}/[^/]+$")
_VARIANT: Final = re.compile(r"-(?:\d{1,5}x\d{1,5}|scaled|rotated)(?=\.[A-Za-z0-9]{1,8}$)")

# What a post's content says about the attachments it shows (read cheaply in the first pass,
# so a re-import knows which uploads a post depends on without converting it).
_ATTACHMENT_IDS: Final = re.compile(
    r"""\bwp-image-(\d+)|\battachment_(\d+)|\bdata-id=["']?(\d+)""", re.IGNORECASE
)
_GALLERY_IDS: Final = re.compile(r"""\bids\s*=\s*["']([\d,\s]+)["']|"ids":\[([^\]]*)\]""")
_IMAGE_SOURCE: Final = re.compile(r"""<img\b[^>]*?\bsrc\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_GALLERY: Final = re.compile(r"\[(?:gallery|tiled-gallery|slideshow)\b|<!-- wp:gallery\b")


def url_key(url: str) -> str | None:
    """``host/path`` of an http(s) address (``www.`` and the scheme left out); None for
    anything else."""
    try:
        parts = urlsplit(html.unescape(url.strip()))
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https", "") or not host:
        return None
    return host.removeprefix("www.") + unquote(parts.path)


def _original(key: str) -> str:
    """The key of the upload a resized copy was made from."""
    return _VARIANT.sub("", key)


@dataclass(frozen=True, slots=True)
class Attachment:
    post_id: int
    url: str  # wp:attachment_url: the file as uploaded
    file: str  # _wp_attached_file: its path under the upload folder ("2019/03/photo.jpg")
    title: str
    alt: str  # _wp_attachment_image_alt
    caption: str  # the attachment's excerpt
    parent: int  # the post it was uploaded to; 0: none
    menu_order: int
    language: str | None
    sizes: tuple[str, ...] = ()  # file names of its resized copies

    @property
    def name(self) -> str:
        return f"attachment {self.post_id}"


def _sizes(metadata: str) -> tuple[str, ...]:
    """File names of the resized copies ``_wp_attachment_metadata`` lists (and the original
    of a scaled-down upload)."""
    if not metadata:
        return ()
    try:
        value: Any = unserialize(metadata)
    except (PhpSerialError, ValueError, UnicodeError):
        return ()
    if not isinstance(value, dict):
        return ()
    names: list[str] = []
    sizes = value.get("sizes")
    if isinstance(sizes, dict):
        for size in sizes.values():
            if isinstance(size, dict) and isinstance(size.get("file"), str):
                names.append(size["file"])
    if isinstance(value.get("original_image"), str):
        names.append(value["original_image"])
    return tuple(names)


def attachment_of(item: WxrItem, language: str | None) -> Attachment:
    meta = item.meta
    return Attachment(
        post_id=item.post_id,
        url=item.attachment_url or item.guid,
        file=meta.get("_wp_attached_file", "").strip().lstrip("/"),
        title=item.title,
        alt=meta.get("_wp_attachment_image_alt", "").strip(),
        caption=item.excerpt.strip(),
        parent=item.parent,
        menu_order=item.menu_order,
        language=language,
        sizes=_sizes(meta.get("_wp_attachment_metadata", "")),
    )


@dataclass(frozen=True, slots=True)
class References:
    """The attachments and addresses of images one post's content names."""

    ids: tuple[int, ...] = ()
    urls: tuple[str, ...] = ()
    gallery: bool = False  # a gallery, which without ids shows the post's own attachments


NO_REFERENCES: Final = References()


def media_references(item: WxrItem) -> References:
    content = item.content
    ids: dict[int, None] = {}
    thumbnail = item.meta.get("_thumbnail_id", "").strip()
    if thumbnail.isdigit():
        ids[int(thumbnail)] = None
    if "<img" not in content and "[" not in content and "wp-image" not in content and not ids:
        return NO_REFERENCES
    for match in _ATTACHMENT_IDS.finditer(content):
        ids[int(next(g for g in match.groups() if g))] = None
    for match in _GALLERY_IDS.finditer(content):
        for part in re.split(r"[,\s\"]+", match.group(1) or match.group(2) or ""):
            if part.isdigit():
                ids[int(part)] = None
    urls = tuple(dict.fromkeys(m.group(1) for m in _IMAGE_SOURCE.finditer(content)))
    gallery = _GALLERY.search(content) is not None
    if not ids and not urls and not gallery:
        return NO_REFERENCES
    return References(tuple(ids), urls, gallery)


@dataclass(slots=True)
class Uploads:
    """The export's attachments, by id and by every address that shows one of them."""

    attachments: dict[int, Attachment] = field(default_factory=dict)
    children: dict[int, list[int]] = field(default_factory=dict)  # post -> its attachments
    _bases: set[str] = field(default_factory=set)  # upload folders' keys, ending in "/"
    _by_key: dict[str, int] = field(default_factory=dict)

    def add_site(self, site_url: str) -> None:
        key = url_key(site_url)
        if key:
            self._bases.add(key.rstrip("/") + "/wp-content/uploads/")

    def add(self, attachment: Attachment) -> None:
        self.attachments[attachment.post_id] = attachment
        if attachment.parent:
            self.children.setdefault(attachment.parent, []).append(attachment.post_id)
        key = url_key(attachment.url)
        if key is None:
            return
        if attachment.file and key.endswith("/" + attachment.file):
            self._bases.add(key[: -len(attachment.file)])
        elif _UPLOADS_FOLDER in key:
            self._bases.add(key.split(_UPLOADS_FOLDER, 1)[0] + _UPLOADS_FOLDER)
        else:
            # No _wp_attached_file (older and WordPress.com exports): the folder above
            # WordPress's year/month folders is the upload folder.
            dated = _DATED.search(key)
            if dated is not None:
                self._bases.add(key[: dated.start() + 1])
        folder = key.rsplit("/", 1)[0]
        for candidate in (key, _original(key), *(f"{folder}/{name}" for name in attachment.sizes)):
            self._by_key.setdefault(candidate, attachment.post_id)

    def gallery_of(self, post_id: int) -> list[int]:
        """A post's own attachments in gallery order (as ``[gallery]`` with no ids shows)."""
        ids = self.children.get(post_id, [])
        return sorted(ids, key=lambda i: (self.attachments[i].menu_order, i))

    def attachment_at(self, url: str) -> int | None:
        """The attachment an address shows (the upload or a resized copy of it)."""
        key = url_key(url)
        if key is None:
            return None
        found = self._by_key.get(key)
        return found if found is not None else self._by_key.get(_original(key))

    def is_own(self, url: str) -> bool:
        """Whether the address is in one of the site's upload folders."""
        key = url_key(url)
        return key is not None and any(key.startswith(base) for base in self._bases)

    def is_site(self, url: str) -> bool:
        """Whether a link goes to the site itself (a page of it, or one of its uploads)."""
        key = url_key(url)
        if key is None:
            return True  # relative: on the site
        host = key.split("/", 1)[0]
        return any(base.split("/", 1)[0] == host for base in self._bases)

    def relative_path(self, url: str, attachment: Attachment | None = None) -> str | None:
        """Where the file is in a copy of the upload folder (``2019/03/photo.jpg``)."""
        if attachment is not None and attachment.file:
            return attachment.file
        key = url_key(url)
        if key is None:
            return None
        for base in sorted(self._bases, key=len, reverse=True):
            if key.startswith(base):
                return key[len(base) :]
        return key.split(_UPLOADS_FOLDER, 1)[1] if _UPLOADS_FOLDER in key else None

    @staticmethod
    def file_name(url: str) -> str:
        key = url_key(url) or ""
        return PurePosixPath(key).name
