"""What an article contributes to the index: plain text in four weighted parts."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

# Marks the matched words in snippets until they are escaped and turned into <mark>; taken
# from the Private Use Area and removed from indexed text, so no article can forge one.
MARK_START: Final = "\ue000"
MARK_END: Final = "\ue001"

_REFERENCE: Final = re.compile(r"\[\^[A-Za-z0-9][A-Za-z0-9_-]*\]")
_MARKS: Final = re.compile(f"[{MARK_START}{MARK_END}]")
_SPACES: Final = re.compile(r"[ \t]+")

# Markdown syntax to take away, leaving the words. Lines are judged by how they start (cheap
# string tests first: this runs over whole archives), inline syntax by a few expressions.
_FENCE: Final = ("```", "~~~")
_LINK_DEFINITION: Final = re.compile(r"\[[^\]]+\]:\s")
_BREAK_OR_TABLE_RULE: Final = re.compile(r"[-*_:| \t]+")
_HEADING: Final = re.compile(r"#{1,6}(?:[ \t]+|$)")
_CLOSING_HASHES: Final = re.compile(r"[ \t]+#+[ \t]*$")
_QUOTE: Final = re.compile(r"(?:>[ \t]?)+")
_LIST_ITEM: Final = re.compile(r"(?:[-*+]|\d{1,9}[.)])[ \t]+")
_LINK: Final = re.compile(r"!?\[([^\]]*)\]\((?:[^()\s]|\([^()]*\))*(?:\s+\"[^\"]*\")?\)")
_REFERENCE_LINK: Final = re.compile(r"!?\[([^\]]+)\]\[[^\]]*\]")
_AUTOLINK: Final = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
# Emphasis: asterisks anywhere, underscores only at word edges (CommonMark keeps snake_case).
_STARS: Final = re.compile(r"(\*{1,3}|~~)(?=\S)(.+?)(?<=\S)\1")
_UNDERSCORES: Final = re.compile(r"(?<![\w\\])(_{1,3})(?=\S)(.+?)(?<=\S)\1(?!\w)")
_ESCAPED: Final = re.compile(r"\\([!-/:-@\[-`{-~])")
# Where escaped ASCII punctuation waits meanwhile: Private Use Area code points.
_HIDDEN: Final = 0xF0000
_HIDDEN_CHARACTERS: Final = re.compile("[\U000f0021-\U000f007e]")


def _without(pattern: re.Pattern[str], text: str) -> str:
    match = pattern.match(text)
    return text[match.end() :] if match else text


def _line_text(line: str, after_break: bool) -> str | None:
    """The line without its block syntax; None for a line that is only syntax.

    ``after_break``: the line may open a block, so "2." starts a numbered list item; inside a
    paragraph, "1990." at the start of a line is a year."""
    stripped = line.strip()
    if not stripped:
        return None
    first = stripped[0]
    if stripped.startswith(_FENCE) or (first == "[" and _LINK_DEFINITION.match(stripped)):
        return None
    if first in "-*_|:" and _BREAK_OR_TABLE_RULE.fullmatch(stripped):
        return None
    if first == "#":
        stripped = _CLOSING_HASHES.sub("", _without(_HEADING, stripped))
    elif first == ">":
        stripped = _without(_QUOTE, stripped)
    if stripped[:1] in "-*+" or (after_break and stripped[:1].isdigit()):
        stripped = _without(_LIST_ITEM, stripped)
    if "|" in stripped:
        stripped = " ".join(cell.strip() for cell in stripped.strip("|").split("|"))
    return stripped


def _hide_escaped(match: re.Match[str]) -> str:
    # Escaped punctuation is text, never syntax: out of the way of the expressions below.
    return chr(_HIDDEN + ord(match.group(1)))


def _inline_text(text: str) -> str:
    escaped = "\\" in text
    if escaped:
        text = _ESCAPED.sub(_hide_escaped, text)
    if "[" in text:
        text = _REFERENCE.sub("", text)
        text = _LINK.sub(r"\1", text)
        text = _REFERENCE_LINK.sub(r"\1", text)
    if "<" in text:
        text = _AUTOLINK.sub(r"\1", text)
    for _ in range(2):  # nested emphasis: ***both*** or **strong _and em_**
        if "*" in text or "~" in text:
            text = _STARS.sub(r"\2", text)
        if "_" in text:
            text = _UNDERSCORES.sub(r"\2", text)
    if "`" in text:
        text = text.replace("`", "")
    if escaped:
        text = _HIDDEN_CHARACTERS.sub(lambda m: chr(ord(m.group()) - _HIDDEN), text)
    if "&" in text:
        text = html.unescape(text)
    return text


@dataclass(frozen=True, slots=True)
class SearchText:
    title: str
    lead: str  # subtitle and excerpt
    body: str
    notes: str  # footnotes, with the title and publisher of their sources


@dataclass(frozen=True, slots=True)
class NoteText:
    content: str  # Markdown
    source_title: str | None = None
    source_publisher: str | None = None


def markdown_text(markdown: str) -> str:
    """The words of a Markdown text, without its syntax or footnote markers.

    An approximation of rendering, several times faster than parsing, which matters when a
    whole archive is indexed; exact enough for matching words and quoting them in snippets."""
    kept: list[str] = []
    blank, in_list = True, False
    for line in markdown.splitlines():
        stripped = line.strip()
        # In a list, a number opens an item at the list's margin; indented, only "1." can
        # (a sub-list): anything else continues the item's paragraph.
        margin = len(line) - len(line.lstrip()) < 2 or stripped.startswith(("1.", "1)"))
        text = _line_text(line, blank or (in_list and margin))
        # A list goes on through its items' continuation lines, up to a blank line.
        item = _LIST_ITEM.match(stripped) is not None and text != stripped
        in_list = item or (in_list and bool(stripped))
        blank = text is None
        if text:
            kept.append(text)
    return plain(_inline_text("\n".join(kept)))


def plain(text: str | None) -> str:
    """Text as stored in the index: no snippet markers, runs of spaces collapsed."""
    if not text:
        return ""
    return _SPACES.sub(" ", _MARKS.sub("", text)).strip()


def search_text(
    *,
    title: str,
    subtitle: str | None,
    excerpt: str | None,
    body: str,
    notes: Iterable[NoteText] = (),
) -> SearchText:
    lead = "\n".join(part for part in (plain(subtitle), plain(excerpt)) if part)
    note_lines = []
    for note in notes:
        source = " — ".join(
            plain(part) for part in (note.source_title, note.source_publisher) if part
        )
        note_lines.append(" ".join(p for p in (markdown_text(note.content), source) if p))
    return SearchText(
        title=plain(title),
        lead=lead,
        body=markdown_text(body),
        notes="\n".join(line for line in note_lines if line),
    )
