"""Ids handed out outside a GraphQL response (webhook payloads) are the ones the API gives."""

from __future__ import annotations

import pytest
from strawberry import relay

from publishing.global_ids import global_id
from tests.support.client import ApiClient
from tests.support.lookup import article_id


@pytest.mark.parametrize(
    ("type_name", "pk"), [("Article", 12), ("Author", 1), ("WebhookDelivery", 9_876_543_210)]
)
def test_the_format_is_the_one_strawberry_writes(type_name: str, pk: int) -> None:
    assert global_id(type_name, pk) == str(relay.GlobalID(type_name, str(pk)))
    assert relay.GlobalID.from_id(global_id(type_name, pk)) == relay.GlobalID(type_name, str(pk))


async def test_an_article_has_the_id_the_api_gives_it(client: ApiClient, demo_url: str) -> None:
    language, slug = "en", "turkiyes-gas-hub-ambition"
    data = await client.data(
        "query($l: String!, $s: String!) { article(language: $l, slug: $s) { id } }",
        {"l": language, "s": slug},
    )
    assert data["article"]["id"] == global_id("Article", await article_id(demo_url, language, slug))
