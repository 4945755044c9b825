"""Images of the site's own uploads in a post, as body figures: ``![alt](media:ID "caption")``.

An image counts as the site's when its markup names an attachment (``wp-image-N``, a
gallery's ``data-id``, ``[caption id="attachment_N"]``) or its address is in the site's
upload folders (a resized copy ``photo-1024x768.jpg`` stands for its original). Its caption
comes from ``[caption]`` or the figure's ``figcaption``; its alt text is the image's own
(the asset's, from ``_wp_attachment_image_alt``, fills in when that is empty). A gallery
(``[gallery]``, ``wp:gallery``) becomes its images one after another, each a figure, with
the gallery's caption after them. An image shown from a file that could not be had stays
as it was (at its WordPress address) and is reported. Images of other sites are left alone.
"""

from __future__ import annotations

import re
from typing import Final

from bs4 import BeautifulSoup, Tag
from bs4.element import Comment, NavigableString

from publishing.imports.report import ProblemKind
from publishing.imports.wordpress.body import plain_text
from publishing.imports.wordpress.findings import Findings
from publishing.imports.wordpress.library import MediaLibrary, Placed
from publishing.imports.wordpress.shortcodes import GALLERY_MARK
from publishing.media.figures import SCHEME
from publishing.media.models import MediaKind

__all__ = ["place_media"]

_WP_IMAGE: Final = re.compile(r"wp-image-(\d+)")


def _text(element: Tag | None) -> str:
    return plain_text(element.decode_contents()) if element is not None else ""


def _attachment_id(img: Tag, figure: Tag | None) -> int | None:
    for name in img.get("class") or []:
        match = _WP_IMAGE.fullmatch(str(name))
        if match:
            return int(match.group(1))
    for value in (img.get("data-id"), figure.get("data-attachment-id") if figure else None):
        if isinstance(value, str) and value.isdigit():
            return int(value)
    return None


def _figure_of(img: Tag) -> Tag | None:
    """The figure the image is the picture of (through a link around it), if any."""
    parent = img.parent
    if isinstance(parent, Tag) and parent.name == "a":
        parent = parent.parent
    if isinstance(parent, Tag) and parent.name == "figure" and parent.find("img") is img:
        return parent
    return None


def _stands_alone(element: Tag, paragraph: Tag) -> bool:
    for child in paragraph.children:
        if child is element or isinstance(child, Comment):
            continue
        if isinstance(child, NavigableString) and not child.strip():
            continue
        if isinstance(child, Tag) and child.name == "br":
            continue
        return False
    return True


class _Placing:
    def __init__(
        self, soup: BeautifulSoup, library: MediaLibrary, post_id: int, findings: Findings
    ) -> None:
        self.soup = soup
        self.library = library
        self.post_id = post_id
        self.findings = findings

    def pending(self, label: str, placed: Placed) -> None:
        self.library.reported.add(placed.url)
        where = f" ({placed.url})" if placed.url and placed.url != label else ""
        self.findings.add(
            ProblemKind.MEDIA,
            f"{label}{where}: {placed.reason}; shown from WordPress, tried again on the next "
            "import",
        )

    def figure_element(self, attachment_id: int) -> Tag | None:
        """A gallery item as the figure WordPress shows: the image and its caption."""
        attachment = self.library.uploads.attachments.get(attachment_id)
        if attachment is None:
            self.findings.add(
                ProblemKind.MEDIA, f"gallery: attachment {attachment_id} is not in the export"
            )
            return None
        figure = self.soup.new_tag("figure")
        img = self.soup.new_tag("img", attrs={"src": attachment.url, "alt": attachment.alt})
        img["class"] = f"wp-image-{attachment_id}"
        figure.append(img)
        if attachment.caption.strip():
            caption = self.soup.new_tag("figcaption")
            caption.append(BeautifulSoup(attachment.caption, "html.parser"))
            figure.append(caption)
        return figure

    def gallery_shortcode(self, mark: Tag) -> None:
        self.findings.discard(ProblemKind.MEDIA, str(mark[GALLERY_MARK]))
        ids = [int(i) for i in str(mark.get("data-ids", "")).split(",") if i.isdigit()]
        ids = ids or self.library.gallery(self.post_id)
        figures = [f for f in (self.figure_element(i) for i in ids) if f is not None]
        for figure in figures:
            mark.insert_before(figure)
        mark.decompose()

    def gallery_block(self, gallery: Tag) -> None:
        """``wp:gallery``: its figures (in ``<li>``s up to WordPress 5.8, nested image blocks
        since) one after another, then the gallery's own caption."""
        items = [
            figure
            for figure in gallery.find_all("figure")
            if isinstance(figure, Tag) and figure.find("img") is not None
        ]
        caption = next(
            (c for c in gallery.find_all("figcaption", recursive=False) if isinstance(c, Tag)),
            None,
        )
        for figure in items:
            gallery.insert_before(figure.extract())
        if caption is not None and _text(caption):
            paragraph = self.soup.new_tag("p")
            for child in list(caption.contents):
                paragraph.append(child.extract())
            gallery.insert_before(paragraph)
        gallery.decompose()

    def image(self, img: Tag) -> None:
        figure = _figure_of(img)
        found = self.library.image(str(img.get("src", "")), _attachment_id(img, figure))
        if found is None:
            return  # not the site's own: left as it is
        label, placed = found
        if placed.asset_id is None:
            if placed.pending:
                self.pending(label, placed)
            return
        if placed.kind is not MediaKind.IMAGE:
            self.findings.add(ProblemKind.MEDIA, f"{label} is not an image; shown from WordPress")
            return
        caption = _text(figure.find("figcaption")) if figure is not None else ""
        link = img.parent if isinstance(img.parent, Tag) and img.parent.name == "a" else None
        if link is not None:
            href = str(link.get("href", ""))
            if href and not self.library.uploads.is_site(href):
                self.findings.add(
                    ProblemKind.FLATTENED, f"the link of an image (to {href}) left out"
                )
        attrs = {"src": f"{SCHEME}{placed.asset_id}", "alt": str(img.get("alt", "")).strip()}
        if caption:
            attrs["title"] = caption
        media = self.soup.new_tag("img", attrs=attrs)
        target = figure or link or img
        paragraph = target.parent
        if isinstance(paragraph, Tag) and paragraph.name == "p":
            if _stands_alone(target, paragraph):
                target.replace_with(media)
                return
            # A figure cannot sit in a paragraph: it goes right before the text it was in.
            own = self.soup.new_tag("p")
            own.append(media)
            paragraph.insert_before(own)
            target.decompose()
            return
        own = self.soup.new_tag("p")
        own.append(media)
        target.replace_with(own)


def place_media(
    soup: BeautifulSoup, library: MediaLibrary | None, post_id: int, findings: Findings
) -> None:
    """The post's galleries and images of its own uploads as figures (see the module)."""
    marks = [m for m in soup.find_all(attrs={GALLERY_MARK: True}) if isinstance(m, Tag)]
    if library is None:
        # No media imported in this run: the galleries stay reported (see shortcodes).
        for mark in marks:
            mark.decompose()
        return
    placing = _Placing(soup, library, post_id, findings)
    for mark in marks:
        placing.gallery_shortcode(mark)
    for gallery in soup.find_all("figure", class_="wp-block-gallery"):
        if isinstance(gallery, Tag) and gallery.parent is not None:
            placing.gallery_block(gallery)
    for img in soup.find_all("img"):
        if isinstance(img, Tag) and img.parent is not None:
            placing.image(img)
