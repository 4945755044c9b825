"""WordPress HTML (as ``body.wordpress_soup`` gives it) written as our Markdown.

markdownify does the writing; before it, the HTML is tidied so that the Markdown shows what
WordPress showed and nothing else: a line break at the edge of a paragraph, list item or cell
shows nothing there, so it goes (it would be a stray ``\\``); breaks in code are its lines;
code written over several lines is a code block. Tables keep their header, body and footer
rows; inline formatting Markdown has no syntax for is written as the few tags our renderer
allows (see ``publishing.text``); embeds are written in our embed form.
"""

from __future__ import annotations

import re
from typing import Any, Final

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import CData, Comment, Declaration, PageElement, ProcessingInstruction
from markdownify import MarkdownConverter

from publishing.embeds import embed_markdown
from publishing.imports.wordpress.embeds import read_embed_element

__all__ = ["html_to_markdown"]

# Elements that start a new block: a line break next to one shows nothing.
_BLOCK_LEVEL: Final = frozenset(
    {
        *("p", "div", "ul", "ol", "li", "table", "tr", "td", "th", "thead", "tbody", "tfoot"),
        *("pre", "blockquote", "figure", "figcaption", "h1", "h2", "h3", "h4", "h5", "h6"),
        *("hr", "dl", "dt", "dd", "section", "article", "header", "footer", "aside", "nav"),
        *("details", "summary", "address", "caption"),
    }
)
_VISIBLE: Final = frozenset({"img", "video", "audio", "iframe", "input", "hr"})
_LOOKAHEAD: Final = 400  # nodes; past that, a break is taken to sit amid text
_MERGEABLE: Final = frozenset({"strong", "b", "em", "i"})
_VISIBLE_EMPTY: Final = ("img", "figure", "hr", "iframe", "video", "audio", "br")
_ABBR_TITLE: Final = re.compile(r'[^"<>]{1,300}')
_LANGUAGE: Final = re.compile(r"(?:language|lang)-([A-Za-z0-9_+#.-]{1,40})")


def _is_blank(node: Any) -> bool:
    return isinstance(node, NavigableString) and not isinstance(node, Comment) and not node.strip()


def _container(node: PageElement) -> Tag | None:
    parent = node.parent
    while parent is not None and parent.name not in _BLOCK_LEVEL:
        parent = parent.parent
    return parent


def _shows_beside(br: Tag, forward: bool) -> bool:
    """Whether text (or an image) of the break's own block stands after it (``forward``) or
    before it, before any other block begins or the block ends."""
    block = _container(br)
    steps = br.next_elements if forward else br.previous_elements
    for count, node in enumerate(steps):
        if count > _LOOKAHEAD:
            return True
        if node is block:
            return False  # walked back to the block's own start
        if isinstance(node, Tag):
            if node.name in _BLOCK_LEVEL:
                return False
            if node.name in _VISIBLE:
                return _container(node) is block
        elif isinstance(node, NavigableString) and not isinstance(node, Comment) and node.strip():
            return _container(node) is block
    return False


def _drop_stray_breaks(soup: BeautifulSoup) -> None:
    """A break with nothing of its block before it or after it shows nothing in a browser;
    in Markdown it would be a stray backslash."""
    for br in soup.find_all("br"):
        if isinstance(br, Tag) and not (_shows_beside(br, True) and _shows_beside(br, False)):
            br.decompose()


def _split_double_breaks(soup: BeautifulSoup) -> None:
    """Two line breaks in a row end a paragraph (as wpautop makes them in classic posts); in
    other elements they are one break."""
    for br in soup.find_all("br"):
        if not isinstance(br, Tag) or br.parent is None:
            continue
        following = br.next_sibling
        while _is_blank(following):
            following = following.next_sibling if following is not None else None
        if not (isinstance(following, Tag) and following.name == "br"):
            continue
        following.decompose()
        parent = br.parent
        if parent.name != "p":
            continue
        rest = BeautifulSoup("<p></p>", "html.parser").p
        assert rest is not None
        for sibling in list(br.next_siblings):
            rest.append(sibling.extract())
        br.decompose()
        parent.insert_after(rest)


def _code_lines(soup: BeautifulSoup) -> None:
    """Breaks in code are its lines; code of several lines outside ``<pre>`` becomes a block."""
    for code in soup.find_all(("pre", "code")):
        if not isinstance(code, Tag):
            continue
        for br in code.find_all("br"):
            following = br.next_sibling
            if isinstance(following, NavigableString) and following.startswith("\n"):
                # wpautop's "<br />\n": one line break, not two.
                following.replace_with(NavigableString(following[1:]))
            br.replace_with(NavigableString("\n"))
    for code in soup.find_all("code"):
        if not isinstance(code, Tag) or code.find_parent("pre") is not None:
            continue
        if "\n" not in code.get_text().strip("\n"):
            continue
        pre = soup.new_tag("pre")
        parent = code.parent
        if (
            parent is not None
            and parent.name == "p"
            and not any(not _is_blank(c) for c in parent.contents if c is not code)
        ):
            parent.replace_with(pre)
        else:
            code.replace_with(pre)
        pre.append(code)


def _verses(soup: BeautifulSoup) -> None:
    """A verse block is poetry, not code: its lines as line breaks of a paragraph."""
    for pre in soup.find_all("pre", class_="wp-block-verse"):
        if not isinstance(pre, Tag):
            continue
        paragraph = soup.new_tag("p")
        for child in list(pre.contents):
            if isinstance(child, NavigableString) and not isinstance(child, Comment):
                lines = str(child).split("\n")
                for index, line in enumerate(lines):
                    if index:
                        paragraph.append(soup.new_tag("br"))
                    indent = len(line) - len(line.lstrip(" "))
                    # Indentation is part of a poem: kept as no-break spaces.
                    paragraph.append(NavigableString("\u00a0" * indent + line[indent:]))
            else:
                paragraph.append(child.extract())
        pre.replace_with(paragraph)


def _merge_adjacent(soup: BeautifulSoup) -> None:
    """``<strong>a</strong><strong>b</strong>`` as one: written apart, the two would read as
    ``**a****b**``."""
    for element in soup.find_all(_MERGEABLE):
        if not isinstance(element, Tag) or element.parent is None:
            continue
        following = element.next_sibling
        while isinstance(following, Tag) and following.name == element.name:
            for child in list(following.contents):
                element.append(child.extract())
            following.decompose()
            following = element.next_sibling


def _drop_empty_paragraphs(soup: BeautifulSoup) -> None:
    for paragraph in soup.find_all("p"):
        if not isinstance(paragraph, Tag):
            continue
        if paragraph.get_text().strip(" \t\r\n\u00a0") or paragraph.find(_VISIBLE_EMPTY):
            continue
        paragraph.decompose()


def _drop_declarations(soup: BeautifulSoup) -> None:
    """CDATA sections and processing instructions: a browser shows nothing of them in HTML."""
    for node in soup.find_all(
        string=lambda s: isinstance(s, (CData, Declaration, ProcessingInstruction))
    ):
        node.extract()


def _tidy(soup: BeautifulSoup) -> None:
    _drop_declarations(soup)
    _code_lines(soup)
    _verses(soup)
    _split_double_breaks(soup)
    _drop_stray_breaks(soup)
    _merge_adjacent(soup)
    _drop_empty_paragraphs(soup)


def _code_language(element: Tag) -> str | None:
    for candidate in (element, element.find("code")):
        if isinstance(candidate, Tag):
            for name in candidate.get("class") or []:
                match = _LANGUAGE.fullmatch(str(name))
                if match:
                    return match.group(1)
    return None


def _tag(name: str) -> Any:
    """A converter that keeps an inline element as its tag (see publishing.text)."""

    def convert(self: _Converter, el: Tag, text: str, parent_tags: set[str]) -> str:
        if "_noformat" in parent_tags or not text.strip():
            return text
        stripped = text.strip()
        before = text[: len(text) - len(text.lstrip())]
        after = text[len(text.rstrip()) :]
        return f"{before}<{name}>{stripped}</{name}>{after}"

    return convert


class _Converter(MarkdownConverter):
    def convert_figure(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        embed = read_embed_element(el)
        if embed is None:
            return f"\n\n{text.strip()}\n\n" if "_inline" not in parent_tags else text
        if "_inline" in parent_tags:
            return f" {text.strip()} "
        return f"\n\n{embed_markdown(embed)}\n\n"

    def _once(self, kind: set[str], el: Tag, text: str, parent_tags: set[str]) -> str | None:
        # Bold inside bold shows once: written twice it reads "**a **b****".
        return text if parent_tags & kind else None

    def convert_strong(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        nested = self._once({"strong", "b"}, el, text, parent_tags)
        return nested if nested is not None else super().convert_strong(el, text, parent_tags)

    convert_b = convert_strong

    def convert_em(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        nested = self._once({"em", "i", "cite", "dfn", "var"}, el, text, parent_tags)
        return nested if nested is not None else super().convert_em(el, text, parent_tags)

    convert_i = convert_em
    convert_cite = convert_em
    convert_dfn = convert_em
    convert_var = convert_em

    def convert_s(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if parent_tags & {"s", "del", "strike"}:
            return text
        return super().convert_s(el, text, parent_tags)

    convert_del = convert_s
    convert_strike = convert_s
    convert_sub = _tag("sub")
    convert_sup = _tag("sup")
    convert_mark = _tag("mark")
    convert_ins = _tag("ins")
    convert_u = _tag("u")

    def convert_abbr(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        title = " ".join(str(el.get("title", "")).split())
        if "_noformat" in parent_tags or not text.strip() or not _ABBR_TITLE.fullmatch(title):
            return text
        return f'<abbr title="{title}">{text.strip()}</abbr>'

    convert_acronym = convert_abbr

    def convert_tt(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return str(self.convert_code(el, text, parent_tags))

    def convert_pre(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if not text.strip("\n"):
            return ""
        longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
        fence = "`" * max(3, longest + 1)
        body = text.strip("\n")
        return f"\n\n{fence}{_code_language(el) or ''}\n{body}\n{fence}\n\n"

    # Definition lists: CommonMark has none; the term in bold, its definition after it.
    def convert_dt(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        text = " ".join(text.split())
        return f"\n\n**{text}**\n\n" if text else ""

    def convert_dd(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        text = text.strip()
        return f"\n\n{text}\n\n" if text else ""

    def convert_td(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return " " + " ".join(text.split()) + " "

    convert_th = convert_td

    def convert_tr(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return " " + text.strip() + " "

    def _cells(self, row: Tag, parent_tags: set[str]) -> list[str]:
        cells: list[str] = []
        for cell in row.find_all(("td", "th"), recursive=False):
            if not isinstance(cell, Tag):
                continue
            text = self.process_tag(cell, parent_tags=parent_tags | {"table", "tr"}).strip()
            text = re.sub(r"(?<!\\)\|", r"\\|", text)
            span = str(cell.get("colspan", "1"))
            cells.append(text)
            cells.extend([""] * (min(int(span), 50) - 1 if span.isdigit() else 0))
        return cells

    def convert_table(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if "_inline" in parent_tags or "table" in parent_tags:
            return " " + " ".join(text.split()) + " "  # a table in a cell: its text
        head: list[Tag] = []
        body: list[Tag] = []
        foot: list[Tag] = []
        caption = ""
        for child in el.children:
            if not isinstance(child, Tag):
                continue
            if child.name == "caption":
                caption = " ".join(child.get_text().split())
            rows = [r for r in child.find_all("tr", recursive=False) if isinstance(r, Tag)]
            if child.name == "tr":
                body.append(child)
            elif child.name == "thead":
                head.extend(rows)
            elif child.name == "tfoot":
                foot.extend(rows)
            elif child.name == "tbody":
                body.extend(rows)
        ordered = [*head, *body, *foot]  # the footer is read last, as it is shown
        if not ordered:
            return ""
        rows = [self._cells(row, parent_tags) for row in ordered]
        width = max(1, *(len(r) for r in rows))
        rows = [r + [""] * (width - len(r)) for r in rows]
        # The header: the table's head, else a first row of header cells, else the first row.
        lines = [
            "| " + " | ".join(rows[0]) + " |",
            "| " + " | ".join(["---"] * width) + " |",
            *("| " + " | ".join(r) + " |" for r in rows[1:]),
        ]
        table = "\n".join(lines)
        return f"\n\n{caption}\n\n{table}\n\n" if caption else f"\n\n{table}\n\n"


_CONVERTER: Final = _Converter(
    heading_style="ATX",
    bullets="-",
    escape_misc=True,
    newline_style="BACKSLASH",
    # A link is written [text](address): as an autolink, its text would show decoded.
    autolinks=False,
    keep_inline_images_in=["td", "th"],
    strip=["script", "style", "iframe", "form", "input", "button", "noscript", "select"],
)


# markdownify escapes each text as if it might open a line. Mid-line, these escapes change
# nothing in the rendering, so they go: editors will edit this Markdown here.
_LINE_PREFIX: Final = re.compile(r"(?:\s*(?:>|[-*+]|\d{1,9}[.)])(?=\s))*\s*")
_NEEDLESS_MID_LINE: Final = re.compile(r"\\([-+#>=])|(?<=\d)\\([.)])|\\&(?!#?\w+;)")


def _tidy_line(line: str) -> str:
    prefix = _LINE_PREFIX.match(line)
    start = prefix.end() if prefix else 0

    def unescape(match: re.Match[str]) -> str:
        # What opens the line's text ("\\# not a heading", "12\\. not a list") stays escaped.
        if not line[start : match.start()].strip("0123456789"):
            return match.group(0)
        return match.group(1) or match.group(2) or "&"

    return _NEEDLESS_MID_LINE.sub(unescape, line)


def _tidy_lines(markdown: str) -> str:
    """Needless escapes, trailing spaces and runs of blank lines out; code left as it is."""
    lines: list[str] = []
    fence: str | None = None
    for line in markdown.split("\n"):
        opening = re.match(r"\s*(`{3,})", line)
        if fence is None and opening:
            fence = opening.group(1)
        elif fence is not None and line.strip() == fence:
            fence = None
        elif fence is None:
            line = _tidy_line(line.rstrip())
            if not line and (not lines or not lines[-1]):
                continue
        lines.append(line)
    return "\n".join(lines)


def html_to_markdown(soup: BeautifulSoup) -> str:
    _tidy(soup)
    return _tidy_lines(_CONVERTER.convert_soup(soup)).strip()
