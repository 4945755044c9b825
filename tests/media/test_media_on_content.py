"""Media set on content through the mutations, on the real app: featured images and
attachments through updateArticle and createArticle, avatars through updateAuthor, every
refusal at its path, and deleteMedia refused while a body shows the image."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from strawberry import relay

from publishing.access import Role
from publishing.articles.models import Article, ArticleStatus
from publishing.authors.models import Author
from publishing.db import create_engine, create_sessionmaker
from tests.media.files import jpeg, pdf, png
from tests.media.test_media_mutations import DELETE, Newsroom
from tests.support.client import api_client
from tests.support.tokens import bearer, issue_token

pytestmark = pytest.mark.anyio

ARTICLE_FIELDS = "id version featuredImage { id } attachments { id }"

UPDATE_ARTICLE = f"""
mutation ($input: UpdateArticleInput!) {{
  updateArticle(input: $input) {{
    __typename
    ... on UpdateArticleSuccess {{ article {{ {ARTICLE_FIELDS} }} }}
    ... on ValidationError {{ issues {{ path code }} }}
    ... on ForbiddenError {{ message }}
  }}
}}
"""

CREATE_ARTICLE = f"""
mutation ($input: CreateArticleInput!) {{
  createArticle(input: $input) {{
    __typename
    ... on CreateArticleSuccess {{ article {{ {ARTICLE_FIELDS} }} }}
    ... on ValidationError {{ issues {{ path code }} }}
  }}
}}
"""

UPDATE_AUTHOR = """
mutation ($input: UpdateAuthorInput!) {
  updateAuthor(input: $input) {
    __typename
    ... on UpdateAuthorSuccess { author { avatar { id } } }
    ... on ValidationError { issues { path code } }
  }
}
"""

USAGE = "query ($id: ID!) { mediaUsage(id: $id) { kind id field } }"


@dataclass
class Office(Newsroom):
    admin: dict[str, str]


@pytest.fixture
async def newsroom(fresh_demo_url: str, tmp_path: Path) -> AsyncIterator[Office]:
    editor = await issue_token(fresh_demo_url, Role.EDITOR, "editor-ed")
    contributor = await issue_token(fresh_demo_url, Role.CONTRIBUTOR, "contributor-cy")
    admin = await issue_token(fresh_demo_url, Role.ADMIN, "admin-ada")
    async with api_client(fresh_demo_url, media_url=(tmp_path / "media").as_uri()) as api:
        yield Office(api, fresh_demo_url, bearer(editor), bearer(contributor), bearer(admin))


async def _first(newsroom: Newsroom, model: Any, *where: Any) -> Any:
    engine = create_engine(newsroom.url)
    try:
        async with create_sessionmaker(engine)() as session:
            return await session.scalar(select(model).where(*where).order_by(model.id).limit(1))
    finally:
        await engine.dispose()


async def _draft(newsroom: Newsroom) -> tuple[str, int]:
    article = await _first(newsroom, Article, Article.status == ArticleStatus.DRAFT)
    if article is None:
        article = await _first(newsroom, Article)
    return str(relay.GlobalID("Article", str(article.id))), article.version


async def _media(newsroom: Newsroom, content: bytes, name: str) -> str:
    result = await newsroom.upload(content, name)
    media_id: str = result["media"]["id"]
    return media_id


def _issues(result: dict[str, Any]) -> set[tuple[tuple[Any, ...], str]]:
    assert result["__typename"] == "ValidationError", result
    return {(tuple(i["path"]), i["code"]) for i in result["issues"]}


async def test_featured_image_and_attachments_are_set_replaced_and_removed(
    newsroom: Newsroom,
) -> None:
    article_id, version = await _draft(newsroom)
    first = await _media(newsroom, jpeg(40, 30), "first.jpg")
    second = await _media(newsroom, png(30, 20), "second.png")
    report = await _media(newsroom, pdf(), "report.pdf")
    annex = await _media(newsroom, pdf() + b"%annex\n", "annex.pdf")

    async def update(**fields: Any) -> dict[str, Any]:
        nonlocal version
        result = await newsroom.mutate(
            UPDATE_ARTICLE, "updateArticle", id=article_id, expectedVersion=version, **fields
        )
        assert result["__typename"] == "UpdateArticleSuccess", result
        article: dict[str, Any] = result["article"]
        assert article["version"] == version + 1
        version = article["version"]
        return article

    article = await update(featuredImageId=first, attachmentIds=[annex, report])
    assert article["featuredImage"] == {"id": first}
    assert article["attachments"] == [{"id": annex}, {"id": report}]

    article = await update(featuredImageId=second)  # attachments left out: unchanged
    assert article["featuredImage"] == {"id": second}
    assert article["attachments"] == [{"id": annex}, {"id": report}]

    article = await update(attachmentIds=[report])
    assert article["featuredImage"] == {"id": second}
    assert article["attachments"] == [{"id": report}]

    article = await update(featuredImageId=None, attachmentIds=None)
    assert article["featuredImage"] is None
    assert article["attachments"] == []

    # Freed: the first image can go now.
    gone = await newsroom.mutate(DELETE, "deleteMedia", id=first)
    assert gone["__typename"] == "DeleteMediaSuccess", gone


async def test_every_refusal_is_reported_at_its_path_and_nothing_changes(
    newsroom: Newsroom,
) -> None:
    article_id, version = await _draft(newsroom)
    image = await _media(newsroom, jpeg(40, 30), "image.jpg")
    document = await _media(newsroom, pdf(), "document.pdf")
    missing = str(relay.GlobalID("Image", "999999"))
    result = await newsroom.mutate(
        UPDATE_ARTICLE,
        "updateArticle",
        id=article_id,
        expectedVersion=version,
        featuredImageId=document,
        attachmentIds=[document, image, missing, document],
    )
    assert _issues(result) == {
        (("featuredImageId",), "WRONG_KIND"),
        (("attachmentIds", "1"), "WRONG_KIND"),
        (("attachmentIds", "2"), "NOT_FOUND"),
        (("attachmentIds", "3"), "DUPLICATE"),
    }
    undecodable = await newsroom.mutate(
        UPDATE_ARTICLE,
        "updateArticle",
        id=article_id,
        expectedVersion=version,
        featuredImageId="not-an-id",
        attachmentIds=[document, str(relay.GlobalID("Tag", "1"))],
    )
    assert _issues(undecodable) == {
        (("featuredImageId",), "INVALID_ID"),
        (("attachmentIds", "1"), "INVALID_ID"),
    }
    unchanged = await newsroom.mutate(
        UPDATE_ARTICLE, "updateArticle", id=article_id, expectedVersion=version, title="Same"
    )
    assert unchanged["article"]["featuredImage"] is None
    assert unchanged["article"]["attachments"] == []


async def test_a_new_article_takes_its_media(newsroom: Newsroom) -> None:
    image = await _media(newsroom, jpeg(40, 30), "image.jpg")
    document = await _media(newsroom, pdf(), "document.pdf")
    fields = {"language": "en", "title": "With media", "featuredImageId": image}
    created = await newsroom.mutate(
        CREATE_ARTICLE, "createArticle", slug="with-media", attachmentIds=[document], **fields
    )
    assert created["__typename"] == "CreateArticleSuccess", created
    assert created["article"]["featuredImage"] == {"id": image}
    assert created["article"]["attachments"] == [{"id": document}]
    refused = await newsroom.mutate(
        CREATE_ARTICLE,
        "createArticle",
        slug="with-wrong-media",
        **{**fields, "featuredImageId": document},
        attachmentIds=[image],
    )
    assert _issues(refused) == {
        (("featuredImageId",), "WRONG_KIND"),
        (("attachmentIds", "0"), "WRONG_KIND"),
    }


async def test_an_avatar_is_set_refused_and_removed(newsroom: Office) -> None:
    author = await _first(newsroom, Author)
    author_id = str(relay.GlobalID("Author", str(author.id)))
    image = await _media(newsroom, jpeg(40, 40), "portrait.jpg")
    document = await _media(newsroom, pdf(), "cv.pdf")

    async def update(**fields: Any) -> dict[str, Any]:
        result: dict[str, Any] = await newsroom.api.data(
            UPDATE_AUTHOR, {"input": {"id": author_id, **fields}}, headers=newsroom.admin
        )
        return result["updateAuthor"]

    set_ = await update(avatarId=image)
    assert set_["author"]["avatar"] == {"id": image}
    usage = await newsroom.api.data(USAGE, {"id": image}, headers=newsroom.editor)
    assert usage["mediaUsage"] == [{"kind": "author", "id": author_id, "field": "avatar"}]
    assert _issues(await update(avatarId=document)) == {(("avatarId",), "WRONG_KIND")}
    assert _issues(await update(avatarId="zzz")) == {(("avatarId",), "INVALID_ID")}
    kept = await update(name=author.name)
    assert kept["author"]["avatar"] == {"id": image}
    removed = await update(avatarId=None)
    assert removed["author"]["avatar"] is None


@pytest.mark.parametrize("form", ["global", "numeric"])
async def test_delete_is_refused_while_a_body_shows_the_image(
    newsroom: Newsroom, form: str
) -> None:
    article_id, version = await _draft(newsroom)
    image = await _media(newsroom, jpeg(50, 40), "in-body.jpg")
    reference = image if form == "global" else relay.GlobalID.from_id(image).node_id
    result = await newsroom.mutate(
        UPDATE_ARTICLE,
        "updateArticle",
        id=article_id,
        expectedVersion=version,
        body=f"Before.\n\n![A crane](media:{reference})\n\nAfter.",
        footnotes=[],
    )
    assert result["__typename"] == "UpdateArticleSuccess", result
    usage = await newsroom.api.data(USAGE, {"id": image}, headers=newsroom.editor)
    assert usage["mediaUsage"] == [{"kind": "article", "id": article_id, "field": "body"}]
    refused = await newsroom.mutate(DELETE, "deleteMedia", id=image)
    assert _issues(refused) == {(("id",), "IN_USE")}

    # Text that merely mentions the reference (not an image) does not hold it.
    cleared = await newsroom.mutate(
        UPDATE_ARTICLE,
        "updateArticle",
        id=article_id,
        expectedVersion=result["article"]["version"],
        body=f"The code `media:{reference}` is text.",
        footnotes=[],
    )
    assert cleared["__typename"] == "UpdateArticleSuccess", cleared
    gone = await newsroom.mutate(DELETE, "deleteMedia", id=image)
    assert gone["__typename"] == "DeleteMediaSuccess", gone


UPDATE_MEDIA = """
mutation ($input: UpdateMediaInput!) {
  updateMedia(input: $input) {
    __typename
    ... on UpdateMediaSuccess { media { version } }
    ... on ForbiddenError { message }
  }
}
"""

PUBLISH_ARTICLE = """
mutation ($input: PublishArticleInput!) {
  publishArticle(input: $input) { __typename }
}
"""


async def test_a_contributor_changes_their_image_only_where_drafts_alone_show_it(
    newsroom: Office,
) -> None:
    """An image's texts are part of what each version showing it shows: a contributor (who
    changes drafts only) may change them while drafts alone show the image, and no more
    once a published version does, in that version's language."""
    image = (await newsroom.upload(jpeg(24, 24), "mine.jpg", headers=newsroom.contributor))[
        "media"
    ]["id"]
    created = await newsroom.api.data(
        CREATE_ARTICLE,
        {
            "input": {
                "language": "en",
                "slug": "contributed",
                "title": "Contributed",
                "featuredImageId": image,
            }
        },
        headers=newsroom.contributor,
    )
    article = created["createArticle"]["article"]
    version = 1

    async def change(**input: Any) -> dict[str, Any]:
        nonlocal version
        data = await newsroom.api.data(
            UPDATE_MEDIA,
            {"input": {"id": image, "expectedVersion": version, **input}},
            headers=newsroom.contributor,
        )
        result: dict[str, Any] = data["updateMedia"]
        if result["__typename"] == "UpdateMediaSuccess":
            version = result["media"]["version"]
        return result

    # Only a draft shows it: every change is theirs to make.
    assert (await change(texts=[{"language": "en", "alt": "Draft alt"}]))[
        "__typename"
    ] == "UpdateMediaSuccess"
    assert (await change(credit="Photo: me"))["__typename"] == "UpdateMediaSuccess"

    published = await newsroom.api.data(
        PUBLISH_ARTICLE,
        {"input": {"id": article["id"], "expectedVersion": article["version"]}},
        headers=newsroom.editor,
    )
    assert published["publishArticle"]["__typename"] == "ArticleStatusSuccess"

    # Now a published English version shows it: its English texts, credit and focal point
    # are refused, naming the article; a language no published version shows is still theirs.
    for refused in (
        {"texts": [{"language": "en", "alt": "Changed under readers"}]},
        {"credit": "Photo: someone else"},
        {"focalPoint": {"x": 0.1, "y": 0.1}},
    ):
        result = await change(**refused)
        assert result["__typename"] == "ForbiddenError", refused
        assert "Contributed (en)" in result["message"]
    assert (await change(texts=[{"language": "tr", "alt": "Taslak"}]))[
        "__typename"
    ] == "UpdateMediaSuccess"

    # An editor may change what readers see.
    by_editor = await newsroom.api.data(
        UPDATE_MEDIA,
        {"input": {"id": image, "expectedVersion": version, "credit": "Photo: AP"}},
        headers=newsroom.editor,
    )
    assert by_editor["updateMedia"]["__typename"] == "UpdateMediaSuccess"
    shown = await newsroom.api.data(
        'query ($id: ID!) { node(id: $id) { ... on Image { alt(language: "en") credit } } }',
        {"id": image},
    )
    assert shown["node"] == {"alt": "Draft alt", "credit": "Photo: AP"}
