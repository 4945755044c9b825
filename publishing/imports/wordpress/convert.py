"""One WordPress post as Pressroom article fields: no database, so it is easy to test alone."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Final
from urllib.parse import unquote

from bs4 import BeautifulSoup, Tag
from slugify import slugify

from publishing.articles.models import ArticleStatus
from publishing.articles.validation import MAX_SLUG, FootnoteData
from publishing.footnotes.references import NumberingStyle
from publishing.imports.report import ProblemKind
from publishing.imports.wordpress.body import (
    ReferencePlaceholders,
    plain_text,
    title_text,
    wordpress_soup,
)
from publishing.imports.wordpress.citations import read_citation
from publishing.imports.wordpress.findings import Findings
from publishing.imports.wordpress.footnotes import extract_footnotes
from publishing.imports.wordpress.images import place_media
from publishing.imports.wordpress.library import MediaLibrary
from publishing.imports.wordpress.markdown import html_to_markdown
from publishing.imports.wordpress.reader import WxrItem
from publishing.media.models import MediaKind

_TITLE_WORDS: Final = 8

__all__ = ["IMPORTED_STATUSES", "ConvertedPost", "convert_post", "make_slug", "target_status"]

# WordPress status -> ours. "private" posts were readable only by logged-in staff: ARCHIVED
# keeps them, withheld from readers, without calling them unfinished work (DRAFT).
IMPORTED_STATUSES: dict[str, ArticleStatus] = {
    "publish": ArticleStatus.PUBLISHED,
    "future": ArticleStatus.PUBLISHED,  # with its future date: scheduled
    "draft": ArticleStatus.DRAFT,
    "pending": ArticleStatus.DRAFT,
    "private": ArticleStatus.ARCHIVED,
}


@dataclass(frozen=True, slots=True)
class ConvertedPost:
    title: str
    slug: str
    excerpt: str | None
    body: str
    numbering_style: NumberingStyle
    footnotes: list[FootnoteData]
    status: ArticleStatus
    published_at: dt.datetime | None
    problems: list[tuple[ProblemKind, str]] = field(default_factory=list)
    # With media imported: the featured image, and the documents uploaded to the post (its
    # attachments here). None: this run imported no media, so they are left as they are.
    featured_image_id: int | None = None
    attachment_ids: list[int] | None = None


def make_slug(*candidates: str, fallback: str, limit: int = MAX_SLUG) -> str:
    """Our slug form (a-z, 0-9, single hyphens) from the first usable candidate. WordPress
    stores non-Latin slugs percent-encoded; they are decoded and transliterated."""
    for candidate in candidates:
        slug = slugify(unquote(candidate), max_length=limit, word_boundary=True)
        if slug:
            return slug
    return fallback


def target_status(item: WxrItem, now: dt.datetime) -> tuple[ArticleStatus, dt.datetime | None]:
    """Our status and publication date. Password-protected posts were never public: they are
    withheld (archived, with their date), like private ones. An undated post has no date
    here (reported by ``convert_post``): publishing gives it the import's time, once."""
    status = IMPORTED_STATUSES[item.status]
    if status is ArticleStatus.DRAFT:
        return status, None
    if status is ArticleStatus.PUBLISHED and item.password:
        status = ArticleStatus.ARCHIVED
    return status, item.date


def _title(item: WxrItem, soup: BeautifulSoup, findings: Findings) -> str:
    """The post's title; an untitled post is titled by its first words (reported)."""
    title = title_text(item.title, findings)
    if title:
        return title
    words = soup.get_text(" ").split()
    if words:
        title = " ".join(words[:_TITLE_WORDS]) + (" …" if len(words) > _TITLE_WORDS else "")
    else:
        when = f" of {item.date:%Y-%m-%d}" if item.date else ""
        title = f"Untitled post{when}"
    findings.add(ProblemKind.UNTITLED, f"no title in WordPress; titled “{title}”")
    return title


def _featured_image(item: WxrItem, media: MediaLibrary | None, findings: Findings) -> int | None:
    """``_thumbnail_id`` as the asset it became; what stands in the way is reported."""
    thumbnail = item.meta.get("_thumbnail_id", "").strip()
    if not thumbnail:
        return None
    placed = media.attachment(int(thumbnail)) if media and thumbnail.isdigit() else None
    if media is None:
        findings.add(ProblemKind.MEDIA, f"featured image (attachment {thumbnail})")
    elif placed is None:
        findings.add(
            ProblemKind.MEDIA, f"featured image: attachment {thumbnail} is not in the export"
        )
    elif placed.pending:
        media.reported.add(placed.url)
        findings.add(
            ProblemKind.MEDIA,
            f"featured image (attachment {thumbnail}, {placed.url}): {placed.reason}; "
            "tried again on the next import",
        )
    elif placed.asset_id is not None and placed.kind is not MediaKind.IMAGE:
        findings.add(ProblemKind.MEDIA, f"featured image: attachment {thumbnail} is not an image")
    elif placed.asset_id is not None:
        return placed.asset_id
    return None


def _documents(item: WxrItem, media: MediaLibrary) -> list[int]:
    """The documents (not images) uploaded to the post, in WordPress's order: attachments."""
    found: list[int] = []
    for attachment_id in media.gallery(item.post_id):
        placed = media.attachment(attachment_id)
        if placed is None or placed.asset_id is None or placed.asset_id in found:
            continue
        if placed.kind is MediaKind.DOCUMENT:
            found.append(placed.asset_id)
    return found


def _notices(
    item: WxrItem, status: ArticleStatus, media: MediaLibrary | None, findings: Findings
) -> int | None:
    """What the post had in WordPress that its article does not say; the featured image."""
    if item.password and IMPORTED_STATUSES[item.status] is ArticleStatus.PUBLISHED:
        findings.add(
            ProblemKind.WITHHELD,
            "password-protected in WordPress: imported archived, not public",
        )
    if status is not ArticleStatus.DRAFT and item.date is None:
        findings.add(ProblemKind.UNDATED, "no date in the export")
    featured = _featured_image(item, media, findings)
    return featured


def _first_link(note: BeautifulSoup) -> str | None:
    for link in note.find_all("a"):
        href = str(link.get("href", "")) if isinstance(link, Tag) else ""
        if href.startswith(("http://", "https://")):
            return href.strip()
    return None


def _footnotes(
    notes: list[tuple[str, str, str]], language: str, today: dt.date
) -> tuple[list[FootnoteData], list[tuple[ProblemKind, str]]]:
    footnotes: list[FootnoteData] = []
    problems: list[tuple[ProblemKind, str]] = []
    for key, label, note_html in notes:
        soup = BeautifulSoup(note_html, "html.parser")
        text = " ".join(soup.get_text().split())
        content = html_to_markdown(soup) or text
        reading = read_citation(text, link=_first_link(soup), language=language, today=today)
        if reading.problem:
            problems.append(
                (ProblemKind.CITATION_NOT_PARSED, f"note {label}: {reading.problem}: “{text[:90]}”")
            )
        footnotes.append(FootnoteData(key=key, content=content, source=reading.source))
    return footnotes, problems


def convert_post(
    item: WxrItem, *, language: str, now: dt.datetime, media: MediaLibrary | None = None
) -> ConvertedPost:
    """``media``: what the export's files became; None when the run imports no media."""
    findings = Findings()
    soup = wordpress_soup(item.content, findings)
    title = _title(item, soup, findings)
    place_media(soup, media, item.post_id, findings)
    placeholders = ReferencePlaceholders()
    extraction = extract_footnotes(soup, item.meta.get("footnotes"), placeholders.marker)
    body = placeholders.finish(html_to_markdown(soup))
    footnotes, citation_problems = _footnotes(
        [(n.key, n.label, n.html) for n in extraction.notes], language, now.date()
    )
    status, published_at = target_status(item, now)
    featured = _notices(item, status, media, findings)
    return ConvertedPost(
        title=title,
        slug=make_slug(item.slug, title, fallback=f"post-{abs(item.post_id)}"),
        excerpt=plain_text(item.excerpt) or None,
        body=body,
        numbering_style=extraction.style,
        footnotes=footnotes,
        status=status,
        published_at=published_at,
        problems=[*findings.problems(), *extraction.problems, *citation_problems],
        featured_image_id=featured,
        attachment_ids=None if media is None else _documents(item, media),
    )
