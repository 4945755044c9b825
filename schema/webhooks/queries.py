from __future__ import annotations

import strawberry
from strawberry.types import Info

from publishing.webhooks import subscriptions
from schema.context import Context
from schema.permissions import Requires
from schema.webhooks.types import Webhook


@strawberry.type
class WebhookQueries:
    @strawberry.field(
        description="Every webhook, oldest first (administrators only).",
        extensions=[Requires(subscriptions.MANAGE_WEBHOOKS)],
    )
    async def webhooks(self, info: Info[Context, None]) -> list[Webhook]:
        async with info.context.reads.session() as session:
            found = await subscriptions.list_webhooks(session, info.context.actor)
        return [Webhook.from_model(webhook) for webhook in found]
