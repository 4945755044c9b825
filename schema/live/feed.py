"""What the subscriptions need from the process that serves them: a feed of article changes
(``api.live`` provides it) and the errors a subscription can end with."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from graphql import GraphQLError

from publishing.articles.models import Article
from publishing.changes.log import ArticleChange

# Error codes a subscription can end with (in `extensions.code`).
TOO_MANY_SUBSCRIPTIONS = "TOO_MANY_SUBSCRIPTIONS"
RESUME_TOO_OLD = "RESUME_TOO_OLD"
FELL_BEHIND = "FELL_BEHIND"
LIVE_UNAVAILABLE = "LIVE_UNAVAILABLE"


class LiveError(GraphQLError):
    """Why a subscription cannot start or go on; ``code`` says which."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message, extensions={"code": code})


@dataclass(frozen=True, slots=True)
class Wanted:
    """What one subscriber listens to: one article, or the articles of one language (None:
    every language). ``public_only``: a reader without a token hears only what the public
    could see."""

    article_id: int | None
    language: str | None
    public_only: bool

    def matches(self, change: ArticleChange) -> bool:
        subject = change.subject
        if subject.kind != "ARTICLE" or (self.public_only and not subject.public):
            return False
        if self.article_id is not None:
            return subject.article_id == self.article_id
        return self.language is None or subject.language == self.language


@dataclass(frozen=True)
class Delivery:
    """A change with the article as it was read after it (None once deleted), read once per
    process for every subscriber; each subscriber's visibility is checked on delivery."""

    change: ArticleChange
    article: Article | None
    # What subscribers derive from it once for all (schema.live.subscriptions).
    shared: dict[str, Any] = field(default_factory=dict, compare=False)


class ChangeFeed(Protocol):
    def listen(
        self, wanted: Wanted, *, holder: str, after: int | None
    ) -> contextlib.AbstractAsyncContextManager[AsyncIterator[Delivery]]:
        """The changes ``wanted`` names, from those after ``after`` (None: from now on);
        ``holder`` (a token, or a reader's address) is who the per-token limit counts.
        Raises LiveError when a limit is reached or ``after`` is too old."""
        ...


@dataclass
class LiveAccess:
    """One connection's way to the feed (a WebSocket may carry several subscriptions; an SSE
    request carries one): who it counts against, and how many it may hold at once."""

    feed: ChangeFeed
    holder: str
    max_per_connection: int
    open: int = 0
