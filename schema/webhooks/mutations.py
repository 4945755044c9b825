"""Webhook mutations (administrators): one `input` each, results as unions of success and the
errors each can produce."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info

from publishing.access import Actor
from publishing.webhooks import subscriptions
from publishing.webhooks.models import EventType
from publishing.webhooks.signing import signing_secret
from publishing.webhooks.subscriptions import NewWebhook, WebhookChanges
from schema.context import Context
from schema.maybe import given
from schema.mutations import (
    Deleted,
    decode_one,
    mutation,
    result_union,
    run_deletion,
    run_mutation,
    success_type,
)
from schema.usererrors import AnyUserError, ForbiddenError, NotFoundError, ValidationError
from schema.webhooks.types import Webhook, WebhookDelivery, WebhookEventType


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
    signing_secret: str = strawberry.field(
        description="The same secret as Standard Webhooks libraries take it (`whsec_` and the "
        "secret's bytes in base64), to verify the `webhook-signature` header: "
        "`Webhook(signingSecret).verify(body, headers)`. Shown this once, like `secret`."
    )


@strawberry.type
class UpdateWebhookSuccess:
    webhook: Webhook


DeleteWebhookSuccess = success_type(Deleted, "DeleteWebhookSuccess")


@strawberry.type
class RedeliverWebhookDeliverySuccess:
    delivery: WebhookDelivery = strawberry.field(
        description="The new delivery: same event and webhook, sent again soon."
    )


CreateWebhookResult = result_union(
    "CreateWebhookResult", CreateWebhookSuccess, ValidationError, ForbiddenError
)
UpdateWebhookResult = result_union(
    "UpdateWebhookResult", UpdateWebhookSuccess, ValidationError, NotFoundError, ForbiddenError
)
DeleteWebhookResult = result_union(
    "DeleteWebhookResult", DeleteWebhookSuccess, ValidationError, NotFoundError, ForbiddenError
)
RedeliverWebhookDeliveryResult = result_union(
    "RedeliverWebhookDeliveryResult",
    RedeliverWebhookDeliverySuccess,
    ValidationError,
    NotFoundError,
    ForbiddenError,
)


def _events(values: list[WebhookEventType]) -> list[EventType]:
    return [EventType(v.value) for v in values]


@strawberry.type
class WebhookMutations:
    @mutation(
        CreateWebhookResult,
        needs=subscriptions.MANAGE_WEBHOOKS,
        description="Subscribe a URL to events (administrators).",
    )
    async def create_webhook(
        self, info: Info[Context, None], input: CreateWebhookInput
    ) -> CreateWebhookSuccess | AnyUserError:
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
            webhook = Webhook.from_model(created.webhook)
            return CreateWebhookSuccess(
                webhook=webhook,
                secret=created.secret,
                signing_secret=signing_secret(created.secret),
            )

        return await run_mutation(info, work)

    @mutation(
        UpdateWebhookResult,
        needs=subscriptions.MANAGE_WEBHOOKS,
        description="A partial update of a webhook (administrators).",
    )
    async def update_webhook(
        self, info: Info[Context, None], input: UpdateWebhookInput
    ) -> UpdateWebhookSuccess | AnyUserError:
        async def work(session: AsyncSession, actor: Actor) -> UpdateWebhookSuccess:
            changes = WebhookChanges(
                url=given(input.url),
                events=given(input.events, _events),
                secret=given(input.secret),
                description=given(input.description),
                active=given(input.active),
            )
            webhook = await subscriptions.update_webhook(
                session,
                actor,
                decode_one(input.id, "Webhook"),
                changes,
                allow_private=info.context.webhooks_allow_private,
                now=info.context.now,
            )
            return UpdateWebhookSuccess(webhook=Webhook.from_model(webhook))

        return await run_mutation(info, work)

    @mutation(
        DeleteWebhookResult,
        needs=subscriptions.MANAGE_WEBHOOKS,
        description="Delete a webhook; its pending deliveries are dropped.",
    )
    async def delete_webhook(
        self, info: Info[Context, None], input: DeleteWebhookInput
    ) -> Deleted | AnyUserError:
        target = (input.id, "Webhook")
        return await run_deletion(
            info,
            DeleteWebhookSuccess,
            target,
            lambda session, actor, webhook_id, *, now: subscriptions.delete_webhook(
                session, actor, webhook_id
            ),
        )

    @mutation(
        RedeliverWebhookDeliveryResult,
        needs=subscriptions.MANAGE_WEBHOOKS,
        description="Send a delivery's event to its webhook again, as a new delivery.",
    )
    async def redeliver_webhook_delivery(
        self, info: Info[Context, None], input: RedeliverWebhookDeliveryInput
    ) -> RedeliverWebhookDeliverySuccess | AnyUserError:
        async def work(session: AsyncSession, actor: Actor) -> RedeliverWebhookDeliverySuccess:
            pk = decode_one(input.delivery_id, "WebhookDelivery", "deliveryId")
            view = await subscriptions.redeliver(session, actor, pk, now=info.context.now)
            return RedeliverWebhookDeliverySuccess(delivery=WebhookDelivery.from_view(view))

        return await run_mutation(info, work)
