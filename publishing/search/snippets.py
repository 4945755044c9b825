"""Snippets as safe HTML: the text escaped, the matched words in <mark>, nothing else."""

from __future__ import annotations

import html
import re
from typing import Final

from publishing.search.document import MARK_END, MARK_START

_WHITESPACE: Final = re.compile(r"\s+")


def to_html(raw: str | None) -> str:
    """``raw`` holds the database's snippet with MARK_START/MARK_END around matches.

    The sanitiser's allow-list has no <mark>, and a snippet is plain text anyway: escape it
    all, then turn the markers (which indexed text cannot contain) into balanced tags."""
    if not raw:
        return ""
    out: list[str] = []
    open_mark = False
    for piece in re.split(f"([{MARK_START}{MARK_END}])", _WHITESPACE.sub(" ", raw).strip()):
        if piece == MARK_START:
            if not open_mark:
                out.append("<mark>")
                open_mark = True
        elif piece == MARK_END:
            if open_mark:
                out.append("</mark>")
                open_mark = False
        else:
            out.append(html.escape(piece, quote=False))
    if open_mark:
        out.append("</mark>")
    return "".join(out).replace("<mark></mark>", "")


def has_mark(raw: str | None) -> bool:
    return bool(raw) and MARK_START in raw  # type: ignore[operator]
