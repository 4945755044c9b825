"""XLIFF 2.1 and 1.2 documents of an article's segments, written and read back.

One ``<file>`` per document, one unit (2.1 ``<unit>``, 1.2 ``<trans-unit>``) per segment,
its id the segment's id. Codes become ``<ph/>``/``<pc>`` (2.1, with their Markdown in
``<originalData>`` and ``canDelete="no"``) or ``<x/>``/``<g>`` (1.2, the Markdown in
``equiv-text`` for standalone codes); ``disp`` shows a footnote reference as ``[^key]``.

The file's ``original`` names the article and the version of the original the source text is
from (``articles/ID/versions/N``): translation tools keep it untouched, and an import
rebuilds its segments from that revision, so a file made before a later edit still imports
against the text the translator saw (and the translation records that version).

Reading never trusts a code's data from the file: only the ids and the nesting of codes are
read; what they stand for comes back from the original's segments.
"""

from __future__ import annotations

import enum
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Final

from publishing.translations.segments import (
    Code,
    CodeInfo,
    CodeKind,
    Inline,
    Pair,
    Segment,
    Text,
)
from publishing.xml import xml_clean

__all__ = [
    "XLIFF_1_2",
    "XLIFF_2_0",
    "ReadDocument",
    "UnitState",
    "XliffError",
    "XliffUnit",
    "XliffVersion",
    "document_original",
    "read_xliff",
    "write_xliff",
]

XLIFF_2_0: Final = "urn:oasis:names:tc:xliff:document:2.0"
XLIFF_1_2: Final = "urn:oasis:names:tc:xliff:document:1.2"
_XML_LANG: Final = "{http://www.w3.org/XML/1998/namespace}lang"


class XliffVersion(enum.StrEnum):
    XLIFF_2_1 = "2.1"
    XLIFF_1_2 = "1.2"


class UnitState(enum.StrEnum):
    NEW = "NEW"  # no translation yet
    TRANSLATED = "TRANSLATED"  # the translation of this very source text
    OUTDATED = "OUTDATED"  # a translation of an earlier source text of this segment
    MACHINE = "MACHINE"  # a machine's translation of this source text, as it wrote it


@dataclass(frozen=True, slots=True)
class XliffUnit:
    segment: Segment
    target: tuple[Inline, ...] | None
    state: UnitState


class XliffError(Exception):
    """The upload is not an XLIFF document this API wrote (or one a tool kept intact)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


_ORIGINAL: Final = re.compile(
    r"articles/(?P<article>[A-Za-z0-9+/=_-]{1,200})/versions/(?P<v>\d{1,9})"
)


def document_original(article_ref: str, source_version: int) -> str:
    return f"articles/{article_ref}/versions/{source_version}"


# --- Writing --------------------------------------------------------------------------------

_TYPES_2: Final = {
    CodeKind.FOOTNOTE_REFERENCE: ("other", "pr:footnote"),
    CodeKind.LINK: ("link", None),
    CodeKind.AUTOLINK: ("link", None),
    CodeKind.EMPHASIS: ("fmt", "xlf:i"),
    CodeKind.STRONG: ("fmt", "xlf:b"),
    CodeKind.STRIKETHROUGH: ("fmt", "pr:strikethrough"),
    CodeKind.CODE: ("fmt", "pr:code"),
    CodeKind.IMAGE: ("image", None),
    CodeKind.TAG: ("fmt", "pr:tag"),
    CodeKind.LINE_BREAK: ("fmt", "xlf:lb"),
}
_CTYPES_1: Final = {
    CodeKind.FOOTNOTE_REFERENCE: "x-footnote-reference",
    CodeKind.LINK: "link",
    CodeKind.AUTOLINK: "x-autolink",
    CodeKind.EMPHASIS: "italic",
    CodeKind.STRONG: "bold",
    CodeKind.STRIKETHROUGH: "x-strikethrough",
    CodeKind.CODE: "x-code",
    CodeKind.IMAGE: "image",
    CodeKind.TAG: "x-html-tag",
    CodeKind.LINE_BREAK: "lb",
}


def _clean(text: str) -> str:
    return xml_clean(text)


class _Writer2:
    def __init__(self, segment: Segment) -> None:
        self.segment = segment
        self.data: dict[str, str] = {}

    def _data(self, key: str, value: str) -> str:
        self.data[key] = value
        return key

    def fill(self, parent: ET.Element, content: Sequence[Inline]) -> None:
        last: ET.Element | None = None
        for item in content:
            if isinstance(item, Text):
                text = _clean(item.text)
                if last is None:
                    parent.text = (parent.text or "") + text
                else:
                    last.tail = (last.tail or "") + text
                continue
            info = self.segment.codes.get(item.id)
            if info is None:
                continue
            kind, sub = _TYPES_2[info.kind]
            attributes = {"id": item.id, "canCopy": "no", "canDelete": "no", "type": kind}
            if sub:
                attributes["subType"] = sub
            if isinstance(item, Code):
                if info.display:
                    attributes["disp"] = _clean(info.display)
                attributes["dataRef"] = self._data(f"d{item.id}", _clean(info.markdown))
                last = ET.SubElement(parent, "ph", attributes)
            else:
                attributes["dataRefStart"] = self._data(f"d{item.id}s", _clean(info.start))
                attributes["dataRefEnd"] = self._data(f"d{item.id}e", _clean(info.end))
                if info.display:
                    attributes["dispStart"] = _clean(info.display)
                last = ET.SubElement(parent, "pc", attributes)
                self.fill(last, item.content)


def _write_2(
    root: ET.Element, original: str, units: Sequence[XliffUnit], notes: Sequence[str]
) -> None:
    file = ET.SubElement(root, "file", {"id": "f1", "original": original})
    if notes:
        holder = ET.SubElement(file, "notes")
        for note in notes:
            ET.SubElement(holder, "note", {"category": "pressroom"}).text = _clean(note)
    for unit in units:
        segment = unit.segment
        element = ET.SubElement(file, "unit", {"id": segment.id, "name": segment.kind.value})
        if segment.note:
            holder = ET.SubElement(element, "notes")
            ET.SubElement(holder, "note", {"category": "context"}).text = _clean(segment.note)
        writer = _Writer2(segment)
        source = ET.Element("source")
        writer.fill(source, segment.content)
        target: ET.Element | None = None
        if unit.target is not None:
            target = ET.Element("target")
            writer.fill(target, unit.target)
        if writer.data:
            original_data = ET.SubElement(element, "originalData")
            for key, value in writer.data.items():
                ET.SubElement(original_data, "data", {"id": key}).text = value
        state = {
            "NEW": "initial",
            "TRANSLATED": "translated",
            "OUTDATED": "initial",
            "MACHINE": "initial",
        }[unit.state]
        attributes = {"id": f"s-{segment.id}", "state": state}
        if unit.state is UnitState.OUTDATED:
            attributes["subState"] = "pr:outdated"
        elif unit.state is UnitState.MACHINE:
            # Machine-made, not yet seen by a person: a target to review, not a translation.
            attributes["subState"] = "pr:machine"
        holder = ET.SubElement(element, "segment", attributes)
        holder.append(source)
        if target is not None:
            holder.append(target)


def _fill_1(parent: ET.Element, segment: Segment, content: Sequence[Inline]) -> None:
    last: ET.Element | None = None
    for item in content:
        if isinstance(item, Text):
            text = _clean(item.text)
            if last is None:
                parent.text = (parent.text or "") + text
            else:
                last.tail = (last.tail or "") + text
            continue
        info: CodeInfo | None = segment.codes.get(item.id)
        if info is None:
            continue
        attributes = {"id": item.id, "ctype": _CTYPES_1[info.kind]}
        if isinstance(item, Code):
            attributes["equiv-text"] = _clean(info.markdown)
            last = ET.SubElement(parent, "x", attributes)
        else:
            last = ET.SubElement(parent, "g", attributes)
            _fill_1(last, segment, item.content)


def _write_1(
    root: ET.Element,
    original: str,
    source_language: str,
    target_language: str,
    units: Sequence[XliffUnit],
    notes: Sequence[str],
) -> None:
    file = ET.SubElement(
        root,
        "file",
        {
            "original": original,
            "source-language": source_language,
            "target-language": target_language,
            "datatype": "x-markdown",
        },
    )
    if notes:
        header = ET.SubElement(file, "header")
        for note in notes:
            ET.SubElement(header, "note").text = _clean(note)
    body = ET.SubElement(file, "body")
    for unit in units:
        segment = unit.segment
        element = ET.SubElement(
            body, "trans-unit", {"id": segment.id, "resname": segment.kind.value}
        )
        source = ET.SubElement(element, "source")
        _fill_1(source, segment, segment.content)
        if unit.target is not None:
            state = (
                "translated" if unit.state is UnitState.TRANSLATED else "needs-review-translation"
            )
            target_attributes = {"state": state}
            if unit.state is UnitState.MACHINE:
                target_attributes["state-qualifier"] = "mt-suggestion"
            target = ET.SubElement(element, "target", target_attributes)
            _fill_1(target, segment, unit.target)
        if segment.note:
            ET.SubElement(element, "note", {"annotates": "source"}).text = _clean(segment.note)


def write_xliff(
    version: XliffVersion,
    *,
    original: str,
    source_language: str,
    target_language: str,
    units: Sequence[XliffUnit],
    notes: Sequence[str] = (),
) -> str:
    """The document, as text (UTF-8 declared)."""
    if version is XliffVersion.XLIFF_2_1:
        ET.register_namespace("", XLIFF_2_0)
        root = ET.Element(
            "xliff", {"version": "2.1", "srcLang": source_language, "trgLang": target_language}
        )
        _write_2(root, original, units, notes)
        _qualify(root, XLIFF_2_0)
    else:
        ET.register_namespace("", XLIFF_1_2)
        root = ET.Element("xliff", {"version": "1.2"})
        _write_1(root, original, source_language, target_language, units, notes)
        _qualify(root, XLIFF_1_2)
    _indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def _qualify(element: ET.Element, namespace: str) -> None:
    for node in element.iter():
        if not node.tag.startswith("{"):
            node.tag = f"{{{namespace}}}{node.tag}"


_TEXT_ELEMENTS: Final = frozenset({"source", "target", "note", "data"})


def _indent(node: ET.Element, level: int = 0) -> None:
    """Indent the structure, never inside text elements (their white space is content)."""
    children = list(node)
    if not children or _local(node.tag) in _TEXT_ELEMENTS:
        return
    pad = "\n" + "  " * (level + 1)
    node.text = pad
    for child in children:
        _indent(child, level + 1)
        child.tail = pad
    children[-1].tail = "\n" + "  " * level


# --- Reading --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReadDocument:
    version: XliffVersion
    article_ref: str
    source_version: int
    source_language: str
    target_language: str
    # Unit id -> the target's content; None where a unit has no target or an empty one.
    targets: dict[str, tuple[Inline, ...] | None]


_DOCTYPE: Final = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


def read_xliff(data: bytes) -> ReadDocument:
    """Parse an XLIFF 2.x or 1.2 document; ``XliffError`` says why one cannot be read."""
    # No document type declarations: nothing a translation tool writes needs one, and refusing
    # them shuts out entity expansion.
    if _DOCTYPE.search(data):
        raise XliffError("XLIFF documents with a DOCTYPE or entity declarations are refused.")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        raise XliffError(f"Not well-formed XML: {error}.") from None
    if root.tag == f"{{{XLIFF_2_0}}}xliff":
        return _read_2(root)
    if root.tag == f"{{{XLIFF_1_2}}}xliff":
        return _read_1(root)
    raise XliffError("Not an XLIFF 2.x or 1.2 document (root element <xliff> in its namespace).")


def _original(file: ET.Element | None) -> tuple[str, int]:
    if file is None:
        raise XliffError("The document has no <file>.")
    match = _ORIGINAL.fullmatch(file.get("original") or "")
    if match is None:
        raise XliffError(
            "The <file original> attribute does not name an article and version "
            "(articles/ID/versions/N): export the document from this API."
        )
    return match.group("article"), int(match.group("v"))


def _read_2(root: ET.Element) -> ReadDocument:
    ns = {"x": XLIFF_2_0}
    files = root.findall("x:file", ns)
    if len(files) != 1:
        raise XliffError("The document must have exactly one <file>.")
    article_ref, source_version = _original(files[0])
    targets: dict[str, tuple[Inline, ...] | None] = {}
    for unit in files[0].iter(f"{{{XLIFF_2_0}}}unit"):
        unit_id = unit.get("id") or ""
        parts: list[Inline] = []
        found = False
        for segment in unit.findall("x:segment", ns):
            target = segment.find("x:target", ns)
            if target is not None:
                found = True
                parts.extend(_inline(target, _CODES_2))
        targets[unit_id] = _nonempty(parts) if found else None
    return ReadDocument(
        XliffVersion.XLIFF_2_1,
        article_ref,
        source_version,
        root.get("srcLang") or "",
        root.get("trgLang") or "",
        targets,
    )


def _nonempty(parts: Sequence[Inline]) -> tuple[Inline, ...] | None:
    merged = _merge_text(parts)
    if not merged or all(isinstance(p, Text) and not p.text.strip() for p in merged):
        return None
    return merged


def _merge_text(parts: Sequence[Inline]) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for part in parts:
        if isinstance(part, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + part.text)
        elif not (isinstance(part, Text) and not part.text):
            out.append(part)
    return tuple(out)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


# The inline elements of each version: a standalone code, and a pair around text.
_CODES_2 = ("ph", "pc")
_CODES_1 = ("x", "g")


def _inline(element: ET.Element, codes: tuple[str, str]) -> Iterator[Inline]:
    standalone, pair = codes
    if element.text:
        yield Text(element.text)
    for child in element:
        name = _local(child.tag)
        code_id = child.get("id") or ""
        if name == standalone:
            yield Code(code_id)
        elif name == pair:
            yield Pair(code_id, _merge_text(list(_inline(child, codes))))
        elif name == "mrk":
            # Annotations (comments, terms) a tool added: their text is the translation's.
            yield from _inline(child, codes)
        else:
            # 2.x <sc>/<ec> (a pair split by the tool) and anything else: kept as a code, which
            # the check then reports if it is not one of the source's.
            yield Code(code_id or name)
        if child.tail:
            yield Text(child.tail)


def _read_1(root: ET.Element) -> ReadDocument:
    ns = {"x": XLIFF_1_2}
    files = root.findall("x:file", ns)
    if len(files) != 1:
        raise XliffError("The document must have exactly one <file>.")
    file = files[0]
    article_ref, source_version = _original(file)
    targets: dict[str, tuple[Inline, ...] | None] = {}
    for unit in file.iter(f"{{{XLIFF_1_2}}}trans-unit"):
        target = unit.find("x:target", ns)
        targets[unit.get("id") or ""] = (
            _nonempty(list(_inline(target, _CODES_1))) if target is not None else None
        )
    return ReadDocument(
        XliffVersion.XLIFF_1_2,
        article_ref,
        source_version,
        file.get("source-language") or "",
        file.get("target-language") or "",
        targets,
    )
