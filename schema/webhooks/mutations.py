"""Webhook mutations (administrators): one `input` each, results as unions of success and the
errors each can produce."""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info

from publishing.access import Actor
from publishing.unset import UNSET
from publishing.webhooks import subscriptions
from publishing.webhooks.models import EventType
from publishing.webhooks.subscriptions import NewWebhook, WebhookChanges
from schema.context import Context
from schema.mutations import decode_ids, run_mutation
from schema.usererrors import ForbiddenError, NotFoundError, ValidationError
from schema.webhooks.types import (
    Webhook,
    WebhookDelivery,
    WebhookEventType,
    deliveries_loader,
)


@strawberry.input
class CreateWebhookInput:
    url: str = strawberry.field(
        description="An absolute http(s) URL on a public address; events are POSTed to it."
    )
    events: list[WebhookEventType] = strawberry.field(description="At least one.")
    secret: str | None = strawberry.field(
        default=None,
        description="16-200 printable ASCII characters; left out, one is generated. Either "
        "way it is returned once, in the result, and never again.",
    )
    description: str | None = strawberry.field(default=None, description="At most 200 characters.")
    active: bool = True


@strawberry.input(description="Fields left out stay as they are.")
class UpdateWebhookInput:
    id: strawberry.ID
    url: strawberry.Maybe[str]
    events: strawberry.Maybe[list[WebhookEventType]]
    secret: strawberry.Maybe[str] = strawberry.field(
        description="A new signing secret (it is not returned)."
    )
    description: strawberry.Maybe[str | None] = strawberry.field(description="Null removes it.")
    active: strawberry.Maybe[bool]


@strawberry.input
class DeleteWebhookInput:
    id: strawberry.ID


@strawberry.input
class RedeliverWebhookDeliveryInput:
    delivery_id: strawberry.ID = strawberry.field(
        description="A delivery from `Webhook.recentDeliveries`."
    )


@strawberry.type
class CreateWebhookSuccess:
    webhook: Webhook
    secret: str = strawberry.field(
        description="Receivers verify signatures with it. Shown this once: store it now."
    )


@strawberry.type
class UpdateWebhookSuccess:
    webhook: Webhook


@strawberry.type
class DeleteWebhookSuccess:
    deleted_id: strawberry.ID


@strawberry.type
class RedeliverWebhookDeliverySuccess:
    delivery: WebhookDelivery = strawberry.field(
        description="The new delivery: same event and webhook, sent again soon."
    )


CreateWebhookResult = Annotated[
    CreateWebhookSuccess | ValidationError | ForbiddenError,
    strawberry.union("CreateWebhookResult"),
]
UpdateWebhookResult = Annotated[
    UpdateWebhookSuccess | ValidationError | NotFoundError | ForbiddenError,
    strawberry.union("UpdateWebhookResult"),
]
DeleteWebhookResult = Annotated[
    DeleteWebhookSuccess | ValidationError | NotFoundError | ForbiddenError,
    strawberry.union("DeleteWebhookResult"),
]
RedeliverWebhookDeliveryResult = Annotated[
    RedeliverWebhookDeliverySuccess | ValidationError | NotFoundError | ForbiddenError,
    strawberry.union("RedeliverWebhookDeliveryResult"),
]


def _events(values: list[WebhookEventType]) -> list[EventType]:
    return [EventType(v.value) for v in values]


def _webhook_id(value: strawberry.ID) -> int:
    return decode_ids({("id",): (value, "Webhook")})[("id",)]


@strawberry.type
class WebhookMutations:
    @strawberry.mutation(description="Subscribe a URL to events (administrators).")
    async def create_webhook(
        self, info: Info[Context, None], input: CreateWebhookInput
    ) -> CreateWebhookResult:
        async def work(session: AsyncSession, actor: Actor) -> CreateWebhookSuccess:
            data = NewWebhook(
                url=input.url,
                events=_events(input.events),
                secret=input.secret,
                description=input.description,
                active=input.active,
            )
            created = await subscriptions.create_webhook(
                session,
                actor,
                data,
                allow_private=info.context.webhooks_allow_private,
                now=info.context.now,
            )
            webhook = Webhook.from_model(
                created.webhook, deliveries_loader(info.context.sessionmaker)
            )
            return CreateWebhookSuccess(webhook=webhook, secret=created.secret)

        return await run_mutation(info, work)  # type: ignore[return-value]

    @strawberry.mutation(description="A partial update of a webhook (administrators).")
    async def update_webhook(
        self, info: Info[Context, None], input: UpdateWebhookInput
    ) -> UpdateWebhookResult:
        async def work(session: AsyncSession, actor: Actor) -> UpdateWebhookSuccess:
            changes = WebhookChanges(
                url=UNSET if input.url is None else input.url.value,
                events=UNSET if input.events is None else _events(input.events.value),
                secret=UNSET if input.secret is None else input.secret.value,
                description=UNSET if input.description is None else input.description.value,
                active=UNSET if input.active is None else input.active.value,
            )
            webhook = await subscriptions.update_webhook(
                session,
                actor,
                _webhook_id(input.id),
                changes,
                allow_private=info.context.webhooks_allow_private,
                now=info.context.now,
            )
            loader = deliveries_loader(info.context.sessionmaker)
            return UpdateWebhookSuccess(webhook=Webhook.from_model(webhook, loader))

        return await run_mutation(info, work)  # type: ignore[return-value]

    @strawberry.mutation(description="Delete a webhook; its pending deliveries are dropped.")
    async def delete_webhook(
        self, info: Info[Context, None], input: DeleteWebhookInput
    ) -> DeleteWebhookResult:
        async def work(session: AsyncSession, actor: Actor) -> DeleteWebhookSuccess:
            await subscriptions.delete_webhook(session, actor, _webhook_id(input.id))
            return DeleteWebhookSuccess(deleted_id=input.id)

        return await run_mutation(info, work)  # type: ignore[return-value]

    @strawberry.mutation(
        description="Send a delivery's event to its webhook again, as a new delivery."
    )
    async def redeliver_webhook_delivery(
        self, info: Info[Context, None], input: RedeliverWebhookDeliveryInput
    ) -> RedeliverWebhookDeliveryResult:
        async def work(session: AsyncSession, actor: Actor) -> RedeliverWebhookDeliverySuccess:
            pk = decode_ids({("deliveryId",): (input.delivery_id, "WebhookDelivery")})[
                ("deliveryId",)
            ]
            view = await subscriptions.redeliver(session, actor, pk, now=info.context.now)
            return RedeliverWebhookDeliverySuccess(delivery=WebhookDelivery.from_view(view))

        return await run_mutation(info, work)  # type: ignore[return-value]
