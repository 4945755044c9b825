"""Media mutations through the real app with real multipart requests (httpx ``files=``):
uploads, each refusal at its path, URL ingest, updates under optimistic locking, deletion,
and the cached public answers an update purges."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, select
from strawberry import relay

from publishing.access import SYSTEM, Role
from publishing.articles.models import Article
from publishing.authors.models import Author
from publishing.clock import SYSTEM_CLOCK
from publishing.db import create_engine, create_sessionmaker
from publishing.media.models import ArticleFeaturedImage, AuthorAvatar
from publishing.webhooks.models import EventType, WebhookEvent
from publishing.webhooks.subscriptions import NewWebhook, create_webhook
from tests.media.files import HEIC, SVG, jpeg, pdf, png, png_declaring
from tests.support.client import ApiClient, api_client
from tests.support.tokens import bearer, issue_token

pytestmark = pytest.mark.anyio

PREFLIGHT = {"GraphQL-Require-Preflight": "1"}

CREATE = """
mutation ($input: CreateMediaInput!) {
  createMedia(input: $input) {
    __typename
    ... on CreateMediaSuccess {
      created
      media {
        id version fileName mediaType credit uploadedBy
        ... on Image { width height alt caption focalPoint { x y } }
      }
    }
    ... on ValidationError { issues { path code } }
    ... on ForbiddenError { message }
  }
}
"""

UPDATE = """
mutation ($input: UpdateMediaInput!) {
  updateMedia(input: $input) {
    __typename
    ... on UpdateMediaSuccess { media { version credit ... on Image { alt } } }
    ... on ValidationError { issues { path code } }
    ... on ConflictError { currentVersion }
    ... on ForbiddenError { message }
  }
}
"""

DELETE = """
mutation ($input: DeleteMediaInput!) {
  deleteMedia(input: $input) {
    __typename
    ... on DeleteMediaSuccess { deletedId }
    ... on ValidationError { issues { path code } }
    ... on ConflictError { currentVersion }
    ... on ForbiddenError { message }
  }
}
"""


@dataclass
class Newsroom:
    api: ApiClient
    url: str
    editor: dict[str, str]
    contributor: dict[str, str]

    async def upload(
        self,
        content: bytes,
        name: str,
        *,
        headers: dict[str, str] | None = None,
        **fields: Any,
    ) -> dict[str, Any]:
        """createMedia as a multipart request: the operation, the map, the file."""
        operations = {"query": CREATE, "variables": {"input": {"file": None, **fields}}}
        response = await self.api.http.post(
            "/graphql",
            data={
                "operations": json.dumps(operations),
                "map": json.dumps({"0": ["variables.input.file"]}),
            },
            files={"0": (name, content, "application/octet-stream")},
            headers={**PREFLIGHT, **(headers or self.editor)},
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert "errors" not in body, body["errors"]
        result: dict[str, Any] = body["data"]["createMedia"]
        return result

    async def mutate(self, query: str, name: str, **input: Any) -> dict[str, Any]:
        data = await self.api.data(query, {"input": input}, headers=self.editor)
        result: dict[str, Any] = data[name]
        return result


@pytest.fixture
async def newsroom(fresh_demo_url: str, tmp_path: Path) -> AsyncIterator[Newsroom]:
    editor = await issue_token(fresh_demo_url, Role.EDITOR, "editor-ed")
    contributor = await issue_token(fresh_demo_url, Role.CONTRIBUTOR, "contributor-cy")
    async with api_client(
        fresh_demo_url, media_url=(tmp_path / "media").as_uri(), media_max_bytes=200_000
    ) as api:
        yield Newsroom(api, fresh_demo_url, bearer(editor), bearer(contributor))


async def test_a_jpeg_upload_becomes_an_image_described_as_asked(newsroom: Newsroom) -> None:
    result = await newsroom.upload(
        jpeg(64, 48),
        "harbour.jpg",
        alt="Cranes at dusk",
        caption="The harbour",
        credit="Photo: AP",
        focalPoint={"x": 0.25, "y": 0.7},
    )
    assert result["__typename"] == "CreateMediaSuccess"
    assert result["created"] is True
    media = result["media"]
    assert media["mediaType"] == "image/jpeg"
    assert (media["width"], media["height"]) == (64, 48)
    assert media["alt"] == "Cranes at dusk"
    assert media["caption"] == "The harbour"
    assert media["credit"] == "Photo: AP"
    assert media["focalPoint"] == {"x": 0.25, "y": 0.7}
    assert media["uploadedBy"] == "editor-ed"


async def test_png_and_pdf_uploads_and_the_same_bytes_twice(newsroom: Newsroom) -> None:
    image = await newsroom.upload(png(30, 20), "chart.png")
    document = await newsroom.upload(pdf(), "report.pdf")
    again = await newsroom.upload(png(30, 20), "chart-copy.png", alt="Ignored: not new")
    assert image["media"]["mediaType"] == "image/png"
    assert document["media"]["mediaType"] == "application/pdf"
    assert "width" not in document["media"]  # a Document
    assert again["created"] is False
    assert again["media"]["id"] == image["media"]["id"]
    assert again["media"]["alt"] is None


@pytest.mark.parametrize(
    ("content", "name", "code"),
    [
        (SVG, "logo.svg", "UNSUPPORTED_TYPE"),
        (HEIC, "phone.heic", "UNSUPPORTED_TYPE"),
        (png(10, 10), "photo.jpg", "TYPE_MISMATCH"),
        (jpeg(64, 48)[:200], "cut.jpg", "CORRUPT"),
        (png_declaring(100_000, 100_000), "bomb.png", "TOO_MANY_PIXELS"),
        (b"", "empty.pdf", "EMPTY"),
        (b"x" * 200_001, "big.csv", "TOO_LARGE"),
    ],
)
async def test_each_refusal_names_the_file_field(
    newsroom: Newsroom, content: bytes, name: str, code: str
) -> None:
    result = await newsroom.upload(content, name)
    assert result == {"__typename": "ValidationError", "issues": [{"path": ["file"], "code": code}]}


async def test_a_bad_description_is_refused_at_its_field_and_nothing_is_kept(
    newsroom: Newsroom,
) -> None:
    result = await newsroom.upload(
        jpeg(), "a.jpg", language="xx", alt="A", focalPoint={"x": 2, "y": 0.5}
    )
    assert result["__typename"] == "ValidationError"
    assert {(tuple(i["path"]), i["code"]) for i in result["issues"]} == {
        (("language",), "NOT_ENABLED"),
        (("focalPoint", "x"), "OUT_OF_RANGE"),
    }
    # Rolled back: the same bytes make a new asset.
    assert (await newsroom.upload(jpeg(), "a.jpg"))["created"] is True


async def test_a_contributor_uploads_and_edits_only_their_own(newsroom: Newsroom) -> None:
    theirs = await newsroom.upload(jpeg(20, 20), "mine.jpg", headers=newsroom.contributor)
    assert theirs["media"]["uploadedBy"] == "contributor-cy"
    other = await newsroom.upload(jpeg(30, 30), "editors.jpg")
    for asset, expected in ((theirs, "UpdateMediaSuccess"), (other, "ForbiddenError")):
        data = await newsroom.api.data(
            UPDATE,
            {"input": {"id": asset["media"]["id"], "expectedVersion": 1, "credit": "Me"}},
            headers=newsroom.contributor,
        )
        assert data["updateMedia"]["__typename"] == expected
    refused = await newsroom.api.data(
        DELETE, {"input": {"id": theirs["media"]["id"]}}, headers=newsroom.contributor
    )
    assert refused["deleteMedia"]["__typename"] == "ForbiddenError"


async def test_an_upload_needs_a_token_and_a_preflight_header(newsroom: Newsroom) -> None:
    response = await newsroom.api.http.post(
        "/graphql",
        data={"operations": json.dumps({"query": CREATE}), "map": "{}"},
        files={"0": ("a.jpg", jpeg(), "image/jpeg")},
        headers=newsroom.editor,
    )
    assert response.status_code == 400


async def test_url_ingest_refuses_loopback(newsroom: Newsroom) -> None:
    result = await newsroom.mutate(
        """mutation ($input: CreateMediaFromUrlInput!) {
             createMediaFromUrl(input: $input) {
               __typename ... on ValidationError { issues { path code } }
             }
           }""",
        "createMediaFromUrl",
        url="http://127.0.0.1:9/photo.jpg",
    )
    assert result == {
        "__typename": "ValidationError",
        "issues": [{"path": ["url"], "code": "PRIVATE_ADDRESS"}],
    }


async def test_update_under_a_stale_version_is_a_conflict(newsroom: Newsroom) -> None:
    media_id = (await newsroom.upload(jpeg(), "a.jpg"))["media"]["id"]
    first = await newsroom.mutate(
        UPDATE,
        "updateMedia",
        id=media_id,
        expectedVersion=1,
        texts=[{"language": "en", "alt": "A harbour"}],
    )
    assert first["__typename"] == "UpdateMediaSuccess"
    assert first["media"]["version"] == 2
    assert first["media"]["alt"] == "A harbour"
    stale = await newsroom.mutate(UPDATE, "updateMedia", id=media_id, expectedVersion=1, credit="X")
    assert stale == {"__typename": "ConflictError", "currentVersion": 2}
    bad = await newsroom.mutate(
        UPDATE,
        "updateMedia",
        id=media_id,
        expectedVersion=2,
        texts=[{"language": "en", "alt": "x"}, {"language": "EN", "caption": "y"}],
    )
    assert bad["issues"] == [{"path": ["texts", "1", "language"], "code": "DUPLICATE"}]


async def test_delete_with_version_check_then_the_asset_is_gone(newsroom: Newsroom) -> None:
    media_id = (await newsroom.upload(pdf(), "report.pdf"))["media"]["id"]
    stale = await newsroom.mutate(DELETE, "deleteMedia", id=media_id, expectedVersion=5)
    assert stale == {"__typename": "ConflictError", "currentVersion": 1}
    gone = await newsroom.mutate(DELETE, "deleteMedia", id=media_id, expectedVersion=1)
    assert gone == {"__typename": "DeleteMediaSuccess", "deletedId": media_id}
    again = await newsroom.api.data(
        "query ($id: ID!) { node(id: $id) { id } }", {"id": media_id}, headers=newsroom.editor
    )
    assert again["node"] is None


async def test_a_cached_public_answer_showing_an_asset_changes_after_update_media(
    newsroom: Newsroom,
) -> None:
    created = await newsroom.upload(jpeg(), "a.jpg", alt="Before")
    media_id, version = created["media"]["id"], created["media"]["version"]
    query = "query ($id: ID!) { node(id: $id) { ... on Image { alt credit } } }"

    async def public() -> tuple[dict[str, Any], str | None]:
        response = await newsroom.api.http.post(
            "/graphql", json={"query": query, "variables": {"id": media_id}}
        )
        return response.json()["data"]["node"], response.headers.get("x-pressroom-cache")

    assert await public() == ({"alt": "Before", "credit": None}, "miss")
    assert (await public())[1] == "hit"
    updated = await newsroom.mutate(
        UPDATE,
        "updateMedia",
        id=media_id,
        expectedVersion=version,
        texts=[{"language": "en", "alt": "After"}],
        credit="Photo: AP",
    )
    assert updated["__typename"] == "UpdateMediaSuccess"
    assert (await public())[0] == {"alt": "After", "credit": "Photo: AP"}


async def test_media_changes_reach_subscribed_webhooks(newsroom: Newsroom) -> None:
    engine = create_engine(newsroom.url)
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            await create_webhook(
                session,
                SYSTEM,
                NewWebhook(
                    "http://127.0.0.1:9/hook",
                    [EventType.MEDIA_CREATED, EventType.MEDIA_UPDATED, EventType.MEDIA_DELETED],
                ),
                allow_private=True,
                now=SYSTEM_CLOCK.now(),
            )
        media_id = (await newsroom.upload(jpeg(), "a.jpg"))["media"]["id"]
        await newsroom.mutate(UPDATE, "updateMedia", id=media_id, expectedVersion=1, credit="C")
        await newsroom.mutate(DELETE, "deleteMedia", id=media_id)
        async with create_sessionmaker(engine)() as session:
            bodies = (
                await session.scalars(select(WebhookEvent.body).order_by(WebhookEvent.id))
            ).all()
    finally:
        await engine.dispose()
    events = [json.loads(body) for body in bodies]
    assert [e["type"] for e in events] == ["MEDIA_CREATED", "MEDIA_UPDATED", "MEDIA_DELETED"]
    database_id = relay.GlobalID.from_id(media_id).node_id
    for event in events:
        assert event["media"]["id"] == media_id
        assert event["surrogateKeys"] == [f"media:{database_id}"]
    assert [e["media"]["version"] for e in events] == [1, 2, 2]


async def test_delete_is_refused_while_anything_uses_the_asset(newsroom: Newsroom) -> None:
    media_id = (await newsroom.upload(jpeg(), "portrait.jpg"))["media"]["id"]
    asset_id = int(relay.GlobalID.from_id(media_id).node_id)
    engine = create_engine(newsroom.url)
    try:
        sessions = create_sessionmaker(engine)
        async with sessions() as session, session.begin():
            article = await session.scalar(select(Article).order_by(Article.id).limit(1))
            author_id = await session.scalar(select(Author.id).order_by(Author.id).limit(1))
            assert article is not None and author_id is not None
            session.add(ArticleFeaturedImage(article_id=article.id, asset_id=asset_id))
            session.add(AuthorAvatar(author_id=author_id, asset_id=asset_id))
        refused = await newsroom.api.data(
            """mutation ($input: DeleteMediaInput!) {
                 deleteMedia(input: $input) {
                   ... on ValidationError { issues { path code message } }
                 }
               }""",
            {"input": {"id": media_id}},
            headers=newsroom.editor,
        )
        usage = await newsroom.api.data(
            "query ($id: ID!) { mediaUsage(id: $id) { kind id field } }",
            {"id": media_id},
            headers=newsroom.editor,
        )
        assert usage["mediaUsage"] == [
            {
                "kind": "article",
                "id": str(relay.GlobalID("Article", str(article.id))),
                "field": "featuredImage",
            },
            {
                "kind": "author",
                "id": str(relay.GlobalID("Author", str(author_id))),
                "field": "avatar",
            },
        ]
        [issue] = refused["deleteMedia"]["issues"]
        assert (issue["path"], issue["code"]) == (["id"], "IN_USE")
        label = f"{article.title} ({article.language})"
        assert f"article {label!r} (featuredImage)" in issue["message"]
        assert "(avatar)" in issue["message"]
        async with sessions() as session, session.begin():
            await session.execute(delete(ArticleFeaturedImage))
            await session.execute(delete(AuthorAvatar))
    finally:
        await engine.dispose()
    gone = await newsroom.mutate(DELETE, "deleteMedia", id=media_id)
    assert gone["__typename"] == "DeleteMediaSuccess"


async def test_a_string_where_the_file_belongs_is_not_a_file(newsroom: Newsroom) -> None:
    result = await newsroom.mutate(CREATE, "createMedia", file="harbour.jpg")
    assert result == {
        "__typename": "ValidationError",
        "issues": [{"path": ["file"], "code": "NOT_A_FILE"}],
    }
