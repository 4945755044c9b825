"""Checks an article's fields before anything is written; every problem is reported at once."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from publishing.errors import Issues
from publishing.footnotes.references import KEY_PATTERN, find_references
from publishing.weburls import check_web_url

SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

MAX_SLUG = 200
MAX_TITLE = 300
MAX_SUBTITLE = 500
MAX_EXCERPT = 2_000
MAX_BODY = 200_000
MAX_FOOTNOTES = 500
MAX_FOOTNOTE = 10_000
MAX_SOURCE_TITLE = 500
MAX_PUBLISHER = 300
MAX_URL = 2_000


@dataclass(frozen=True, slots=True)
class SourceData:
    title: str
    publisher: str | None = None
    url: str | None = None
    accessed_on: dt.date | None = None


@dataclass(frozen=True, slots=True)
class FootnoteData:
    key: str
    content: str
    source: SourceData | None = None


def check_slug(issues: Issues, slug: str, path: Sequence[str | int] = ("slug",)) -> None:
    if not slug:
        issues.add(path, "REQUIRED", "A slug is required.")
    elif len(slug) > MAX_SLUG:
        issues.add(path, "TOO_LONG", f"A slug has at most {MAX_SLUG} characters.")
    elif not SLUG_PATTERN.fullmatch(slug):
        issues.add(
            path,
            "INVALID_FORMAT",
            "A slug is lower-case letters a-z, digits and single hyphens between them, "
            f"e.g. 'energy-security-2026'; got {slug[:60]!r}.",
        )


def check_text(
    issues: Issues,
    value: str | None,
    path: Sequence[str | int],
    *,
    limit: int,
    required: bool = False,
    label: str,
) -> None:
    if value is None or not value.strip():
        if required:
            issues.add(path, "REQUIRED", f"{label} is required.")
        return
    if len(value) > limit:
        issues.add(
            path, "TOO_LONG", f"{label} has at most {limit:,} characters; got {len(value):,}."
        )
    check_characters(issues, value, path, label=label)


def check_characters(issues: Issues, value: str, path: Sequence[str | int], *, label: str) -> None:
    # PostgreSQL cannot store U+0000 in text (SQLite can): refused on both, so a text that
    # one store keeps is never refused by the other.
    if "\x00" in value:
        issues.add(
            path,
            "INVALID_CHARACTER",
            f"{label} contains a NUL character (U+0000), which text cannot hold.",
        )


def check_url(issues: Issues, url: str | None, path: Sequence[str | int]) -> None:
    # Stored without surrounding blanks (see editing), so checked without them.
    check_web_url(issues, url.strip() if url else None, path, limit=MAX_URL)


def check_body_and_footnotes(
    issues: Issues,
    body: str,
    footnotes: Sequence[FootnoteData],
    *,
    today: dt.date,
    footnotes_path: Sequence[str | int] = ("footnotes",),
) -> None:
    """Every reference has a footnote, every footnote is referenced, keys are unique."""
    check_characters(issues, body, ("body",), label="The body")
    base = tuple(footnotes_path)
    if len(footnotes) > MAX_FOOTNOTES:
        issues.add(base, "TOO_MANY", f"An article has at most {MAX_FOOTNOTES} footnotes.")
    seen: dict[str, int] = {}
    for index, footnote in enumerate(footnotes):
        path = (*base, index)
        if not KEY_PATTERN.fullmatch(footnote.key):
            issues.add(
                (*path, "key"),
                "INVALID_FORMAT",
                "A footnote key is letters, digits, '_' and '-', starting with a letter or "
                f"digit, at most 64 characters; got {footnote.key[:70]!r}.",
            )
        elif footnote.key in seen:
            issues.add(
                (*path, "key"),
                "DUPLICATE",
                f"Footnote key {footnote.key!r} is already used by footnote {seen[footnote.key]}.",
            )
        else:
            seen[footnote.key] = index
        check_text(
            issues,
            footnote.content,
            (*path, "content"),
            limit=MAX_FOOTNOTE,
            required=True,
            label="A footnote's content",
        )
        if footnote.source is not None:
            check_source(issues, footnote.source, (*path, "source"), today=today)

    referenced: set[str] = set()
    for reference in find_references(body):
        referenced.add(reference.key)
        if reference.key not in seen:
            issues.add(
                ("body",),
                "UNKNOWN_FOOTNOTE",
                f"Line {reference.line}, column {reference.column}: [^{reference.key}] "
                "refers to no footnote; add a footnote with that key or remove the reference.",
            )
    for key, index in seen.items():
        if key not in referenced:
            issues.add(
                (*base, index, "key"),
                "UNREFERENCED",
                f"Footnote {key!r} is never referenced; cite it in the body as [^{key}] "
                "or remove it.",
            )


def check_source(
    issues: Issues, source: SourceData, path: Sequence[str | int], *, today: dt.date
) -> None:
    check_text(
        issues,
        source.title,
        (*path, "title"),
        limit=MAX_SOURCE_TITLE,
        required=True,
        label="A source's title",
    )
    check_text(
        issues, source.publisher, (*path, "publisher"), limit=MAX_PUBLISHER, label="A publisher"
    )
    check_url(issues, source.url, (*path, "url"))
    if source.accessed_on is not None and source.accessed_on > today:
        issues.add(
            (*path, "accessedOn"),
            "IN_FUTURE",
            f"The access date {source.accessed_on.isoformat()} is in the future.",
        )
