"""Hand-typed endnotes: markers such as ``[1]``, ``[ii]``, ``<sup>3</sup>`` or Word's
``<a href="#_ftn1">[1]</a>`` in the text, and numbered notes at the end, after a heading such as
"Notes", "Kaynaklar" or "Примечания" (an ``<ol>``, or paragraphs opening with ``1.``, ``[ii]``...),
or a final ``<ol>`` without a heading.

Markers are matched to notes by number, so posts that mix arabic and roman markers for one list
of notes keep every note; a post with both an arabic and a roman list matches each marker to
the list of its own style. A list no marker points to is not notes and stays in the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Final

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment, PageElement

from publishing.footnotes.references import NumberingStyle, label
from publishing.imports.report import ProblemKind
from publishing.imports.wordpress.notes import Extraction, Marker, Note, drop_back_link, short

__all__ = ["hand_typed"]


# -- numbers ---------------------------------------------------------------------------------

_ROMAN_DIGITS: Final = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
_NUMBER: Final = r"\d{1,3}|[ivxlcIVXLC]{1,8}"
_TEXT_MARKER: Final = re.compile(rf"\[({_NUMBER})\]")
_BARE_MARKER: Final = re.compile(rf"\[?({_NUMBER})\]?")
_NOTE_LABEL: Final = re.compile(
    rf"^\s*(?:\[(?P<b>{_NUMBER})\]|\((?P<p>{_NUMBER})\)|(?P<d>{_NUMBER})[.)])(?:\s+|$)"
)
_MEASURE_BEFORE: Final = re.compile(r"(?:\d|\b(?:k?m|cm|mm|ft|in|mi))\s*$")


@dataclass(frozen=True, slots=True)
class _Number:
    value: int
    style: NumberingStyle

    @property
    def label(self) -> str:
        return label(self.value, self.style)


def _number(text: str) -> _Number | None:
    """ "12" or a canonical roman numeral ("iv", "XII"); None for anything else."""
    if text.isdigit():
        value = int(text)
        return _Number(value, NumberingStyle.ARABIC) if value >= 1 else None
    lowered = text.lower()
    if not lowered or any(c not in _ROMAN_DIGITS for c in lowered):
        return None
    total = 0
    for index, char in enumerate(lowered):
        value = _ROMAN_DIGITS[char]
        following = _ROMAN_DIGITS[lowered[index + 1]] if index + 1 < len(lowered) else 0
        total += -value if value < following else value
    if total < 1 or label(total, NumberingStyle.ROMAN) != lowered:
        return None  # "iiii", "ic": not how anyone numbers notes
    return _Number(total, NumberingStyle.ROMAN)


# -- the notes section ----------------------------------------------------------------------

_HEADINGS: Final = frozenset(
    {
        *("notes", "footnotes", "endnotes", "references", "sources", "note"),
        *("notlar", "dipnotlar", "dipnot", "kaynaklar", "kaynakça", "sonnotlar"),
        *("примечания", "сноски", "источники", "литература", "список литературы", "ссылки"),
    }
)
_HEADING_TAGS: Final = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def _blocks(soup: BeautifulSoup) -> list[Tag]:
    """The top-level elements; a lone wrapping <div> is looked through."""
    blocks = [c for c in soup.children if isinstance(c, Tag)]
    while len(blocks) == 1 and blocks[0].name in ("div", "article", "section"):
        blocks = [c for c in blocks[0].children if isinstance(c, Tag)]
    return blocks


def _is_heading(block: Tag) -> bool:
    if block.name not in _HEADING_TAGS and block.name not in ("p", "div"):
        return False
    text = " ".join(block.get_text().split()).rstrip(":").strip().casefold()
    return text in _HEADINGS


@dataclass(slots=True)
class _Written:
    """A note as typed in the notes section."""

    number: _Number
    nodes: list[PageElement]


def _segments(block: Tag) -> Iterator[list[PageElement]]:
    """A paragraph's runs between <br>s: hand-typed notes are often one line each."""
    run: list[PageElement] = []
    for child in list(block.children):
        if isinstance(child, Tag) and child.name == "br":
            yield run
            run = []
        else:
            run.append(child)
    yield run


def _first_text(nodes: Sequence[PageElement]) -> NavigableString | None:
    for node in nodes:
        if isinstance(node, Comment):
            continue
        if isinstance(node, NavigableString):
            if node.strip():
                return node
        elif isinstance(node, Tag):
            for string in node.find_all(string=True):
                if (
                    isinstance(string, NavigableString)
                    and not isinstance(string, Comment)
                    and string.strip()
                ):
                    return string
    return None


def _take_label(nodes: list[PageElement], *, cut: bool) -> _Number | None:
    """The note's own number at its start: "1.", "[ii]", "(3)", <sup>4</sup>; with ``cut``,
    the label is also taken out of the soup and of ``nodes``."""
    first = _first_text(nodes)
    if first is None:
        return None
    parent = first.parent
    if parent is not None and parent.name in ("sup", "a"):
        bare = _BARE_MARKER.fullmatch(first.strip())
        if bare and (number := _number(bare.group(1))):
            holder = parent.parent if parent.parent and parent.parent.name == "sup" else parent
            if cut:
                if holder in nodes:
                    nodes.remove(holder)
                holder.extract()
            return number
    match = _NOTE_LABEL.match(str(first))
    if match is None:
        return None
    number = _number(match.group("b") or match.group("p") or match.group("d"))
    if number is None or not cut:
        return number
    replacement = NavigableString(str(first)[match.end() :])
    first.replace_with(replacement)
    for index, node in enumerate(nodes):
        if node is first:
            nodes[index] = replacement
    return number


def _written_notes(region: Sequence[Tag], *, cut: bool) -> tuple[list[_Written], set[int]]:
    """The notes of the section, and the indexes of the blocks that held them. Without
    ``cut`` the soup is only read (to decide whether these are notes at all)."""
    notes: list[_Written] = []
    used: set[int] = set()
    for index, block in enumerate(region):
        if block.name in ("ol", "ul"):
            items = [li for li in block.find_all("li", recursive=False) if isinstance(li, Tag)]
            start_at = str(block.get("start", "1"))
            start = int(start_at) if start_at.isdigit() else 1
            roman = str(block.get("type", "")).lower() == "i"
            for offset, item in enumerate(items):
                nodes = list(item.children)
                number = _take_label(nodes, cut=cut)
                if number is None and block.name == "ol":
                    style = NumberingStyle.ROMAN if roman else NumberingStyle.ARABIC
                    number = _Number(start + offset, style)
                if number is not None:
                    notes.append(_Written(number, nodes))
                    used.add(index)
            continue
        for nodes in _segments(block):
            number = _take_label(nodes, cut=cut)
            if number is not None:
                notes.append(_Written(number, nodes))
                used.add(index)
            elif notes and any(str(n).strip() for n in nodes):
                notes[-1].nodes.extend([NavigableString(" "), *nodes])  # continued note
    return notes, used


def _html(nodes: Sequence[PageElement]) -> str:
    holder = BeautifulSoup("<div></div>", "html.parser")
    div = holder.div
    assert div is not None
    for node in nodes:
        div.append(BeautifulSoup(str(node), "html.parser"))
    drop_back_link(div)
    return div.decode_contents().strip()


# -- markers in the text ---------------------------------------------------------------------


@dataclass(slots=True)
class _Found:
    number: _Number
    element: PageElement  # a <sup>/<a> to replace, or a text holding [n]
    span: tuple[int, int] | None = None  # within that text


def _markers(blocks: Sequence[Tag]) -> list[_Found]:
    found: list[_Found] = []
    for block in blocks:
        for node in list(block.descendants):
            if any(p is not None and p.name in ("code", "pre") for p in _parents(node)):
                continue
            if isinstance(node, Tag) and node.name in ("sup", "a"):
                if node.name == "a" and not str(node.get("href", "")).startswith("#"):
                    continue
                if any(p.name in ("sup", "a") for p in _parents(node) if p is not None):
                    continue  # inside a marker already found
                bare = _BARE_MARKER.fullmatch(node.get_text().strip())
                number = _number(bare.group(1)) if bare else None
                if number is None or (node.name == "sup" and _measure(node)):
                    continue
                if node.name == "a" and not node.get_text().strip().startswith("["):
                    continue
                found.append(_Found(number, node))
            elif isinstance(node, NavigableString) and not isinstance(node, Comment):
                if any(p is not None and p.name in ("sup", "a") for p in _parents(node)):
                    continue
                for match in _TEXT_MARKER.finditer(str(node)):
                    if number := _number(match.group(1)):
                        found.append(_Found(number, node, match.span()))
    return found


def _parents(node: PageElement) -> Iterator[Tag]:
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


def _measure(sup: Tag) -> bool:
    """m<sup>2</sup>, 10<sup>6</sup>: a power, not a footnote."""
    previous = sup.previous_sibling
    return isinstance(previous, NavigableString) and bool(_MEASURE_BEFORE.search(str(previous)))


@dataclass(slots=True)
class _Section:
    """Where the notes may be: the blocks before them (the text) and the blocks that may hold
    them, with what separates the two (a heading, a rule) to go when they are notes."""

    body: list[Tag]
    region: list[Tag]
    separators: list[Tag]


def _label_led(block: Tag) -> bool:
    """A paragraph that opens with a note's own label ("[i] “Title”...", "2. ...")."""
    if block.name not in ("p", "div"):
        return False
    first = next(_segments(block), [])
    return _take_label(list(first), cut=False) is not None


def _sections(blocks: list[Tag]) -> Iterator[_Section]:
    """The places notes are typed, most explicit first: after a heading ("Notes"), after a
    rule, in a final numbered list, or as a final run of paragraphs that open with labels."""
    heading_at = next((i for i in range(len(blocks) - 1, -1, -1) if _is_heading(blocks[i])), None)
    if heading_at is not None:
        separators = [blocks[heading_at]]
        before = blocks[heading_at - 1] if heading_at > 0 else None
        if before is not None and before.name == "hr":
            separators.insert(0, before)
        body = blocks[: heading_at - len(separators) + 1]
        yield _Section(body, blocks[heading_at + 1 :], separators)
    rule_at = next((i for i in range(len(blocks) - 1, -1, -1) if blocks[i].name == "hr"), None)
    if rule_at is not None and (heading_at is None or rule_at > heading_at):
        yield _Section(blocks[:rule_at], blocks[rule_at + 1 :], [blocks[rule_at]])
    if blocks and blocks[-1].name == "ol":
        yield _Section(blocks[:-1], blocks[-1:], [])
        return
    start = len(blocks)
    while start > 0 and _label_led(blocks[start - 1]):
        start -= 1
    if 0 < start < len(blocks):
        yield _Section(blocks[:start], blocks[start:], [])


def _trailing_lines(blocks: list[Tag]) -> tuple[Tag, int] | None:
    """The last paragraph and the index of its first line when it ends with a run of
    label-led lines after some text: "…the last sentence.<br>[1] A note.<br>[2] Another."."""
    if not blocks or blocks[-1].name != "p":
        return None
    segments = [list(s) for s in _segments(blocks[-1])]
    labelled = [_take_label(s, cut=False) is not None for s in segments]
    if labelled[0] or not any(labelled):
        return None
    first = labelled.index(True)
    return blocks[-1], first


def _split_paragraph(paragraph: Tag, first_line: int) -> Tag:
    """Move the lines from ``first_line`` on into a new paragraph after this one."""
    soup = BeautifulSoup("<p></p>", "html.parser")
    notes = soup.p
    assert notes is not None
    line = 0
    for child in list(paragraph.children):
        if isinstance(child, Tag) and child.name == "br":
            line += 1
            if line == first_line:
                child.decompose()
                continue
        if line >= first_line:
            notes.append(child.extract())
    paragraph.insert_after(notes)
    return notes


def _join_paragraphs(paragraph: Tag, notes: Tag) -> None:
    """Undo ``_split_paragraph``."""
    paragraph.append(BeautifulSoup("<br/>", "html.parser"))
    for child in list(notes.children):
        paragraph.append(child.extract())
    notes.decompose()


def _matched(markers: Sequence[_Found], written: Sequence[_Written]) -> bool:
    two_lists = len({w.number.style for w in written}) > 1

    def ident(number: _Number) -> tuple[int, NumberingStyle | None]:
        return (number.value, number.style if two_lists else None)

    return bool({ident(m.number) for m in markers} & {ident(w.number) for w in written})


def _find_section(soup: BeautifulSoup) -> _Section | None:
    """The first place whose notes the text's markers point to; None when there is none (a
    bibliography nothing points to is not notes, and stays in the text)."""
    blocks = _blocks(soup)
    for section in _sections(blocks):
        written, _ = _written_notes(section.region, cut=False)
        if written and _matched(_markers(section.body), written):
            return section
    trailing = _trailing_lines(blocks)
    if trailing is None:
        return None
    paragraph, first_line = trailing
    notes = _split_paragraph(paragraph, first_line)
    written, _ = _written_notes([notes], cut=False)
    if _matched(_markers(blocks), written):
        return _Section(blocks, [notes], [])
    _join_paragraphs(paragraph, notes)
    return None


def hand_typed(soup: BeautifulSoup, marker: Marker) -> Extraction | None:
    """The endnotes of the post, markers replaced and notes taken out; None (and the soup
    untouched) when it has no notes that its text points to."""
    section = _find_section(soup)
    if section is None:
        return None
    body, region = section.body, section.region
    written, _ = _written_notes(region, cut=False)
    markers = _markers(body)
    two_lists = len({w.number.style for w in written}) > 1

    def ident(number: _Number) -> tuple[int, NumberingStyle | None]:
        return (number.value, number.style if two_lists else None)

    written, used = _written_notes(region, cut=True)
    by_ident: dict[tuple[int, NumberingStyle | None], _Written] = {}
    for note in written:
        by_ident.setdefault(ident(note.number), note)

    found = Extraction()
    keys: dict[int, str] = {}  # id(written note) -> key
    replacements: dict[int, list[tuple[tuple[int, int], str]]] = {}
    texts: dict[int, NavigableString] = {}
    for item in markers:
        note = by_ident.get(ident(item.number))
        key = None
        if note is not None:
            key = keys.setdefault(id(note), f"fn{note.number.label}")
        else:
            found.problems.append(
                (
                    ProblemKind.MARKER_WITHOUT_NOTE,
                    f"marker [{item.number.label}] has no note; removed",
                )
            )
        text = marker(key) if key else ""
        if item.span is None:
            item.element.replace_with(NavigableString(text))
        else:
            assert isinstance(item.element, NavigableString)
            replacements.setdefault(id(item.element), []).append((item.span, text))
            texts[id(item.element)] = item.element
    for ident_, string in texts.items():
        value = str(string)
        for (start, end), text in sorted(replacements[ident_], reverse=True):
            value = value[:start] + text + value[end:]
        string.replace_with(NavigableString(value))

    ordered = sorted((n for n in written if id(n) in keys), key=lambda n: list(keys).index(id(n)))
    for note in written:
        if id(note) not in keys:
            found.problems.append(
                (
                    ProblemKind.NOTE_WITHOUT_MARKER,
                    f"note {note.number.label} “{short(_html_text(note.nodes))}” has no marker; "
                    "left out",
                )
            )
    found.notes = [Note(keys[id(n)], n.number.label, _html(n.nodes)) for n in ordered]
    roman = sum(1 for n in ordered if n.number.style is NumberingStyle.ROMAN)
    found.style = NumberingStyle.ROMAN if roman * 2 > len(ordered) else NumberingStyle.ARABIC

    # The section goes: what separated it from the text, and the blocks of notes.
    for separator in section.separators:
        separator.decompose()
    for index in used:
        region[index].decompose()
    return found


def _html_text(nodes: Sequence[PageElement]) -> str:
    return BeautifulSoup(_html(nodes), "html.parser").get_text()
