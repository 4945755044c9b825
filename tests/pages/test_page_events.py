"""Page webhooks mirror the article ones (PAGE_PUBLISHED, PAGE_UPDATED, PAGE_UNPUBLISHED,
PAGE_DELETED), a scheduled page included; the change log names page listings."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from sqlalchemy import select

from publishing.access import Role
from publishing.changes.models import ContentChange
from tests.support.lookup import rows
from tests.support.tokens import bearer, issue_token
from tests.webhooks.harness import create_webhook, graphql
from tests.webhooks.stepping import HOOK, stepped

RESULT = "__typename ... on UserError { message }"
CREATE = f"""mutation($input: CreatePageInput!) {{ createPage(input: $input) {{
  {RESULT} ... on CreatePageSuccess {{ page {{ id version }} }} }} }}"""
UPDATE = f"""mutation($input: UpdatePageInput!) {{ updatePage(input: $input) {{
  {RESULT} ... on UpdatePageSuccess {{ page {{ id version }} }} }} }}"""
PUBLISH = f"""mutation($input: PublishPageInput!) {{ publishPage(input: $input) {{
  {RESULT} ... on PageStatusSuccess {{ page {{ id version }} }} }} }}"""
UNPUBLISH = f"""mutation($input: PageStatusInput!) {{ unpublishPage(input: $input) {{
  {RESULT} ... on PageStatusSuccess {{ page {{ id version }} }} }} }}"""
DELETE = f"""mutation($input: PageStatusInput!) {{ deletePage(input: $input) {{
  {RESULT} ... on DeletePageSuccess {{ deletedId }} }} }}"""

EVENTS = [
    "ARTICLE_PUBLISHED",
    "ARTICLE_UPDATED",
    "ARTICLE_UNPUBLISHED",
    "ARTICLE_DELETED",
    "PAGE_PUBLISHED",
    "PAGE_UPDATED",
    "PAGE_UNPUBLISHED",
    "PAGE_DELETED",
]
A_DAY = dt.timedelta(days=1)


def pk(global_id: str) -> int:
    return int(base64.b64decode(global_id).decode().split(":")[1])


async def newest_change(url: str) -> set[str]:
    [(keys,)] = await rows(
        url, select(ContentChange.keys).order_by(ContentChange.id.desc()).limit(1)
    )
    return set(keys.split())


async def test_page_events_mirror_article_events(fresh_demo_url: str) -> None:
    admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
    editor = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
    async with stepped(fresh_demo_url) as webhooks:
        api, sent = webhooks.api, webhooks.receiver
        await create_webhook(api, admin, HOOK, EVENTS)
        made = await graphql(
            api,
            CREATE,
            {"input": {"language": "en", "slug": "donate", "title": "Donate"}},
            editor,
            "createPage",
        )
        page: dict[str, Any] = made["page"]
        await webhooks.drain()
        assert sent.types == []  # a draft: nothing readers can see

        await graphql(api, PUBLISH, {"input": {"id": page["id"]}}, editor, "publishPage")
        await webhooks.drain()
        # The change log drops cached page listings, not article listings.
        keys = await newest_change(fresh_demo_url)
        assert f"article:{pk(page['id'])}" in keys and "pages:en" in keys
        assert "articles:en" not in keys
        await graphql(
            api,
            UPDATE,
            {"input": {"id": page["id"], "expectedVersion": 2, "title": "Support us"}},
            editor,
            "updatePage",
        )
        await webhooks.drain()
        await graphql(api, UNPUBLISH, {"input": {"id": page["id"]}}, editor, "unpublishPage")
        await webhooks.drain()
        # Scheduled for tomorrow: announced when its time comes, by the dispatcher.
        tomorrow = (webhooks.clock.now() + A_DAY).isoformat()
        await graphql(
            api,
            PUBLISH,
            {"input": {"id": page["id"], "publishAt": tomorrow}},
            editor,
            "publishPage",
        )
        await webhooks.drain()
        assert sent.types == ["PAGE_PUBLISHED", "PAGE_UPDATED", "PAGE_UNPUBLISHED"]
        await webhooks.later(A_DAY * 2)
        await graphql(api, DELETE, {"input": {"id": page["id"]}}, editor, "deletePage")
        await webhooks.drain()

    assert sent.types == [
        "PAGE_PUBLISHED",
        "PAGE_UPDATED",
        "PAGE_UNPUBLISHED",
        "PAGE_PUBLISHED",
        "PAGE_DELETED",
    ]
    first = sent.requests[0].json
    assert first["page"]["id"] == page["id"]
    assert first["page"]["slug"] == "donate" and first["page"]["language"] == "en"
    assert "article" not in first
    assert "pages:en" in first["surrogateKeys"]
    assert "articles:en" not in first["surrogateKeys"]
    assert f"article:{pk(page['id'])}" in first["surrogateKeys"]
    assert {r.json["page"]["id"] for r in sent.requests} == {page["id"]}
