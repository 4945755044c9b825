"""WordPress post HTML to Markdown (markdownify), with footnote references kept as ``[^key]``.

Before conversion the HTML is made to look like what WordPress serves: classic-editor posts
get paragraphs from blank lines (as ``wpautop`` does), and the common wrapping shortcodes
(``[caption]``, ``[embed]``) are unwrapped. Block comments are dropped by the converter.
"""

from __future__ import annotations

import html
import re
import secrets
from collections.abc import Callable
from typing import Final

from bs4 import BeautifulSoup
from markdownify import MarkdownConverter

__all__ = ["ReferencePlaceholders", "html_to_markdown", "plain_text", "wordpress_soup"]

_BLOCK_START: Final = re.compile(
    r"^\s*<(?:p|h[1-6]|ul|ol|li|blockquote|pre|table|figure|div|hr|section|!--)\b",
    re.IGNORECASE,
)
_HAS_PARAGRAPHS: Final = re.compile(r"<p[\s>]", re.IGNORECASE)
_WRAPPING_SHORTCODES: Final = re.compile(
    r"\[/?(?:caption|wp_caption|embed)(?:\s[^\]]*)?\]", re.IGNORECASE
)
_MORE: Final = re.compile(r"<!--\s*(?:more|nextpage|noteaser)\b.*?-->", re.IGNORECASE)


def _autop(content: str) -> str:
    """Paragraphs from blank lines, line breaks from single newlines: what WordPress does to
    classic-editor posts when it shows them."""
    if _HAS_PARAGRAPHS.search(content):
        return content
    chunks = [c.strip() for c in re.split(r"\n\s*\n", content.replace("\r\n", "\n")) if c.strip()]
    return "\n".join(
        chunk if _BLOCK_START.match(chunk) else "<p>" + chunk.replace("\n", "<br>\n") + "</p>"
        for chunk in chunks
    )


def wordpress_soup(content: str) -> BeautifulSoup:
    content = _MORE.sub("", content)
    content = _WRAPPING_SHORTCODES.sub("", content)
    return BeautifulSoup(_autop(content), "html.parser")


_CONVERTER: Final = MarkdownConverter(
    heading_style="ATX",
    bullets="-",
    escape_misc=True,
    newline_style="BACKSLASH",
    strip=["script", "style", "iframe", "form", "input", "button", "noscript"],
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


def html_to_markdown(soup: BeautifulSoup) -> str:
    markdown = _CONVERTER.convert_soup(soup)
    markdown = re.sub(r"[ \t]+\n", "\n", markdown)
    markdown = re.sub(r"\n{3,}", "\n\n", markdown).strip()
    return "\n".join(_tidy_line(line) for line in markdown.split("\n"))


def plain_text(value: str) -> str:
    """Text of a title or excerpt, tags and entities resolved, on one line."""
    text = BeautifulSoup(value, "html.parser").get_text(" ")
    return " ".join(html.unescape(text).split())


class ReferencePlaceholders:
    """Placeholders for footnote references that survive Markdown escaping, then ``[^key]``.

    ``marker(key)`` gives the text to put in the HTML; ``finish(markdown)`` swaps them in.
    """

    def __init__(self) -> None:
        # Letters and digits only: nothing the converter escapes or joins with.
        self._prefix = f"zzfnref{secrets.token_hex(6)}k"
        self._keys: list[str] = []

    @property
    def marker(self) -> Callable[[str], str]:
        def make(key: str) -> str:
            self._keys.append(key)
            return f"{self._prefix}{len(self._keys) - 1}zz"

        return make

    def finish(self, markdown: str) -> str:
        return re.sub(
            rf"{self._prefix}(\d+)zz",
            lambda m: f"[^{self._keys[int(m.group(1))]}]",
            markdown,
        )
