"""What footnote extraction produces, whichever form the notes were in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

from bs4 import Tag

from publishing.footnotes.references import NumberingStyle
from publishing.imports.report import ProblemKind

__all__ = ["Extraction", "Marker", "Note", "drop_back_link", "short"]

# Gives the text that stands in the HTML for a reference to the footnote with this key.
Marker = Callable[[str], str]

_BACK_LINKS: Final = frozenset({"↩", "↩︎", "↑", "^", "⤴", "⤴︎", "[↩]"})


@dataclass(frozen=True, slots=True)
class Note:
    key: str
    label: str  # as the post numbered it: "3", "iv"
    html: str  # the note's content, its label and back link removed


@dataclass(slots=True)
class Extraction:
    notes: list[Note] = field(default_factory=list)  # in order of first reference
    style: NumberingStyle = NumberingStyle.ARABIC
    problems: list[tuple[ProblemKind, str]] = field(default_factory=list)


def short(text: str, limit: int = 60) -> str:
    """One line of at most ``limit`` characters, for a report."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def drop_back_link(element: Tag) -> None:
    """Remove the "↩" links that lead from a note back to its reference."""
    for link in element.find_all("a"):
        if isinstance(link, Tag) and link.get_text().strip() in _BACK_LINKS:
            link.decompose()
