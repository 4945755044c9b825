"""Revisions keep an article's media: restoring one brings back its featured image and
attachments; media deleted since is named in the result, and the rest comes back."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from strawberry import relay

from publishing.articles.models import ArticleRevision
from publishing.db import create_engine, create_sessionmaker
from tests.media.files import jpeg, pdf, png
from tests.media.test_media_mutations import DELETE, Newsroom
from tests.media.test_media_on_content import UPDATE_ARTICLE, _draft, _media, newsroom

pytestmark = pytest.mark.anyio

__all__ = ["newsroom"]  # the fixture, shared with test_media_on_content

RESTORE = """
mutation ($input: RestoreRevisionInput!) {
  restoreRevision(input: $input) {
    __typename
    ... on RestoreRevisionSuccess {
      article { version featuredImage { id } attachments { id } body { markdown } }
      mediaNotRestored { field id }
    }
    ... on ValidationError { issues { path code message } }
  }
}
"""

REVISIONS = """
query ($id: ID!) { node(id: $id) { ... on Article { revisions { id version snapshot } } } }
"""


class Desk:
    """One draft article, edited and restored through the API."""

    def __init__(self, newsroom: Newsroom, article_id: str, version: int) -> None:
        self.newsroom = newsroom
        self.article_id = article_id
        self.version = version

    async def update(self, **fields: Any) -> str:
        """Make a change; returns the id of the revision it recorded."""
        result = await self.newsroom.mutate(
            UPDATE_ARTICLE,
            "updateArticle",
            id=self.article_id,
            expectedVersion=self.version,
            **fields,
        )
        assert result["__typename"] == "UpdateArticleSuccess", result
        self.version = result["article"]["version"]
        return (await self.revisions())[-1]["id"]

    async def revisions(self) -> list[dict[str, Any]]:
        data = await self.newsroom.api.data(
            REVISIONS, {"id": self.article_id}, headers=self.newsroom.editor
        )
        revisions: list[dict[str, Any]] = data["node"]["revisions"]
        return revisions

    async def restore(self, revision_id: str) -> dict[str, Any]:
        data = await self.newsroom.api.data(
            RESTORE,
            {"input": {"articleId": self.article_id, "revisionId": revision_id}},
            headers=self.newsroom.editor,
        )
        result: dict[str, Any] = data["restoreRevision"]
        if result["__typename"] == "RestoreRevisionSuccess":
            self.version = result["article"]["version"]
        return result


async def _desk(newsroom: Newsroom) -> Desk:
    return Desk(newsroom, *await _draft(newsroom))


def _database_id(global_id: str) -> int:
    return int(relay.GlobalID.from_id(global_id).node_id)


async def test_restoring_a_revision_brings_back_its_media(newsroom: Newsroom) -> None:
    desk = await _desk(newsroom)
    first, second = (
        await _media(newsroom, jpeg(40, 30), "a.jpg"),
        await _media(newsroom, png(30, 20), "b.png"),
    )
    report, annex = (
        await _media(newsroom, pdf(), "r.pdf"),
        await _media(newsroom, pdf() + b"%annex\n", "annex.pdf"),
    )
    with_media = await desk.update(
        title="With its media", featuredImageId=first, attachmentIds=[report, annex]
    )
    [snapshot] = [r["snapshot"] for r in await desk.revisions() if r["id"] == with_media]
    assert snapshot["featuredImageId"] == _database_id(first)
    assert snapshot["attachmentIds"] == [_database_id(report), _database_id(annex)]
    await desk.update(title="Changed", featuredImageId=second, attachmentIds=[annex])

    restored = await desk.restore(with_media)
    assert restored["__typename"] == "RestoreRevisionSuccess", restored
    assert restored["article"]["featuredImage"] == {"id": first}
    assert restored["article"]["attachments"] == [{"id": report}, {"id": annex}]
    assert restored["mediaNotRestored"] == []
    # A revision without media restores to none.
    without = await desk.update(featuredImageId=None, attachmentIds=[])
    await desk.update(featuredImageId=second, attachmentIds=[report])
    bare = await desk.restore(without)
    assert bare["article"]["featuredImage"] is None
    assert bare["article"]["attachments"] == []


async def test_media_deleted_since_is_named_and_the_rest_restored(newsroom: Newsroom) -> None:
    desk = await _desk(newsroom)
    gone_image, kept_image = (
        await _media(newsroom, jpeg(40, 30), "gone.jpg"),
        await _media(newsroom, png(30, 20), "kept.png"),
    )
    gone_report, kept_report = (
        await _media(newsroom, pdf(), "gone.pdf"),
        await _media(newsroom, pdf() + b"%kept\n", "kept.pdf"),
    )
    old = await desk.update(
        title="Old", featuredImageId=gone_image, attachmentIds=[gone_report, kept_report]
    )
    await desk.update(title="New", featuredImageId=kept_image, attachmentIds=[])
    for media_id in (gone_image, gone_report):
        deleted = await newsroom.mutate(DELETE, "deleteMedia", id=media_id)
        assert deleted["__typename"] == "DeleteMediaSuccess", deleted

    restored = await desk.restore(old)
    assert restored["__typename"] == "RestoreRevisionSuccess", restored
    # The text and what still exists came back; the current featured image stands in for
    # the one that is gone.
    article = restored["article"]
    assert article["featuredImage"] == {"id": kept_image}
    assert article["attachments"] == [{"id": kept_report}]
    assert restored["mediaNotRestored"] == [
        {"field": "featuredImage", "id": gone_image},
        {"field": "attachments", "id": gone_report},
    ]
    titles = [r["snapshot"]["title"] for r in await desk.revisions()]
    assert titles[-1] == "Old"


async def test_a_body_showing_an_image_deleted_since_is_refused(newsroom: Newsroom) -> None:
    desk = await _desk(newsroom)
    image = await _media(newsroom, jpeg(50, 40), "in-body.jpg")
    pictured = await desk.update(body=f"![A crane](media:{image})", footnotes=[])
    await desk.update(body="No picture now.", footnotes=[])
    assert (await newsroom.mutate(DELETE, "deleteMedia", id=image))["__typename"] == (
        "DeleteMediaSuccess"
    )
    version = desk.version
    refused = await desk.restore(pictured)
    assert refused["__typename"] == "ValidationError"
    assert [(i["path"], i["code"]) for i in refused["issues"]] == [(["body"], "UNKNOWN_MEDIA")]
    assert desk.version == version  # nothing changed


async def test_a_revision_from_before_media_was_kept_leaves_media_as_it_is(
    newsroom: Newsroom,
) -> None:
    desk = await _desk(newsroom)
    image = await _media(newsroom, jpeg(40, 30), "a.jpg")
    report = await _media(newsroom, pdf(), "r.pdf")
    older = await desk.update(title="Older")
    await desk.update(title="Newer", featuredImageId=image, attachmentIds=[report])
    engine = create_engine(newsroom.url)
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            revision = await session.scalar(
                select(ArticleRevision).where(ArticleRevision.id == _database_id(older))
            )
            assert revision is not None
            # As revisions recorded before this version of Pressroom are.
            revision.snapshot = {
                k: v
                for k, v in revision.snapshot.items()
                if k not in {"featuredImageId", "attachmentIds"}
            }
    finally:
        await engine.dispose()
    restored = await desk.restore(older)
    assert restored["__typename"] == "RestoreRevisionSuccess", restored
    assert restored["article"]["featuredImage"] == {"id": image}
    assert restored["article"]["attachments"] == [{"id": report}]
    assert [r["snapshot"]["title"] for r in await desk.revisions()][-1] == "Older"
