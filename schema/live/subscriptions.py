"""The subscriptions: ``articleChanged`` and ``articlesChanged``.

Each event names the change (its kind, and ``changeId``, the cursor a client passes back as
``after`` to resume where it was) and carries the article as the subscriber may see it then:
the visibility check runs again for every event and every subscriber, so a reader without a
token never receives a draft, and an article that is gone (or hidden from this subscriber)
arrives as its id only.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import AsyncGenerator

import strawberry
from strawberry import relay
from strawberry.types import Info

from schema.articles.types import Article
from schema.context import Context
from schema.errors import UserInputError
from schema.live.feed import (
    LIVE_UNAVAILABLE,
    TOO_MANY_SUBSCRIPTIONS,
    Delivery,
    LiveError,
    Wanted,
)
from schema.live.sharing import SharedResults


@strawberry.enum(description="What happened to an article.")
class ArticleChangeKind(enum.Enum):
    CREATED = "CREATED"
    UPDATED = "UPDATED"
    PUBLISHED = "PUBLISHED"
    UNPUBLISHED = "UNPUBLISHED"
    ARCHIVED = "ARCHIVED"
    DELETED = "DELETED"


@strawberry.type(description="One change to an article, as a subscriber receives it.")
class ArticleChange:
    change_id: str = strawberry.field(
        description="This change's place in the change log: pass the last one received as "
        "`after` when subscribing again, to receive what was missed in between."
    )
    kind: ArticleChangeKind
    article_id: strawberry.ID = strawberry.field(
        description="The article's global ID (also for a deleted article)."
    )
    language: str = strawberry.field(description="The article's language code.")
    occurred_at: dt.datetime
    article: Article | None = strawberry.field(
        description="The article as it is now, if this subscriber may see it: null once "
        "deleted, or when it is hidden from this subscriber (unpublished, say)."
    )
    # Answers computed on this payload, shared by subscribers who asked the same.
    shared_results: strawberry.Private[SharedResults | None] = None


def _event(delivery: Delivery, context: Context) -> ArticleChange:
    visibility = context.visibility
    # One payload per kind of reader, so that subscribers who asked the same share one
    # execution of their selection on it (schema.live.sharing).
    reader = "public" if context.actor is None else f"role:{context.actor.role.value}"
    event = delivery.shared.get(reader)
    if not isinstance(event, ArticleChange):
        model = delivery.article
        visible = model is not None and visibility.allows(model)
        event = _payload(delivery, Article.from_model(model) if visible and model else None)
        event.shared_results = SharedResults()
        delivery.shared[reader] = event
    return event


def _payload(delivery: Delivery, article: Article | None) -> ArticleChange:
    change = delivery.change
    return ArticleChange(
        change_id=str(change.id),
        kind=ArticleChangeKind(change.subject.event),
        article_id=strawberry.ID(relay.to_base64("Article", change.subject.article_id)),
        language=change.subject.language,
        occurred_at=change.created_at,
        article=article,
    )


def _article_id(raw: str) -> int:
    try:
        global_id = relay.GlobalID.from_id(raw)
    except Exception as exc:  # any undecodable value: the message says what is wanted
        raise UserInputError(
            f"{raw[:60]!r} is not an article's global ID; pass an `id` this API returned.",
            argument="id",
        ) from exc
    if global_id.type_name != "Article" or not global_id.node_id.isdigit():
        raise UserInputError(f"{raw[:60]!r} is not an article's global ID.", argument="id")
    return int(global_id.node_id)


def _cursor(after: str | None) -> int | None:
    if after is None:
        return None
    if not after.isdigit() or len(after) > 18:
        raise UserInputError(
            "`after` must be a `changeId` this API sent in a subscription event.",
            argument="after",
        )
    return int(after)


async def _follow(
    info: Info[Context, None], wanted: Wanted, after: str | None
) -> AsyncGenerator[ArticleChange, None]:
    context = info.context
    start = _cursor(after)
    live = context.live
    if live is None:
        raise LiveError("This server does not serve subscriptions.", LIVE_UNAVAILABLE)
    if live.open >= live.max_per_connection:
        raise LiveError(
            f"A connection may hold at most {live.max_per_connection} subscriptions at once; "
            "end one first (or open another connection).",
            TOO_MANY_SUBSCRIPTIONS,
        )
    live.open += 1
    try:
        async with live.feed.listen(wanted, holder=live.holder, after=start) as deliveries:
            async for delivery in deliveries:
                # Fresh loaders and clock: what this event's fields read is read now.
                context.refresh()
                yield _event(delivery, context)
    finally:
        live.open -= 1


@strawberry.type
class LiveSubscriptions:
    @strawberry.subscription(
        description="Changes to one article, as they are committed: edits, status changes, "
        "deletion. Without a token, only changes readers could see. `after`: the last "
        "`changeId` received, to receive first what came after it."
    )
    async def article_changed(
        self, info: Info[Context, None], id: strawberry.ID, after: str | None = None
    ) -> AsyncGenerator[ArticleChange, None]:
        wanted = Wanted(_article_id(str(id)), None, public_only=info.context.actor is None)
        async for change in _follow(info, wanted, after):
            yield change

    @strawberry.subscription(
        description="Changes to any article, or to those in one language: created, edited, "
        "published, unpublished, archived, deleted. Without a token, only changes readers "
        "could see. `after`: the last `changeId` received, to receive first what came after."
    )
    async def articles_changed(
        self,
        info: Info[Context, None],
        language: str | None = None,
        after: str | None = None,
    ) -> AsyncGenerator[ArticleChange, None]:
        wanted = Wanted(None, language, public_only=info.context.actor is None)
        async for change in _follow(info, wanted, after):
            yield change
