"""What the files of an export became (see ``media``), for each post's unit to look up."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from publishing.imports.wordpress.uploads import References, Uploads, url_key
from publishing.media.models import MediaKind

__all__ = ["MediaLibrary", "Placed"]


@dataclass(frozen=True, slots=True)
class Placed:
    """What one file became: an asset, or why not (yet)."""

    url: str
    asset_id: int | None = None
    kind: MediaKind | None = None
    failure: str | None = None  # None with no asset: not tried (a dry run)

    @property
    def reason(self) -> str:
        """The failure, ready to be followed by more of a sentence."""
        return (self.failure or "").rstrip(". ")

    @property
    def pending(self) -> bool:
        return self.asset_id is None and self.failure is not None


class MediaLibrary:
    """The files of this export and what they became, for the posts' units to look up."""

    def __init__(self, uploads: Uploads) -> None:
        self.uploads = uploads
        self.by_attachment: dict[int, Placed] = {}
        self.by_url: dict[str, Placed] = {}  # uploads no attachment describes, by url_key
        # Pending files a post's report lines named; the others get a line of their own.
        self.reported: set[str] = set()

    def unreported(self) -> list[tuple[str, Placed]]:
        """Pending files no post's line named: label and what became of them."""
        found = [(f"attachment {i}", p) for i, p in self.by_attachment.items()]
        found += [(p.url, p) for p in self.by_url.values()]
        return [(label, p) for label, p in found if p.pending and p.url not in self.reported]

    def attachment(self, attachment_id: int) -> Placed | None:
        return self.by_attachment.get(attachment_id)

    def image(self, src: str, attachment_id: int | None = None) -> tuple[str, Placed] | None:
        """What an image at ``src`` (of attachment ``attachment_id``, when its markup says)
        shows, with a label for the report; None when it is not one of the site's uploads."""
        for candidate in (attachment_id, self.uploads.attachment_at(src)):
            if candidate is not None and candidate in self.by_attachment:
                return f"attachment {candidate}", self.by_attachment[candidate]
        key = url_key(src)
        if key is not None and key in self.by_url:
            return src, self.by_url[key]
        return None

    def gallery(self, post_id: int) -> list[int]:
        return self.uploads.gallery_of(post_id)

    def state(self, post_id: int, references: References) -> list[object]:
        """What a post's images became, for its fingerprint: a file taken in since the last
        import changes it, so the post is written again with its images."""
        ids: Iterable[int] = references.ids
        if references.gallery:
            ids = [*ids, *self.gallery(post_id)]
        found: list[object] = []
        for attachment_id in ids:
            placed = self.by_attachment.get(attachment_id)
            found.append(None if placed is None else placed.asset_id)
        for src in references.urls:
            image = self.image(src)
            found.append(None if image is None else image[1].asset_id)
        return found
