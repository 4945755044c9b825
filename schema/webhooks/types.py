"""Webhooks as administrators see them: never with their secret."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from publishing.webhooks.models import Webhook as WebhookModel
from publishing.webhooks.subscriptions import DeliveryView
from schema.context import Context
from schema.errors import UserInputError
from schema.pagination import Connection, Keyset, Page, page_size


@strawberry.enum(description="What happened; a webhook receives the types it subscribes to.")
class WebhookEventType(Enum):
    ARTICLE_PUBLISHED = strawberry.enum_value(
        "ARTICLE_PUBLISHED",
        description="An article became visible to readers (a scheduled one: when its time came).",
    )
    ARTICLE_UPDATED = strawberry.enum_value(
        "ARTICLE_UPDATED", description="A visible article changed."
    )
    ARTICLE_UNPUBLISHED = strawberry.enum_value(
        "ARTICLE_UNPUBLISHED",
        description="A visible article was unpublished, archived or rescheduled for later.",
    )
    ARTICLE_DELETED = strawberry.enum_value(
        "ARTICLE_DELETED", description="An article was deleted."
    )
    AUTHOR_UPDATED = strawberry.enum_value(
        "AUTHOR_UPDATED", description="An author was created or changed (name, slug, bios)."
    )
    AUTHOR_DELETED = strawberry.enum_value("AUTHOR_DELETED", description="An author was deleted.")
    MEDIA_CREATED = strawberry.enum_value(
        "MEDIA_CREATED", description="An image or document was uploaded (new bytes)."
    )
    MEDIA_UPDATED = strawberry.enum_value(
        "MEDIA_UPDATED", description="A media asset's alt text, caption, credit or focal point."
    )
    MEDIA_DELETED = strawberry.enum_value("MEDIA_DELETED", description="A media asset was deleted.")
    PAGE_PUBLISHED = strawberry.enum_value(
        "PAGE_PUBLISHED",
        description="A page became visible to readers (a scheduled one: when its time came).",
    )
    PAGE_UPDATED = strawberry.enum_value("PAGE_UPDATED", description="A visible page changed.")
    PAGE_UNPUBLISHED = strawberry.enum_value(
        "PAGE_UNPUBLISHED",
        description="A visible page was unpublished, archived or rescheduled for later.",
    )
    PAGE_DELETED = strawberry.enum_value("PAGE_DELETED", description="A page was deleted.")
    SECTION_CREATED = strawberry.enum_value("SECTION_CREATED", description="A section was created.")
    SECTION_UPDATED = strawberry.enum_value(
        "SECTION_UPDATED",
        description="A section's names, slugs, descriptions, parent, position or image changed.",
    )
    SECTION_DELETED = strawberry.enum_value("SECTION_DELETED", description="A section was deleted.")
    MENU_UPDATED = strawberry.enum_value(
        "MENU_UPDATED", description="A navigation menu was created or its items replaced."
    )
    SITE_UPDATED = strawberry.enum_value(
        "SITE_UPDATED",
        description="The site's address, name, titles or permalink patterns changed: every "
        'public URL may have changed (surrogateKeys is ["*"]: purge everything).',
    )
    TRANSLATION_OUTDATED = strawberry.enum_value(
        "TRANSLATION_OUTDATED",
        description="An original's body or footnotes changed and a translation (draft or "
        "not) that followed its text no longer does; sent once, until it is brought up to "
        "date.",
    )
    TRANSLATION_SUBMITTED = strawberry.enum_value(
        "TRANSLATION_SUBMITTED",
        description="A translator handed a translation in for review (submitTranslation, "
        "importTranslation).",
    )


@strawberry.enum
class WebhookDeliveryStatus(Enum):
    PENDING = strawberry.enum_value("PENDING", description="Waiting for its next attempt.")
    DELIVERING = strawberry.enum_value("DELIVERING", description="An attempt is under way.")
    DELIVERED = strawberry.enum_value("DELIVERED", description="The receiver answered 2xx.")
    FAILED = strawberry.enum_value(
        "FAILED", description="Every attempt failed; `redeliverWebhookDelivery` tries again."
    )


def webhook_id(pk: int) -> strawberry.ID:
    return strawberry.ID(str(relay.GlobalID("Webhook", str(pk))))


def delivery_id(pk: int) -> strawberry.ID:
    return strawberry.ID(str(relay.GlobalID("WebhookDelivery", str(pk))))


@strawberry.type(description="One event on its way to one webhook: attempts and outcome.")
class WebhookDelivery:
    id: strawberry.ID
    event_id: str = strawberry.field(
        description="Sent as `Pressroom-Event-Id` and in the body; the same on every attempt "
        "and redelivery, so receivers can drop duplicates."
    )
    event_type: WebhookEventType
    occurred_at: dt.datetime
    status: WebhookDeliveryStatus
    attempts: int
    last_status_code: int | None = strawberry.field(
        description="The receiver's HTTP status at the last attempt; null if none came."
    )
    last_error: str | None = strawberry.field(description="Why the last attempt failed.")
    next_attempt_at: dt.datetime | None
    last_attempt_at: dt.datetime | None
    delivered_at: dt.datetime | None
    created_at: dt.datetime

    @classmethod
    def from_view(cls, view: DeliveryView) -> WebhookDelivery:
        return cls(
            id=delivery_id(view.id),
            event_id=view.event_id,
            event_type=WebhookEventType(view.event_type.value),
            occurred_at=view.occurred_at,
            status=WebhookDeliveryStatus(view.status.value),
            attempts=view.attempts,
            last_status_code=view.last_status_code,
            last_error=view.last_error,
            next_attempt_at=view.next_attempt_at,
            last_attempt_at=view.last_attempt_at,
            delivered_at=view.delivered_at,
            created_at=view.created_at,
        )


@strawberry.type(
    description="A subscription: events of the chosen types are POSTed to `url`, signed with "
    "the webhook's secret (shown once, when it is created)."
)
class Webhook:
    id: strawberry.ID
    url: str
    events: list[WebhookEventType]
    description: str | None
    active: bool = strawberry.field(description="Inactive webhooks receive nothing.")
    created_at: dt.datetime
    updated_at: dt.datetime
    _pk: strawberry.Private[int]

    @classmethod
    def from_model(cls, webhook: WebhookModel) -> Webhook:
        return cls(
            id=webhook_id(webhook.id),
            url=webhook.url,
            events=[WebhookEventType(e) for e in webhook.events],
            description=webhook.description,
            active=webhook.active,
            created_at=webhook.created_at,
            updated_at=webhook.updated_at,
            _pk=webhook.id,
        )

    @strawberry.field(
        description="This webhook's deliveries, newest first; `first` from 1 to 100 (default 20)."
    )
    async def deliveries(
        self, info: Info[Context, None], first: int | None = None, after: str | None = None
    ) -> WebhookDeliveryConnection:
        loaders = info.context.loaders
        page = Page.of(_deliveries_of(self._pk), first, after)
        views = await loaders.recent_deliveries.load((self._pk, page.fetch, page.after))

        async def count() -> int:
            return await loaders.delivery_counts.load(self._pk)

        return page.connection(
            WebhookDeliveryConnection,
            views,
            key=lambda view: view.id,
            node=WebhookDelivery.from_view,
            count=count,
        )

    @strawberry.field(
        description="The newest deliveries first (at most 100).",
        deprecation_reason="Use `deliveries`: the same list, in pages.",
    )
    async def recent_deliveries(
        self, info: Info[Context, None], first: int = 20
    ) -> list[WebhookDelivery]:
        limit = page_size(first)
        views = await info.context.loaders.recent_deliveries.load((self._pk, limit, None))
        return [WebhookDelivery.from_view(view) for view in views]


@strawberry.type(description="A page of a webhook's deliveries, newest first.")
class WebhookDeliveryConnection(Connection[WebhookDelivery]):
    pass


def _deliveries_of(webhook_pk: int) -> Keyset[int]:
    """Cursors of one webhook's deliveries: another webhook's cursor is refused."""

    def key(values: list[Any]) -> int:
        cursor_webhook, delivery_pk = values
        if cursor_webhook != webhook_pk:
            raise UserInputError(
                "`after` is a cursor of another webhook's deliveries; pass one from this list.",
                argument="after",
            )
        return int(delivery_pk)

    return Keyset("deliveries", lambda pk: (webhook_pk, pk), key)
