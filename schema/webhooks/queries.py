from __future__ import annotations

import strawberry
from strawberry.types import Info

from publishing.errors import ForbiddenError
from publishing.webhooks import subscriptions
from schema.context import Context
from schema.webhooks.types import Webhook, deliveries_loader


@strawberry.type
class WebhookQueries:
    @strawberry.field(description="Every webhook, oldest first (administrators only).")
    async def webhooks(self, info: Info[Context, None]) -> list[Webhook]:
        actor = info.context.actor
        if actor is None:
            raise ForbiddenError("Webhooks are managed by administrators: send an admin token.")
        async with info.context.sessionmaker() as session:
            found = await subscriptions.list_webhooks(session, actor)
        loader = deliveries_loader(info.context.sessionmaker)
        return [Webhook.from_model(webhook, loader) for webhook in found]
