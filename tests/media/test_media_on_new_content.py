"""Media given when content is made: a translation's featured image and attachments, a new
author's portrait; each refusal at its path, and nothing made when one is refused."""

from __future__ import annotations

from typing import Any

import pytest
from strawberry import relay

from tests.media.files import jpeg, pdf
from tests.media.test_media_on_content import CREATE_ARTICLE, Office, _issues, _media, newsroom

pytestmark = pytest.mark.anyio

__all__ = ["newsroom"]  # the fixture, shared with test_media_on_content

CREATE_TRANSLATION = """
mutation ($input: CreateTranslationInput!) {
  createTranslation(input: $input) {
    __typename
    ... on CreateTranslationSuccess {
      article { id language { code } featuredImage { id } attachments { id } }
    }
    ... on ValidationError { issues { path code } }
  }
}
"""

CREATE_AUTHOR = """
mutation ($input: CreateAuthorInput!) {
  createAuthor(input: $input) {
    __typename
    ... on CreateAuthorSuccess { author { id slug avatar { id width } } }
    ... on ValidationError { issues { path code } }
  }
}
"""

USAGE = "query ($id: ID!) { node(id: $id) { ... on MediaAsset { usage { kind id field } } } }"


async def _original(newsroom: Office) -> str:
    """A new English original, with no media of its own."""
    made = await newsroom.mutate(
        CREATE_ARTICLE, "createArticle", language="en", slug="to-translate", title="Original"
    )
    assert made["__typename"] == "CreateArticleSuccess", made
    article_id: str = made["article"]["id"]
    return article_id


async def test_a_translation_takes_its_own_media(newsroom: Office) -> None:
    original = await _original(newsroom)
    image = await _media(newsroom, jpeg(40, 30), "kapak.jpg")
    report = await _media(newsroom, pdf(), "rapor.pdf")
    annex = await _media(newsroom, pdf() + b"%ek\n", "ek.pdf")
    base = {"originalId": original, "language": "ru", "slug": "perevod", "title": "Перевод"}

    refused = await newsroom.mutate(
        CREATE_TRANSLATION,
        "createTranslation",
        **base,
        featuredImageId=report,
        attachmentIds=[annex, image, str(relay.GlobalID("Document", "999999")), annex],
    )
    assert _issues(refused) == {
        (("featuredImageId",), "WRONG_KIND"),
        (("attachmentIds", "1"), "WRONG_KIND"),
        (("attachmentIds", "2"), "NOT_FOUND"),
        (("attachmentIds", "3"), "DUPLICATE"),
    }
    undecodable = await newsroom.mutate(
        CREATE_TRANSLATION, "createTranslation", **base, featuredImageId="nope"
    )
    assert _issues(undecodable) == {(("featuredImageId",), "INVALID_ID")}

    made = await newsroom.mutate(
        CREATE_TRANSLATION,
        "createTranslation",
        **base,
        featuredImageId=image,
        attachmentIds=[annex, report],
    )
    assert made["__typename"] == "CreateTranslationSuccess", made
    translation = made["article"]
    assert translation["language"] == {"code": "ru"}
    assert translation["featuredImage"] == {"id": image}
    assert translation["attachments"] == [{"id": annex}, {"id": report}]
    # The translation's own: the original shows neither.
    usage = await newsroom.api.data(USAGE, {"id": image}, headers=newsroom.editor)
    assert usage["node"]["usage"] == [
        {"kind": "article", "id": translation["id"], "field": "featuredImage"}
    ]


async def test_a_new_author_takes_a_portrait(newsroom: Office) -> None:
    portrait = await _media(newsroom, jpeg(48, 48), "portrait.jpg")
    cv = await _media(newsroom, pdf(), "cv.pdf")

    async def create(slug: str, **fields: Any) -> dict[str, Any]:
        data = await newsroom.api.data(
            CREATE_AUTHOR,
            {"input": {"slug": slug, "name": "Ayşe Demir", **fields}},
            headers=newsroom.admin,
        )
        result: dict[str, Any] = data["createAuthor"]
        return result

    assert _issues(await create("ayse-demir", avatarId=cv)) == {(("avatarId",), "WRONG_KIND")}
    missing = str(relay.GlobalID("Image", "999999"))
    assert _issues(await create("ayse-demir", avatarId=missing)) == {(("avatarId",), "NOT_FOUND")}
    assert _issues(await create("ayse-demir", avatarId="zzz")) == {(("avatarId",), "INVALID_ID")}
    # Every problem at once: a bad slug beside a bad portrait.
    assert _issues(await create("Not A Slug", avatarId=cv)) == {
        (("slug",), "INVALID_FORMAT"),
        (("avatarId",), "WRONG_KIND"),
    }

    made = await create("ayse-demir", avatarId=portrait)
    assert made["__typename"] == "CreateAuthorSuccess", made  # the refusals made nothing
    assert made["author"]["avatar"] == {"id": portrait, "width": 48}
    usage = await newsroom.api.data(USAGE, {"id": portrait}, headers=newsroom.editor)
    assert usage["node"]["usage"] == [
        {"kind": "author", "id": made["author"]["id"], "field": "avatar"}
    ]
