"""One WordPress post as Pressroom article fields: no database, so it is easy to test alone."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import unquote

from bs4 import BeautifulSoup, Tag
from slugify import slugify

from publishing.articles.models import ArticleStatus
from publishing.articles.validation import MAX_SLUG, FootnoteData
from publishing.footnotes.references import NumberingStyle
from publishing.imports.report import ProblemKind
from publishing.imports.wordpress.body import (
    ReferencePlaceholders,
    html_to_markdown,
    plain_text,
    wordpress_soup,
)
from publishing.imports.wordpress.citations import read_citation
from publishing.imports.wordpress.footnotes import extract_footnotes
from publishing.imports.wordpress.reader import WxrItem

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


def make_slug(*candidates: str, fallback: str, limit: int = MAX_SLUG) -> str:
    """Our slug form (a-z, 0-9, single hyphens) from the first usable candidate. WordPress
    stores non-Latin slugs percent-encoded; they are decoded and transliterated."""
    for candidate in candidates:
        slug = slugify(unquote(candidate), max_length=limit, word_boundary=True)
        if slug:
            return slug
    return fallback


def target_status(item: WxrItem, now: dt.datetime) -> tuple[ArticleStatus, dt.datetime | None]:
    status = IMPORTED_STATUSES[item.status]
    if status is not ArticleStatus.PUBLISHED:
        return status, None
    return status, item.post_date_gmt or item.post_date or now


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


def convert_post(item: WxrItem, *, language: str, now: dt.datetime) -> ConvertedPost:
    title = plain_text(item.title)
    soup = wordpress_soup(item.content)
    placeholders = ReferencePlaceholders()
    extraction = extract_footnotes(soup, item.meta.get("footnotes"), placeholders.marker)
    body = placeholders.finish(html_to_markdown(soup))
    footnotes, citation_problems = _footnotes(
        [(n.key, n.label, n.html) for n in extraction.notes], language, now.date()
    )
    status, published_at = target_status(item, now)
    return ConvertedPost(
        title=title,
        slug=make_slug(item.slug, title, fallback=f"post-{item.post_id}"),
        excerpt=plain_text(item.excerpt) or None,
        body=body,
        numbering_style=extraction.style,
        footnotes=footnotes,
        status=status,
        published_at=published_at,
        problems=[*extraction.problems, *citation_problems],
    )
