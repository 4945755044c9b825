"""``usage`` on each media asset: what shows it, for editorial tools only, read for a whole
page of the media library in the same statements as for a few assets."""

from __future__ import annotations

import asyncio
import secrets
from typing import Any

import pytest
from sqlalchemy import select
from strawberry import relay

from publishing.access import SYSTEM, Role
from publishing.articles.editing import NewArticle, create_article
from publishing.authors.models import Author
from publishing.clock import SYSTEM_CLOCK
from publishing.db import create_engine, create_sessionmaker
from publishing.media.models import AuthorAvatar, MediaAsset, MediaKind
from tests.support.client import api_client
from tests.support.tokens import bearer, issue_token

pytestmark = pytest.mark.anyio

USED = 55  # images (and as many documents) in use, more than a library page of 50

LIBRARY = """
query ($first: Int!, $filter: MediaFilter) {
  mediaAssets(first: $first, filter: $filter) {
    edges { node { id fileName usage { kind id field label } } }
  }
}
"""


def _asset(name: str, kind: MediaKind) -> MediaAsset:
    """An asset's row (usage needs no file)."""
    image = kind is MediaKind.IMAGE
    now = SYSTEM_CLOCK.now()
    return MediaAsset(
        key=secrets.token_hex(8),
        kind=kind,
        file_name=name,
        media_type="image/jpeg" if image else "application/pdf",
        byte_size=1000,
        content_hash=secrets.token_hex(32),
        width=800 if image else None,
        height=600 if image else None,
        uploaded_by="system",
        created_at=now,
        updated_at=now,
    )


async def _use_media(url: str) -> tuple[int, int]:
    """USED articles, each with an image as its featured image and in its body, and a
    document attached; the last image is also the first author's portrait. Returns that
    image's id and its author's."""
    engine = create_engine(url, for_writes=True)
    now = SYSTEM_CLOCK.now()
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            images = [_asset(f"photo-{i}.jpg", MediaKind.IMAGE) for i in range(USED)]
            documents = [_asset(f"report-{i}.pdf", MediaKind.DOCUMENT) for i in range(USED)]
            session.add_all(images + documents)
            await session.flush()
            for i, (image, document) in enumerate(zip(images, documents, strict=True)):
                await create_article(
                    session,
                    SYSTEM,
                    NewArticle(
                        language="en",
                        slug=f"pictured-{i}",
                        title=f"Pictured {i}",
                        body=f"Before.\n\n![Photo {i}](media:{image.id})\n\nAfter.",
                        featured_image_id=image.id,
                        attachment_ids=[document.id],
                    ),
                    now=now,
                )
            author_id = await session.scalar(select(Author.id).order_by(Author.id).limit(1))
            assert author_id is not None
            await session.merge(AuthorAvatar(author_id=author_id, asset_id=images[-1].id))
            return images[-1].id, author_id
    finally:
        await engine.dispose()


@pytest.fixture
def used_url(fresh_demo_url: str) -> tuple[str, int, int]:
    return fresh_demo_url, *asyncio.run(_use_media(fresh_demo_url))


async def test_usage_lists_what_shows_each_asset_as_media_usage_does(
    used_url: tuple[str, int, int],
) -> None:
    url, image_id, author_id = used_url
    token = bearer(await issue_token(url, Role.CONTRIBUTOR))
    image = str(relay.GlobalID("Image", str(image_id)))
    async with api_client(url) as api:
        data = await api.data(
            """query ($id: ID!) {
                 node(id: $id) { ... on MediaAsset { usage { kind id field label } } }
                 mediaUsage(id: $id) { kind id field label }
               }""",
            {"id": image},
            headers=token,
        )
        library = await api.data(
            LIBRARY, {"first": 10, "filter": {"nameContains": "-3."}}, headers=token
        )
    article = data["node"]["usage"][0]["id"]
    assert relay.GlobalID.from_id(article).type_name == "Article"
    assert [(u["kind"], u["id"], u["field"]) for u in data["node"]["usage"]] == [
        ("article", article, "featuredImage"),
        ("article", article, "body"),
        ("author", str(relay.GlobalID("Author", str(author_id))), "avatar"),
    ]
    assert data["node"]["usage"][0]["label"] == f"Pictured {USED - 1} (en)"
    assert data["mediaUsage"] == data["node"]["usage"]
    # Documents answer too, and an asset nothing uses has an empty list.
    edges = library["mediaAssets"]["edges"]
    by_name = {edge["node"]["fileName"]: edge["node"]["usage"] for edge in edges}
    assert [(u["kind"], u["field"], u["label"]) for u in by_name["report-3.pdf"]] == [
        ("article", "attachments", "Pictured 3 (en)")
    ]
    assert [u["field"] for u in by_name["photo-3.jpg"]] == ["featuredImage", "body"]


async def test_usage_needs_a_token(used_url: tuple[str, int, int]) -> None:
    url, image_id, _author_id = used_url
    async with api_client(url) as api:
        # Images are public (the cards and portraits of public pages); what uses them is not.
        refused = await api.query(
            """query ($id: ID!) { node(id: $id) { ... on Image { width usage { kind } } } }""",
            {"id": str(relay.GlobalID("Image", str(image_id)))},
        )
    [error] = refused["errors"]
    assert error["message"].startswith("Browsing the media library needs a token")
    assert error["path"] == ["node", "usage"]
    assert refused["data"] == {"node": None}


async def test_a_page_of_50_costs_the_statements_a_page_of_5_does(
    used_url: tuple[str, int, int],
) -> None:
    url, _image_id, _author_id = used_url
    token = bearer(await issue_token(url, Role.EDITOR))
    counts: dict[int, int] = {}
    async with api_client(url) as api:
        await api.data(LIBRARY, {"first": 1}, headers=token)  # the token's first use
        for first in (5, 50):
            api.counter.reset()
            data = await api.data(LIBRARY, {"first": first}, headers=token)
            edges: list[dict[str, Any]] = data["mediaAssets"]["edges"]
            assert len(edges) == first
            assert all(edge["node"]["usage"] for edge in edges)
            counts[first] = api.counter.count
    assert counts[5] == counts[50], counts
    # the token, the page, and the usages' nine (featured images, attachments, bodies,
    # avatars, section images, and the social images of article, author, tag and section SEO)
    assert counts[50] <= 11, counts
