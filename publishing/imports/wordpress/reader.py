"""A streaming reader of WordPress eXtended RSS (WXR 1.0-1.2) exports.

The file is parsed with ``iterparse`` and each top-level entry of the channel (site fields,
``wp:author``, ``wp:category``, ``wp:tag``, ``wp:term``, ``item``) is handed out as it ends
and then cleared, so memory stays flat however large the export is.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Final

__all__ = [
    "Site",
    "WxrAuthor",
    "WxrError",
    "WxrItem",
    "WxrTerm",
    "read_wxr",
]

# WordPress has written its namespace as http and as https, one per WXR version; WordPress.com
# writes the same ones. Elements of any other namespace are not WordPress's, whatever their
# prefix (a file may rebind ``wp:`` to something else).
_CONTENT: Final = re.compile(r"https?://purl\.org/rss/1\.0/modules/content/?")
_DC: Final = re.compile(r"https?://purl\.org/dc/elements/1\.1/?")
_WP: Final = re.compile(r"https?://wordpress\.org/export/1\.\d+/?")
_EXCERPT: Final = re.compile(r"https?://wordpress\.org/export/1\.\d+/excerpt/?")
_VERSION: Final = re.compile(r"1\.\d+")
KNOWN_VERSIONS: Final = ("1.0", "1.1", "1.2")


class WxrError(Exception):
    """The file cannot be read as a WordPress export; the message is one line."""


@dataclass(frozen=True, slots=True)
class Site:
    """A field of the channel: the site's title, language or base URL."""

    name: str  # "title", "link", "language", "base_site_url", "base_blog_url", "wxr_version"
    value: str


@dataclass(frozen=True, slots=True)
class WxrAuthor:
    login: str
    display_name: str
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    # Not in WordPress's own exporter; some exporters add the profile's description.
    description: str = ""


@dataclass(frozen=True, slots=True)
class WxrTerm:
    """A category, tag or other taxonomy term (Polylang keeps its languages and translation
    groups as terms too)."""

    term_id: int
    taxonomy: str  # "category", "post_tag", "language", "post_translations"...
    slug: str
    name: str
    description: str = ""
    parent: str = ""  # a category's parent, by slug


@dataclass(frozen=True, slots=True)
class ItemTerm:
    """A term an item is in: ``<category domain="post_tag" nicename="gas">Gas</category>``."""

    domain: str
    nicename: str
    name: str


@dataclass(slots=True)
class WxrItem:
    post_id: int
    post_type: str
    status: str
    title: str
    slug: str
    content: str
    excerpt: str
    creator: str
    post_date: dt.datetime | None  # the site's local time, read as UTC (ordering only)
    post_date_gmt: dt.datetime | None  # None for drafts ("0000-00-00 00:00:00")
    link: str = ""
    guid: str = ""
    password: str = ""  # readers had to type it: the post was not public
    sticky: bool = False
    # Attachments: the file's address, and the post it was uploaded to (0: none).
    attachment_url: str = ""
    parent: int = 0
    menu_order: int = 0
    terms: list[ItemTerm] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def external_id(self) -> str:
        """What identifies the post on its site across exports: its id, or for an item
        written without one (hand-made exports), its guid."""
        return str(self.post_id) if self.post_id > 0 else f"guid:{self.guid}"

    def terms_in(self, domain: str) -> list[ItemTerm]:
        return [t for t in self.terms if t.domain == domain]

    @property
    def date(self) -> dt.datetime | None:
        """When it was written: the GMT date when WordPress recorded one, else the local one."""
        return self.post_date_gmt or self.post_date


Entry = Site | WxrAuthor | WxrTerm | WxrItem


def _name(tag: str) -> str:
    """``{uri}local`` as ``prefix:local`` with the prefixes WXR files use."""
    if not tag.startswith("{"):
        return tag
    uri, local = tag[1:].split("}", 1)
    if _WP.fullmatch(uri):
        return f"wp:{local}"
    if _EXCERPT.fullmatch(uri):
        return f"excerpt:{local}"
    if _CONTENT.fullmatch(uri):
        return f"content:{local}"
    if _DC.fullmatch(uri):
        return f"dc:{local}"
    return tag


def _texts(element: ET.Element) -> dict[str, str]:
    """Child name -> text (the first of each name)."""
    found: dict[str, str] = {}
    for child in element:
        found.setdefault(_name(child.tag), (child.text or "").strip())
    return found


def _int(value: str, default: int = 0) -> int:
    try:
        return int(value)
    except ValueError:
        return default


def _date(value: str) -> dt.datetime | None:
    if not value or value.startswith("0000"):
        return None
    try:
        return dt.datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=dt.UTC)
    except ValueError:
        return None


def _author(element: ET.Element) -> WxrAuthor:
    t = _texts(element)
    login = t.get("wp:author_login", "")
    return WxrAuthor(
        login=login,
        display_name=t.get("wp:author_display_name", "") or login,
        email=t.get("wp:author_email", ""),
        first_name=t.get("wp:author_first_name", ""),
        last_name=t.get("wp:author_last_name", ""),
        description=t.get("wp:author_description", ""),
    )


def _term(element: ET.Element, kind: str) -> WxrTerm:
    t = _texts(element)
    if kind == "wp:category":
        return WxrTerm(
            _int(t.get("wp:term_id", "")),
            "category",
            t.get("wp:category_nicename", ""),
            t.get("wp:cat_name", ""),
            t.get("wp:category_description", ""),
            t.get("wp:category_parent", ""),
        )
    if kind == "wp:tag":
        return WxrTerm(
            _int(t.get("wp:term_id", "")),
            "post_tag",
            t.get("wp:tag_slug", ""),
            t.get("wp:tag_name", ""),
            t.get("wp:tag_description", ""),
        )
    return WxrTerm(
        _int(t.get("wp:term_id", "")),
        t.get("wp:term_taxonomy", ""),
        t.get("wp:term_slug", ""),
        t.get("wp:term_name", ""),
        t.get("wp:term_description", ""),
        t.get("wp:term_parent", ""),
    )


def _item(element: ET.Element) -> WxrItem:
    t = _texts(element)
    terms: list[ItemTerm] = []
    meta: dict[str, str] = {}
    for child in element:
        name = _name(child.tag)
        if name == "category" and child.get("domain"):
            domain = child.get("domain", "")
            # WXR 1.0 names the tag taxonomy "tag", as WordPress's importer knows.
            domain = "post_tag" if domain == "tag" else domain
            terms.append(ItemTerm(domain, child.get("nicename", ""), (child.text or "").strip()))
        elif name == "wp:postmeta":
            pair = _texts(child)
            meta.setdefault(pair.get("wp:meta_key", ""), pair.get("wp:meta_value", ""))
    # WXR 1.0 gives each term twice, with and without its slug: the one with it is enough.
    slugged = {(term.domain, term.name) for term in terms if term.nicename}
    terms = [term for term in terms if term.nicename or (term.domain, term.name) not in slugged]
    return WxrItem(
        post_id=_int(t.get("wp:post_id", "")),
        post_type=t.get("wp:post_type", "post") or "post",
        status=t.get("wp:status", ""),
        title=t.get("title", ""),
        slug=t.get("wp:post_name", ""),
        content=t.get("content:encoded", ""),
        excerpt=t.get("excerpt:encoded", ""),
        creator=t.get("dc:creator", ""),
        post_date=_date(t.get("wp:post_date", "")),
        post_date_gmt=_date(t.get("wp:post_date_gmt", "")),
        link=t.get("link", ""),
        guid=t.get("guid", "") or t.get("link", ""),
        password=t.get("wp:post_password", ""),
        sticky=t.get("wp:is_sticky", "0") == "1",
        attachment_url=t.get("wp:attachment_url", ""),
        parent=_int(t.get("wp:post_parent", "")),
        menu_order=_int(t.get("wp:menu_order", "")),
        terms=terms,
        meta=meta,
    )


_SITE_FIELDS: Final = {
    "title": "title",
    "link": "link",
    "language": "language",
    "wp:base_site_url": "base_site_url",
    "wp:base_blog_url": "base_blog_url",
    "wp:wxr_version": "wxr_version",
}


class _Counting:
    """A binary file that reports how far it has been read (for a progress bar)."""

    def __init__(self, file: IO[bytes], on_read: Callable[[int], None]) -> None:
        self._file = file
        self._on_read = on_read
        self._done = 0

    def read(self, size: int = -1) -> bytes:
        data = self._file.read(size)
        self._done += len(data)
        self._on_read(self._done)
        return data


def read_wxr(path: Path, on_read: Callable[[int], None] | None = None) -> Iterator[Entry]:
    """Every entry of the export in file order. Raises WxrError when the file cannot be
    opened or is not well-formed XML or not an RSS export; entries before a late error have
    already been handed out by then."""
    try:
        file = path.open("rb")
    except OSError as error:
        raise WxrError(f"{path}: cannot be opened: {error.strerror or error}") from None
    with file:
        source: IO[bytes] | _Counting = file if on_read is None else _Counting(file, on_read)
        yield from _entries(path, source)


def _check_version(path: Path, version: str) -> None:
    if not _VERSION.fullmatch(version):
        raise WxrError(
            f"{path}: WXR version {version[:20]!r} is not one WordPress writes "
            f"({', '.join(KNOWN_VERSIONS)})"
        )


def _entries(path: Path, source: IO[bytes] | _Counting) -> Iterator[Entry]:
    depth = 0
    channel: ET.Element | None = None
    version: str | None = None
    unnumbered = 0
    try:
        for event, element in ET.iterparse(source, events=("start", "end")):
            if event == "start":
                depth += 1
                if depth == 1 and _name(element.tag) != "rss":
                    raise WxrError(
                        f"{path}: not a WordPress export (WXR): the root element is "
                        f"<{_name(element.tag)}>, not <rss>"
                    )
                if depth == 2 and _name(element.tag) == "channel":
                    channel = element
                continue
            depth -= 1
            if depth != 2 or channel is None:
                continue
            entry = _entry(element)
            # Done with it: drop it and anything the channel still holds.
            channel.clear()
            if isinstance(entry, Site) and entry.name == "wxr_version" and version is None:
                _check_version(path, entry.value)
                version = entry.value
            if isinstance(entry, WxrItem) and entry.post_id <= 0:
                # An item without an id is known by its guid; a negative id stands for it
                # within a run (the same in every pass, being counted in file order).
                entry.post_id = 0
                if entry.guid:
                    unnumbered += 1
                    entry.post_id = -unnumbered
            if entry is not None:
                yield entry
    except ET.ParseError as error:
        line, column = error.position
        message = str(error).split(":", 1)[0]
        raise WxrError(
            f"{path}: not well-formed XML at line {line}, column {column + 1}: {message}"
        ) from None
    if channel is None:
        raise WxrError(f"{path}: not a WordPress export (WXR): no <channel> in the file")
    if version is None:
        # WordPress's own importer refuses these too: without it, nothing says which fields
        # the file's items have, or that it is an export at all.
        raise WxrError(
            f"{path}: not a WordPress export (WXR): no <wp:wxr_version> in WordPress's "
            "export namespace (http(s)://wordpress.org/export/1.x/)"
        )


def _entry(element: ET.Element) -> Entry | None:
    name = _name(element.tag)
    if name == "item":
        return _item(element)
    if name == "wp:author":
        return _author(element)
    if name in ("wp:category", "wp:tag", "wp:term"):
        return _term(element, name)
    if name in _SITE_FIELDS:
        return Site(_SITE_FIELDS[name], (element.text or "").strip())
    return None
