"""What an import did: counts, and every problem with the post it is in."""

from __future__ import annotations

import enum
from collections import Counter
from dataclasses import dataclass, field


class ProblemKind(enum.StrEnum):
    MARKER_WITHOUT_NOTE = "marker with no note"
    NOTE_WITHOUT_MARKER = "note with no marker"
    UNKNOWN_AUTHOR = "unknown author"
    CITATION_NOT_PARSED = "citation not parsed"
    VALIDATION_FAILED = "validation failed"
    NOT_IMPORTED = "not imported"  # trash, auto-draft, unknown status, no post id
    WITHHELD = "withheld"  # password-protected in WordPress: imported, not public
    UNTITLED = "untitled"
    UNDATED = "undated"
    NOT_CONVERTED = "not converted"  # shortcodes, dynamic blocks, frames: left out of the body
    FLATTENED = "flattened"  # columns, pages of a post, page hierarchy, title markup
    # A file that could not be had (unreachable, refused: retried by the next import), a
    # playlist; without a media storage, galleries and featured images too.
    MEDIA = "media not imported"
    EDITED_HERE = "edited in Pressroom since the last import"
    SLUG_CHANGED = "slug changed"
    LANGUAGE = "language"
    UNEXPECTED = "unexpected error"


@dataclass(frozen=True, slots=True)
class PostRef:
    """The post a problem is in, as the publisher knows it."""

    post_id: int
    title: str
    guid: str = ""  # for an item the export gave no id

    def __str__(self) -> str:
        name = self.guid or str(self.post_id)
        return f"post {name} “{self.title}”" if self.title else f"post {name}"


@dataclass(frozen=True, slots=True)
class Problem:
    kind: ProblemKind
    detail: str
    post: PostRef | None = None

    def __str__(self) -> str:
        where = f"{self.post}: " if self.post else ""
        return f"{where}{self.kind.value}: {self.detail}"


@dataclass(slots=True)
class ImportReport:
    dry_run: bool = False
    site: str = ""
    posts_seen: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    pages: int = 0  # of the posts seen, WordPress pages
    other_items: Counter[str] = field(default_factory=Counter)  # pages, attachments...
    languages_enabled: list[str] = field(default_factory=list)
    authors_created: int = 0
    authors_updated: int = 0
    authors_matched: int = 0  # an author with the same slug was already here
    tags_created: int = 0
    tags_matched: int = 0
    sections_created: int = 0
    sections_matched: int = 0  # a section with the same slug was already here
    menus_created: int = 0
    menus_updated: int = 0
    menus_unchanged: int = 0
    footnotes: int = 0  # written in this run
    cited: int = 0  # of those, footnotes that cite a source
    sources: set[tuple[object, ...]] = field(default_factory=set)  # distinct cited sources
    # Media (attachments, and uploads bodies show that no attachment describes); None: the
    # run imported no media.
    media_files: int | None = None
    media_here: int = 0  # taken in by an earlier import
    media_taken_in: int = 0
    media_unreachable: int = 0  # pending: could not be had (network, missing from folder)
    media_refused: int = 0  # pending: reached or judged, and refused (address, size, type)
    media_not_tried: int = 0  # a dry run fetches nothing
    problems: list[Problem] = field(default_factory=list)

    def problem(self, kind: ProblemKind, detail: str, post: PostRef | None = None) -> None:
        self.problems.append(Problem(kind, detail, post))

    def count(self, kind: ProblemKind) -> int:
        return sum(1 for p in self.problems if p.kind is kind)

    def _media_line(self) -> str:
        pending = self.media_unreachable + self.media_refused
        line = (
            f"Media: {self.media_files} files, {self.media_taken_in} taken in, "
            f"{self.media_here} already here, {pending} pending "
            f"({self.media_unreachable} unreachable, {self.media_refused} refused)"
        )
        if self.media_not_tried:
            line += f", {self.media_not_tried} not fetched in a dry run"
        return line

    def render(self) -> str:
        """The summary printed at the end of a run."""
        head = "Dry run: nothing was written." if self.dry_run else "Import finished."
        lines = [f"{head} Source: {self.site or 'unknown site'}"]
        lines.append(
            f"Posts: {self.posts_seen} seen, {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.skipped} skipped"
            + (f" ({self.pages} of them pages)" if self.pages else "")
        )
        if self.other_items:
            others = ", ".join(f"{n} {kind}" for kind, n in sorted(self.other_items.items()))
            lines.append(f"Other items not imported: {others}")
        if self.languages_enabled:
            lines.append(f"Languages enabled: {', '.join(self.languages_enabled)}")
        lines.append(
            f"Authors: {self.authors_created} created, {self.authors_updated} updated, "
            f"{self.authors_matched} matched existing"
        )
        lines.append(f"Tags: {self.tags_created} created, {self.tags_matched} matched existing")
        lines.append(
            f"Sections: {self.sections_created} created, {self.sections_matched} matched existing"
        )
        lines.append(
            f"Menus: {self.menus_created} created, {self.menus_updated} updated, "
            f"{self.menus_unchanged} unchanged"
        )
        lines.append(
            f"Footnotes: {self.footnotes} written, {self.cited} citing a source; "
            f"sources: {len(self.sources)} distinct"
        )
        if self.media_files:
            lines.append(self._media_line())
        if not self.problems:
            lines.append("Problems: none")
            return "\n".join(lines)
        tally = Counter(p.kind for p in self.problems)
        summary = ", ".join(f"{n} {kind.value}" for kind, n in tally.most_common())
        lines.append(f"Problems ({len(self.problems)}): {summary}")
        lines.extend(f"  - {problem}" for problem in self.problems)
        return "\n".join(lines)
