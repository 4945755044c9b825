"""Which content a read touched: the surrogate keys of every row the ORM loaded while a
``tracking()`` block was open (the response cache tags its entries with them, and a CDN gets
them as the ``Surrogate-Key`` header).

Loads of ORM objects are observed through SQLAlchemy's ``load`` event, so no resolver or
loader has to remember to report what it read; the few hot reads that select plain rows
instead (a page of articles loads hundreds) call ``record`` themselves.

The collector is a context variable: DataLoader batches run as tasks created inside the
request, and tasks inherit it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from typing import Any

from sqlalchemy import event

from publishing.articles.models import Article, ArticleRevision, ContributorCredit, Story
from publishing.authors.models import Author, AuthorBio
from publishing.footnotes.models import Footnote
from publishing.languages.models import Language
from publishing.media.models import MediaAsset, MediaText
from publishing.menus.models import Menu, MenuItem
from publishing.sections.models import Section, SectionTranslation
from publishing.surrogate import (
    article_key,
    author_key,
    media_key,
    menu_key,
    section_key,
    sections_key,
    story_key,
    tag_key,
)
from publishing.tags.models import Tag, TagName

LANGUAGES_KEY = "languages"

_collector: ContextVar[set[str] | None] = ContextVar("pressroom_read_keys", default=None)


@contextlib.contextmanager
def tracking() -> Iterator[set[str]]:
    """Collect the keys of what is loaded inside the block (and in tasks it starts)."""
    keys: set[str] = set()
    token = _collector.set(keys)
    try:
        yield keys
    finally:
        _collector.reset(token)


def record(keys: Iterable[str]) -> None:
    """Report the keys of what a read loaded as plain rows, which no load event sees."""
    collected = _collector.get()
    if collected is not None:
        collected.update(keys)


# Each reads the instance's loaded values straight from its __dict__: going through the
# instrumented attributes inside a load event costs several times more (measured).
def _credit_keys(values: dict[str, Any]) -> Iterable[str]:
    yield author_key(values["author_id"])
    if values.get("story_id") is not None:
        yield story_key(values["story_id"])
    if values.get("article_id") is not None:
        yield article_key(values["article_id"])


KEYS_OF: dict[type[Any], Callable[[dict[str, Any]], Iterable[str]]] = {
    Article: lambda v: (article_key(v["id"]), story_key(v["story_id"])),
    Story: lambda v: (story_key(v["id"]),),
    ArticleRevision: lambda v: (article_key(v["article_id"]),),
    ContributorCredit: _credit_keys,
    Footnote: lambda v: (article_key(v["article_id"]),),
    Author: lambda v: (author_key(v["id"]),),
    AuthorBio: lambda v: (author_key(v["author_id"]),),
    Tag: lambda v: (tag_key(v["id"]),),
    TagName: lambda v: (tag_key(v["tag_id"]),),
    Language: lambda _: (LANGUAGES_KEY,),
    MediaAsset: lambda v: (media_key(v["id"]),),
    MediaText: lambda v: (media_key(v["asset_id"]),),
    Section: lambda v: (section_key(v["id"]), sections_key()),
    SectionTranslation: lambda v: (section_key(v["section_id"]),),
    Menu: lambda v: (menu_key(v["id"]),),
    MenuItem: lambda v: (menu_key(v["menu_id"]),),
}


def _listener(keys_of: Callable[[dict[str, Any]], Iterable[str]]) -> Callable[[Any, Any], None]:
    def on_load(target: Any, _context: Any) -> None:
        keys = _collector.get()
        if keys is not None:
            with contextlib.suppress(KeyError):  # a partial load (deferred columns)
                keys.update(keys_of(target.__dict__))

    return on_load


for _model, _keys_of in KEYS_OF.items():
    event.listen(_model, "load", _listener(_keys_of))
