"""The first pass over an export: the site, its authors and terms, and for every post its
language and translation group, so the second pass knows which version is the original.

Languages and groups are read in two forms:

- Polylang: ``<category domain="language" nicename="en">`` and
  ``<category domain="post_translations" nicename="pll_...">`` on each item; the group's
  ``<wp:term>`` (taxonomy ``post_translations``) holds a PHP-serialised array of
  language => post id. Term groups (``term_translations``) link translated categories and tags.
- WPML, as its "WPML Export and Import" add-on writes it: the post meta
  ``_wpml_import_language_code``, ``_wpml_import_translation_group`` and
  ``_wpml_import_source_language_code`` (empty on the original).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final

from publishing.imports.wordpress.convert import IMPORTED_STATUSES
from publishing.imports.wordpress.phpserial import PhpSerialError, unserialize
from publishing.imports.wordpress.reader import Entry, Site, WxrAuthor, WxrItem, WxrTerm
from publishing.imports.wordpress.uploads import (
    NO_REFERENCES,
    References,
    Uploads,
    attachment_of,
    media_references,
)

__all__ = ["ExportIndex", "PostEntry", "index_export"]

_WPML_LANGUAGE: Final = "_wpml_import_language_code"
_WPML_GROUP: Final = "_wpml_import_translation_group"
_WPML_SOURCE: Final = "_wpml_import_source_language_code"


@dataclass(slots=True)
class PostEntry:
    post_id: int
    status: str
    title: str
    date: dt.datetime | None
    language: str | None  # as the file spells it; None: the default language
    group: str | None = None  # "polylang:pll_5f1..." or "wpml:42"
    wpml_source: str | None = None  # WPML: the language it was translated from
    references: References = NO_REFERENCES  # the uploads its content shows
    post_type: str = "post"  # or "page"

    @property
    def importable(self) -> bool:
        return self.status in IMPORTED_STATUSES


def _mapping(description: str) -> dict[str, int]:
    """A Polylang group's ``language => id`` array; {} when it is not one."""
    try:
        value = unserialize(description)
    except (PhpSerialError, ValueError, UnicodeError):
        return {}
    if not isinstance(value, dict):
        return {}
    return {
        str(k): int(v)
        for k, v in value.items()
        if isinstance(k, str) and isinstance(v, int | str) and str(v).isdigit()
    }


@dataclass(frozen=True, slots=True)
class MenuEntry:
    """One ``nav_menu_item``: a link of the WordPress menu ``menu`` (its slug)."""

    post_id: int
    menu: str
    title: str
    status: str
    order: int
    type: str  # "post_type", "taxonomy", "custom", "post_type_archive"
    object: str  # "post", "page", "category", "post_tag", "custom"...
    object_id: int
    parent: int  # the menu item it is under; 0: top level
    url: str


def _menu_entry(item: WxrItem) -> MenuEntry | None:
    menu = next((t.nicename for t in item.terms_in("nav_menu") if t.nicename), None)
    if menu is None:
        return None
    meta = item.meta
    return MenuEntry(
        post_id=item.post_id,
        menu=menu,
        title=item.title,
        status=item.status,
        order=item.menu_order,
        type=meta.get("_menu_item_type", ""),
        object=meta.get("_menu_item_object", ""),
        object_id=_number(meta.get("_menu_item_object_id", "")),
        parent=_number(meta.get("_menu_item_menu_item_parent", "")),
        url=meta.get("_menu_item_url", "").strip(),
    )


def _number(value: str) -> int:
    return int(value) if value.strip().isdigit() else 0


@dataclass(slots=True)
class ExportIndex:
    site: dict[str, str] = field(default_factory=dict)
    authors: dict[str, WxrAuthor] = field(default_factory=dict)  # by login
    terms: dict[tuple[str, str], WxrTerm] = field(default_factory=dict)  # (taxonomy, slug)
    term_groups: dict[int, dict[str, int]] = field(default_factory=dict)  # term id -> lang->id
    posts: dict[int, PostEntry] = field(default_factory=dict)  # posts and pages, file order
    menu_items: list[MenuEntry] = field(default_factory=list)  # in file order
    groups: dict[str, list[int]] = field(default_factory=dict)  # group -> post ids
    other_items: Counter[str] = field(default_factory=Counter)
    unidentified: list[str] = field(default_factory=list)  # titles of items with no post id
    uploads: Uploads = field(default_factory=Uploads)  # attachments, upload folders
    _creators: dict[str, None] = field(default_factory=dict)
    _polylang: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def site_url(self) -> str:
        """The blog the export is of. Not ``base_site_url``: that is the network's address,
        the same for every blog of a multisite network and for all of WordPress.com."""
        site = self.site
        url = site.get("base_blog_url") or site.get("link") or site.get("base_site_url") or ""
        return url.rstrip("/")

    def members(self, group: str) -> list[PostEntry]:
        return [self.posts[post_id] for post_id in self.groups.get(group, ())]

    def original_of(self, group: str, default_language: str) -> int | None:
        """The version that becomes the story's original: WPML names it; otherwise the first
        written (the default language, then the lowest id, breaking ties)."""
        members = [p for p in self.members(group) if p.importable]
        if not members:
            return None
        sourceless = [p for p in members if group.startswith("wpml:") and not p.wpml_source]
        if len(sourceless) == 1:
            return sourceless[0].post_id
        earliest = dt.datetime.max.replace(tzinfo=dt.UTC)
        return min(
            members,
            key=lambda p: (
                p.date or earliest,
                (p.language or default_language) != default_language,
                p.post_id,
            ),
        ).post_id

    def term_group(self, taxonomy: str, slug: str) -> list[tuple[str, WxrTerm]]:
        """(language, term) of the Polylang translations of a term, itself included; [] when
        it has none."""
        own = self.terms.get((taxonomy, slug))
        group = self.term_groups.get(own.term_id, {}) if own else {}
        by_id = {t.term_id: t for (tax, _), t in self.terms.items() if tax == taxonomy}
        return [(code, by_id[i]) for code, i in group.items() if i in by_id]

    def languages(self) -> set[str]:
        return {p.language for p in self.posts.values() if p.language}

    # -- building --------------------------------------------------------------------------

    def add(self, entry: Entry) -> None:
        if isinstance(entry, Site):
            self.site.setdefault(entry.name, entry.value)
        elif isinstance(entry, WxrAuthor):
            if entry.login:
                self.authors.setdefault(entry.login, entry)
        elif isinstance(entry, WxrTerm):
            self._add_term(entry)
        elif entry.post_id == 0:
            self.unidentified.append(entry.title)
        elif entry.post_type == "nav_menu_item" and (menu := _menu_entry(entry)) is not None:
            self.menu_items.append(menu)
        elif entry.post_type not in ("post", "page"):
            self.other_items[entry.post_type] += 1
            if entry.post_type == "attachment":
                language = next((t.nicename for t in entry.terms_in("language")), None)
                self.uploads.add(attachment_of(entry, language or None))
        else:
            if entry.creator:
                self._creators.setdefault(entry.creator)
            self._add_post(entry)

    def _add_term(self, term: WxrTerm) -> None:
        self.terms.setdefault((term.taxonomy, term.slug), term)
        if term.taxonomy == "post_translations":
            self._polylang[term.slug] = _mapping(term.description)
        elif term.taxonomy == "term_translations":
            mapping = _mapping(term.description)
            for term_id in mapping.values():
                self.term_groups[term_id] = mapping

    def _add_post(self, item: WxrItem) -> None:
        language = next((t.nicename for t in item.terms_in("language") if t.nicename), None)
        group = next(
            (f"polylang:{t.nicename}" for t in item.terms_in("post_translations") if t.nicename),
            None,
        )
        wpml_source = None
        if language is None and item.meta.get(_WPML_LANGUAGE):
            language = item.meta[_WPML_LANGUAGE]
            wpml_group = item.meta.get(_WPML_GROUP)
            group = f"wpml:{wpml_group}" if wpml_group else None
            wpml_source = item.meta.get(_WPML_SOURCE) or None
        self.posts[item.post_id] = PostEntry(
            post_id=item.post_id,
            status=item.status,
            title=item.title,
            date=item.date,
            language=language,
            group=group,
            wpml_source=wpml_source,
            references=media_references(item),
            post_type=item.post_type,
        )

    def finish(self) -> None:
        """Fill in what the Polylang group terms know and the items did not say; and as
        WordPress's importer does, take the authors of an export that lists none (WXR 1.0)
        from its posts' ``dc:creator``."""
        self.uploads.add_site(self.site_url)
        if not self.authors:
            for login in self._creators:
                self.authors.setdefault(login, WxrAuthor(login=login, display_name=login))
        for slug, mapping in self._polylang.items():
            for language, post_id in mapping.items():
                post = self.posts.get(post_id)
                if post is None:
                    continue
                post.group = post.group or f"polylang:{slug}"
                post.language = post.language or language
        for post in self.posts.values():
            if post.group:
                self.groups.setdefault(post.group, []).append(post.post_id)


def index_export(entries: Iterable[Entry]) -> ExportIndex:
    index = ExportIndex()
    for entry in entries:
        index.add(entry)
    index.finish()
    return index
