"""Section and menu changes reach webhook subscribers, with the surrogate keys to purge."""

from __future__ import annotations

import base64

import orjson
from sqlalchemy import select

from publishing.access import Role
from publishing.webhooks.models import WebhookEvent
from tests.support.client import api_client
from tests.support.lookup import rows
from tests.support.tokens import bearer, issue_token

EVENTS = ["SECTION_CREATED", "SECTION_UPDATED", "SECTION_DELETED", "MENU_UPDATED"]


async def test_section_and_menu_events(fresh_demo_url: str) -> None:
    admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
    async with api_client(
        fresh_demo_url, webhooks_allow_private=True, webhooks_dispatcher=False
    ) as api:
        hook = await api.data(
            """mutation($events: [WebhookEventType!]!) { createWebhook(input: {
              url: "http://127.0.0.1:9/hook", events: $events}) { __typename } }""",
            {"events": EVENTS},
            headers=admin,
        )
        assert hook["createWebhook"]["__typename"] == "CreateWebhookSuccess"
        created = await api.data(
            """mutation { createSection(input: {translations: [
              {language: "en", name: "Events", slug: "events"},
              {language: "tr", name: "Etkinlikler", slug: "etkinlikler"}]}) {
              ... on CreateSectionSuccess { section { id version } } } }""",
            headers=admin,
        )
        section = created["createSection"]["section"]
        updated = await api.data(
            """mutation($id: ID!) { updateSection(input: {id: $id, expectedVersion: 1,
              position: 5}) { __typename } }""",
            {"id": section["id"]},
            headers=admin,
        )
        assert updated["updateSection"]["__typename"] == "UpdateSectionSuccess"
        deleted = await api.data(
            "mutation($id: ID!) { deleteSection(input: {id: $id}) { __typename } }",
            {"id": section["id"]},
            headers=admin,
        )
        assert deleted["deleteSection"]["__typename"] == "DeleteSectionSuccess"
        menu = await api.data(
            """mutation { replaceMenu(input: {name: "side", language: "en", items: [
              {url: "https://example.org", label: "Example"}]}) {
              ... on ReplaceMenuSuccess { menu { id } } } }""",
            headers=admin,
        )
        menu_id = menu["replaceMenu"]["menu"]["id"]

    events = await rows(
        fresh_demo_url, select(WebhookEvent.type, WebhookEvent.body).order_by(WebhookEvent.id)
    )
    assert [str(t) for t, _ in events] == EVENTS
    bodies = [orjson.loads(body) for _, body in events]
    pk = int(base64.b64decode(section["id"]).decode().split(":")[1])
    assert bodies[0]["section"]["id"] == section["id"]
    assert bodies[0]["section"]["translations"] == [
        {"language": "en", "name": "Events", "slug": "events"},
        {"language": "tr", "name": "Etkinlikler", "slug": "etkinlikler"},
    ]
    assert bodies[1]["section"]["version"] == 2
    # The sitemaps list every section: a CDN holding them purges them too.
    assert all(b["surrogateKeys"] == [f"section:{pk}", "sections", "sitemaps"] for b in bodies[:3])
    assert bodies[3]["menu"] == {"id": menu_id, "name": "side", "language": "en", "version": 1}
    menu_pk = int(base64.b64decode(menu_id).decode().split(":")[1])
    assert bodies[3]["surrogateKeys"] == [f"menu:{menu_pk}"]
