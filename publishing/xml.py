"""Text made safe for XML 1.0 documents (feeds, sitemaps).

XML 1.0 forbids most control characters outright (a parser stops at the first), and unpaired
surrogates and U+FFFE/U+FFFF too; escaping cannot save them, so they are dropped. Everything
else is escaped, so no title or body can close an element, open one, or end a CDATA section:
nothing here writes CDATA at all.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["xml_attribute", "xml_clean", "xml_text"]

# What XML 1.0 (section 2.2, Char) does not allow anywhere in a document.
_FORBIDDEN: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# In attributes, quotes too, and white space a parser would otherwise normalise away.
_ATTRIBUTE: Final = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "'": "&apos;",
        "\t": "&#9;",
        "\n": "&#10;",
        "\r": "&#13;",
    }
)


def xml_clean(value: str) -> str:
    """``value`` without the characters XML 1.0 forbids (for JSON, the same text a reader of
    the XML forms gets)."""
    # Searched first: most text has none, and a search allocates nothing.
    return _FORBIDDEN.sub("", value) if _FORBIDDEN.search(value) else value


def xml_text(value: str) -> str:
    """``value`` as element content."""
    # str.replace runs in C over whole strings: a full body is hundreds of kilobytes.
    text = xml_clean(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # A carriage return as such would reach the reader as a line feed (XML end-of-line rule).
    return text.replace("\r", "&#13;")


def xml_attribute(value: str) -> str:
    """``value`` as an attribute's value, for either quote."""
    return xml_clean(value).translate(_ATTRIBUTE)
