"""WordPress's ``wpautop``: the paragraphs and line breaks a classic-editor post is shown with.

Classic posts are stored as typed, with blank lines for paragraphs and single newlines for
line breaks; WordPress adds ``<p>`` and ``<br />`` each time it shows one. This is the same
transformation, step for step as ``wp-includes/formatting.php`` makes it, so that what was
one paragraph there is one here: block elements are not wrapped, ``<pre>`` is left as typed,
newlines inside tags, comments, scripts, styles, SVG and MathML are not line breaks.

PHP's regular expressions here have no Unicode flag, so ``\\s`` is ASCII whitespace only: a
no-break space is text, not a gap. Every pattern below is compiled with ``re.ASCII`` for it.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["BLOCK_TAGS", "wpautop"]

_A: Final = re.ASCII

BLOCK_TAGS: Final = (
    "table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map"
    "|area|blockquote|address|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup"
    "|header|footer|nav|figure|figcaption|details|menu|summary"
)
_BLOCKS: Final = f"(?:{BLOCK_TAGS})"

# WordPress's wp_html_split(): text, then a tag, comment or CDATA section, then text...
_HTML_SPLIT: Final = re.compile(
    r"(<(?:"
    r"(?=!--)!(?:-(?!->)[^-]*+)*+(?:-->)?"
    r"|(?=!\[CDATA\[)!\[CDATA\[[^\]]*+(?:\](?!\]>)[^\]]*+)*+(?:\]\]>)?"
    r"|[^>]*>?"
    r"))",
    _A,
)
_NEWLINE_MARK: Final = " <!-- wpnl --> "
_PRESERVED_MARK: Final = "<WPPreserveNewline />"

_DOUBLE_BR: Final = re.compile(r"<br\s*/?>\s*<br\s*/?>", _A)
_BLOCK_OPEN: Final = re.compile(rf"(<{_BLOCKS}[\s/>])", _A)
_BLOCK_CLOSE: Final = re.compile(rf"(</{_BLOCKS}>)", _A)
_HR: Final = re.compile(r"(<hr\s*?/?>)", _A)
_OPTION_BEFORE: Final = re.compile(r"\s*<option", _A)
_OPTION_AFTER: Final = re.compile(r"</option>\s*", _A)
_OBJECT_OPEN: Final = re.compile(r"(<object[^>]*>)\s*", _A)
_OBJECT_CLOSE: Final = re.compile(r"\s*</object>", _A)
_PARAM_EMBED: Final = re.compile(r"\s*(</?(?:param|embed)[^>]*>)\s*", _A)
_MEDIA_OPEN: Final = re.compile(r"([<\[](?:audio|video)[^>\]]*[>\]])\s*", _A)
_MEDIA_CLOSE: Final = re.compile(r"\s*([<\[]/(?:audio|video)[>\]])", _A)
_SOURCE_TRACK: Final = re.compile(r"\s*(<(?:source|track)[^>]*>)\s*", _A)
_FIGCAPTION_OPEN: Final = re.compile(r"\s*(<figcaption[^>]*>)", _A)
_FIGCAPTION_CLOSE: Final = re.compile(r"</figcaption>\s*", _A)
_MANY_NEWLINES: Final = re.compile(r"\n\n+", _A)
_PARAGRAPH_GAP: Final = re.compile(r"\n\s*\n", _A)
_EMPTY_P: Final = re.compile(r"<p>\s*</p>", _A)
_UNCLOSED_IN_BLOCK: Final = re.compile(r"<p>([^<]+)</(div|address|form)>", _A)
_WRAPPED_BLOCK_TAG: Final = re.compile(rf"<p>\s*(</?{_BLOCKS}[^>]*>)\s*</p>", _A)
_WRAPPED_LI: Final = re.compile(r"<p>(<li.+?)</p>", _A)
_WRAPPED_BLOCKQUOTE: Final = re.compile(r"<p><blockquote([^>]*)>", _A | re.IGNORECASE)
_P_BEFORE_BLOCK: Final = re.compile(rf"<p>\s*(</?{_BLOCKS}[^>]*>)", _A)
_P_AFTER_BLOCK: Final = re.compile(rf"(</?{_BLOCKS}[^>]*>)\s*</p>", _A)
_KEEP_NEWLINES: Final = re.compile(r"<(script|style|svg|math).*?</\1>", _A | re.DOTALL)
_NEWLINE_TO_BR: Final = re.compile(r"(?<!<br />)\s*\n", _A)
_BR_AFTER_BLOCK: Final = re.compile(rf"(</?{_BLOCKS}[^>]*>)\s*<br />", _A)
_BR_BEFORE_BLOCK: Final = re.compile(
    r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", _A
)
_FINAL_NEWLINE: Final = re.compile(r"\n</p>$", _A)


def _replace_in_tags(text: str, needle: str, replacement: str) -> str:
    """``needle`` replaced inside tags and comments only (WordPress's
    wp_replace_in_html_tags with one pair)."""
    parts = _HTML_SPLIT.split(text)
    for index in range(1, len(parts), 2):
        parts[index] = parts[index].replace(needle, replacement)
    return "".join(parts)


def _hide_pre(text: str) -> tuple[str, dict[str, str]]:
    """``<pre>`` elements swapped for placeholders, to come back untouched."""
    if "<pre" not in text:
        return text, {}
    *parts, last = text.split("</pre>")
    kept: dict[str, str] = {}
    rebuilt: list[str] = []
    for part in parts:
        start = part.find("<pre")
        if start < 0:  # malformed: a </pre> without its <pre
            rebuilt.append(part)
            continue
        name = f"<pre wp-pre-tag-{len(kept)}></pre>"
        kept[name] = part[start:] + "</pre>"
        rebuilt.append(part[:start] + name)
    rebuilt.append(last)
    return "".join(rebuilt), kept


def wpautop(text: str, *, br: bool = True) -> str:
    """``text`` with paragraphs and (with ``br``) line breaks, as WordPress shows it."""
    if not text.strip():
        return ""
    text += "\n"
    text, pre_tags = _hide_pre(text)
    text = _DOUBLE_BR.sub("\n\n", text)
    text = _BLOCK_OPEN.sub(r"\n\n\1", text)
    text = _BLOCK_CLOSE.sub(r"\1\n\n", text)
    text = _HR.sub(r"\1\n\n", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _replace_in_tags(text, "\n", _NEWLINE_MARK)
    if "<option" in text:
        text = _OPTION_BEFORE.sub("<option", text)
        text = _OPTION_AFTER.sub("</option>", text)
    if "</object>" in text:
        text = _OBJECT_OPEN.sub(r"\1", text)
        text = _OBJECT_CLOSE.sub("</object>", text)
        text = _PARAM_EMBED.sub(r"\1", text)
    if "<source" in text or "<track" in text:
        text = _MEDIA_OPEN.sub(r"\1", text)
        text = _MEDIA_CLOSE.sub(r"\1", text)
        text = _SOURCE_TRACK.sub(r"\1", text)
    if "<figcaption" in text:
        text = _FIGCAPTION_OPEN.sub(r"\1", text)
        text = _FIGCAPTION_CLOSE.sub("</figcaption>", text)
    text = _MANY_NEWLINES.sub("\n\n", text)
    paragraphs = [p for p in _PARAGRAPH_GAP.split(text) if p]
    text = "".join(f"<p>{p.strip(chr(10))}</p>\n" for p in paragraphs)
    text = _EMPTY_P.sub("", text)
    text = _UNCLOSED_IN_BLOCK.sub(r"<p>\1</p></\2>", text)
    text = _WRAPPED_BLOCK_TAG.sub(r"\1", text)
    text = _WRAPPED_LI.sub(r"\1", text)
    text = _WRAPPED_BLOCKQUOTE.sub(r"<blockquote\1><p>", text)
    text = text.replace("</blockquote></p>", "</p></blockquote>")
    text = _P_BEFORE_BLOCK.sub(r"\1", text)
    text = _P_AFTER_BLOCK.sub(r"\1", text)
    if br:
        text = _KEEP_NEWLINES.sub(lambda m: m.group(0).replace("\n", _PRESERVED_MARK), text)
        text = text.replace("<br>", "<br />").replace("<br/>", "<br />")
        text = _NEWLINE_TO_BR.sub("<br />\n", text)
        text = text.replace(_PRESERVED_MARK, "\n")
    text = _BR_AFTER_BLOCK.sub(r"\1", text)
    text = _BR_BEFORE_BLOCK.sub(r"\1", text)
    text = _FINAL_NEWLINE.sub("</p>", text)
    for name, pre in pre_tags.items():
        text = text.replace(name, pre)
    if "<!-- wpnl -->" in text:
        text = text.replace(_NEWLINE_MARK, "\n").replace("<!-- wpnl -->", "\n")
    return text
