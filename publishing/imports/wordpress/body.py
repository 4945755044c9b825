"""A WordPress post's content as the HTML WordPress shows, ready to be written as Markdown.

Classic posts get their paragraphs as ``wpautop`` makes them, block posts are read by their
blocks; shortcodes run, addresses alone on a line become embeds, as WordPress does when it
shows a post (see ``autop``, ``blocks``, ``shortcodes``). Frames, players and scripts are not
kept in a body: those of a known provider become embeds, the rest is reported.
"""

from __future__ import annotations

import html
import re
import secrets
from collections.abc import Callable
from typing import Final

from bs4 import BeautifulSoup, Tag
from bs4.element import NavigableString

from publishing.embeds import Embed
from publishing.imports.report import ProblemKind
from publishing.imports.wordpress.autop import wpautop
from publishing.imports.wordpress.blocks import is_block_post, render_blocks
from publishing.imports.wordpress.embeds import (
    AUDIO,
    VIDEO,
    embed_element,
    is_address,
    known_provider,
)
from publishing.imports.wordpress.findings import Findings
from publishing.imports.wordpress.shortcodes import autoembed, do_shortcodes

__all__ = ["ReferencePlaceholders", "plain_text", "title_text", "wordpress_soup"]

_MORE: Final = re.compile(r"<!--\s*(?:more|noteaser)\b.*?-->", re.IGNORECASE)
_NEXTPAGE: Final = re.compile(r"<!--\s*nextpage\s*-->", re.IGNORECASE)
_IFRAME_IDS: Final = (
    (re.compile(r"youtube(?:-nocookie)?\.com/embed/([\w-]+)"), "https://www.youtube.com/watch?v="),
    (re.compile(r"player\.vimeo\.com/video/(\d+)"), "https://vimeo.com/"),
)


def _iframe_address(src: str) -> str:
    """The page a provider's player frame shows, as one would link it."""
    src = "https:" + src if src.startswith("//") else src
    for pattern, page in _IFRAME_IDS:
        match = pattern.search(src)
        if match:
            return page + match.group(1)
    return src


def _replace(element: Tag, embed: Embed | None) -> None:
    if embed is None:
        element.decompose()
    else:
        element.replace_with(embed_element(embed))


def _media_source(element: Tag) -> str:
    src = str(element.get("src", "")).strip()
    if is_address(src):
        return src
    for source in element.find_all("source"):
        if isinstance(source, Tag) and is_address(str(source.get("src", "")).strip()):
            return str(source["src"]).strip()
    link = element.find("a", href=True)
    return str(link["href"]).strip() if isinstance(link, Tag) else ""


def _players(soup: BeautifulSoup, findings: Findings) -> None:
    """Frames, players, scripts and forms: an embed where a provider is known, else reported
    and taken out (a body holds no active content)."""
    for quote in soup.find_all("blockquote", class_=("twitter-tweet", "instagram-media")):
        if not isinstance(quote, Tag):
            continue
        permalink = str(quote.get("data-instgrm-permalink", ""))
        links = [str(a.get("href", "")) for a in quote.find_all("a") if isinstance(a, Tag)]
        url = permalink or next((u for u in reversed(links) if known_provider(u)), "")
        if url:
            quote.replace_with(embed_element(Embed(known_provider(url) or "link", url)))
    for element in soup.find_all(("iframe", "audio", "video", "object", "embed")):
        if not isinstance(element, Tag) or element.parent is None:
            continue
        if element.name in ("audio", "video"):
            url = _media_source(element)
            kind = AUDIO if element.name == "audio" else VIDEO
            if not url:
                findings.add(ProblemKind.NOT_CONVERTED, f"<{element.name}> without a source")
            _replace(element, Embed(kind, url) if url else None)
            continue
        src = str(element.get("src") or element.get("data") or "").strip()
        url = _iframe_address(src)
        provider = known_provider(url)
        if provider is None:
            where = f" from {url.split('/')[2]}" if is_address(url) else ""
            findings.add(ProblemKind.NOT_CONVERTED, f"<{element.name}>{where}")
        _replace(element, Embed(provider, url) if provider else None)
    for element in soup.find_all(("script", "form", "noscript", "style")):
        if not isinstance(element, Tag) or element.parent is None:
            continue
        if element.name in ("script", "form"):
            src = str(element.get("src", ""))
            # The script providers' embeds load is no loss once the embed is kept.
            if not (element.name == "script" and known_provider(src)):
                findings.add(ProblemKind.NOT_CONVERTED, f"<{element.name}>")
        element.decompose()


def wordpress_soup(content: str, findings: Findings | None = None) -> BeautifulSoup:
    """The post as WordPress shows it, parsed; what could not come over is in ``findings``."""
    findings = findings if findings is not None else Findings()
    content = _MORE.sub("", content)
    pages = len(_NEXTPAGE.findall(content))
    if pages and not is_block_post(content):
        findings.add(ProblemKind.FLATTENED, f"{pages + 1} pages (<!--nextpage-->) joined")
    content = _NEXTPAGE.sub("\n\n", content)
    if is_block_post(content):
        shown = autoembed(render_blocks(content, findings))
    else:
        shown = wpautop(do_shortcodes(autoembed(content), findings))
    soup = BeautifulSoup(shown, "html.parser")
    _players(soup, findings)
    return soup


# Inline elements whose text joins its neighbours' with no space ("Mark<sup>up</sup>").
_SCRIPTS: Final = {
    "sup": str.maketrans("0123456789+-=()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ"),
    "sub": str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎"),
}


_BLOCK_EDGE: Final = re.compile(
    r"<(?=/?(?:p|div|li|ul|ol|h[1-6]|br|tr|td|th|blockquote|figure|figcaption|hr)\b)",
    re.IGNORECASE,
)


def plain_text(value: str) -> str:
    """Text of a title or excerpt, tags and entities resolved, on one line: blocks and line
    breaks apart by a space, inline elements joined as written ("Mark<sup>up</sup>")."""
    text = BeautifulSoup(_BLOCK_EDGE.sub(" <", value), "html.parser").get_text("")
    return " ".join(html.unescape(text).split())


def title_text(value: str, findings: Findings) -> str:
    """A title as plain text. Superscript and subscript digits and signs keep their place
    (H₂O, m²) in Unicode; other markup is reduced to its text, and reported."""
    soup = BeautifulSoup(value, "html.parser")
    reduced: set[str] = set()
    for element in soup.find_all(True):
        if not isinstance(element, Tag) or element.name == "br":
            continue
        text = element.get_text("")
        table = _SCRIPTS.get(element.name)
        if table is not None and text and all(ord(c) in table for c in text):
            element.replace_with(NavigableString(text.translate(table)))
        else:
            reduced.add(element.name)
    if reduced:
        tags = ", ".join(f"<{name}>" for name in sorted(reduced))
        findings.add(ProblemKind.FLATTENED, f"title markup {tags} kept as text")
    return plain_text(str(soup))


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
