"""Footnotes out of WordPress HTML, in the two forms publishers have them.

Block editor: ``<sup data-fn="ID" class="fn"><a href="#ID" id="ID-link">1</a></sup>`` markers,
with the notes in the ``footnotes`` post meta (a JSON list of ``{"id", "content"}``), or in a
rendered ``<ol class="wp-block-footnotes">``. Hand-typed endnotes: see ``endnotes``.

Markers are replaced in the soup by the text ``marker(key)``; the notes are taken out of it.
"""

from __future__ import annotations

import json

from bs4 import BeautifulSoup, NavigableString, Tag

from publishing.imports.report import ProblemKind
from publishing.imports.wordpress.endnotes import hand_typed
from publishing.imports.wordpress.notes import Extraction, Marker, Note, drop_back_link, short

__all__ = ["Extraction", "Note", "extract_footnotes"]


def extract_footnotes(soup: BeautifulSoup, meta: str | None, marker: Marker) -> Extraction:
    return _block_editor(soup, meta, marker) or hand_typed(soup, marker) or Extraction()


# -- block editor ----------------------------------------------------------------------------


def _meta_notes(meta: str | None) -> dict[str, str]:
    try:
        items = json.loads(meta) if meta else []
    except ValueError:
        return {}
    notes: dict[str, str] = {}
    if isinstance(items, list):
        for item in items:
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                notes.setdefault(item["id"], str(item.get("content") or ""))
    return notes


def _block_editor(soup: BeautifulSoup, meta: str | None, marker: Marker) -> Extraction | None:
    markers = [m for m in soup.find_all("sup", attrs={"data-fn": True}) if isinstance(m, Tag)]
    notes = _meta_notes(meta)
    rendered = soup.find("ol", class_="wp-block-footnotes")
    if isinstance(rendered, Tag):
        for item in rendered.find_all("li", recursive=False):
            if isinstance(item, Tag) and item.get("id"):
                drop_back_link(item)
                notes.setdefault(str(item["id"]), item.decode_contents().strip())
        rendered.decompose()
    if not markers and not notes:
        return None
    found = Extraction()
    keys: dict[str, str] = {}
    for sup in markers:
        note_id = str(sup["data-fn"])
        if note_id in notes:
            key = keys.setdefault(note_id, f"fn{len(keys) + 1}")
            sup.replace_with(NavigableString(marker(key)))
        else:
            found.problems.append(
                (
                    ProblemKind.MARKER_WITHOUT_NOTE,
                    f"marker {sup.get_text().strip() or '?'} "
                    f"(footnote id {note_id}) has no note; removed",
                )
            )
            sup.decompose()
    for note_id, html in notes.items():
        if note_id not in keys:
            text = BeautifulSoup(html, "html.parser").get_text()
            found.problems.append(
                (ProblemKind.NOTE_WITHOUT_MARKER, f"note “{short(text)}” has no marker; left out")
            )
    found.notes = [
        Note(key, str(number), notes[note_id])
        for number, (note_id, key) in enumerate(keys.items(), start=1)
    ]
    return found
