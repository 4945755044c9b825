"""Section mutations: administrators build the tree; bad input is a ValidationError with its
path; filing articles; nothing an editor filed is lost by a deletion."""

from __future__ import annotations

import datetime as dt
from typing import Any

from publishing.access import Role
from publishing.db import create_engine, create_sessionmaker
from publishing.media.models import MediaAsset, MediaKind
from tests.support.client import ApiClient
from tests.support.lookup import article_id, global_id
from tests.support.tokens import bearer, issue_token

BASE = """
  __typename
  ... on UserError { message }
  ... on ValidationError { issues { path code } }
"""
RESULT = BASE + "... on ConflictError { currentVersion }"
SECTION = 'section { id version name(language: "en") parent { id } image { id } }'
CREATE = f"""mutation($input: CreateSectionInput!) {{ createSection(input: $input) {{
  {BASE} ... on CreateSectionSuccess {{ {SECTION} }} }} }}"""
UPDATE = f"""mutation($input: UpdateSectionInput!) {{ updateSection(input: $input) {{
  {RESULT} ... on UpdateSectionSuccess {{ {SECTION} }} }} }}"""
DELETE = f"""mutation($input: DeleteSectionInput!) {{ deleteSection(input: $input) {{
  {RESULT} ... on DeleteSectionSuccess {{ deletedId }} }} }}"""
FIND = """query($slug: String!) { section(language: "en", slug: $slug) { id version } }"""


def problems(result: dict[str, Any]) -> set[tuple[tuple[str, ...], str]]:
    assert result["__typename"] == "ValidationError", result
    return {(tuple(issue["path"]), issue["code"]) for issue in result["issues"]}


def texts(slug: str, name: str = "Name") -> list[dict[str, str]]:
    return [{"language": "en", "name": name, "slug": slug}]


async def create(client: ApiClient, headers: dict[str, str], **input: Any) -> dict[str, Any]:
    data = await client.data(CREATE, {"input": input}, headers=headers)
    result: dict[str, Any] = data["createSection"]
    return result


async def find(client: ApiClient, slug: str) -> dict[str, Any]:
    data = await client.data(FIND, {"slug": slug})
    found: dict[str, Any] = data["section"]
    return found


async def test_sections_form_a_tree_and_never_a_cycle(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
    top = await create(writable_client, admin, translations=texts("energy-desk", "Energy desk"))
    assert top["__typename"] == "CreateSectionSuccess", top
    top_id = top["section"]["id"]
    child = await create(writable_client, admin, translations=texts("energy-gas"), parentId=top_id)
    assert child["section"]["parent"] == {"id": top_id}
    child_id = child["section"]["id"]
    grandchild = await create(
        writable_client, admin, translations=texts("energy-gas-lng"), parentId=child_id
    )
    grandchild_id = grandchild["section"]["id"]

    async def move(section_id: str, parent: str | None, version: int = 1) -> dict[str, Any]:
        data = await writable_client.data(
            UPDATE,
            {"input": {"id": section_id, "expectedVersion": version, "parentId": parent}},
            headers=admin,
        )
        result: dict[str, Any] = data["updateSection"]
        return result

    assert problems(await move(top_id, top_id)) == {(("parentId",), "CYCLE")}
    assert problems(await move(top_id, grandchild_id)) == {(("parentId",), "CYCLE")}
    assert problems(await move(top_id, global_id("Section", 999_999))) == {
        (("parentId",), "NOT_FOUND")
    }
    assert problems(await move(top_id, global_id("Tag", 1))) == {(("parentId",), "INVALID_ID")}
    # A stale version is a conflict naming the current one.
    moved = await move(grandchild_id, top_id)
    assert moved["__typename"] == "UpdateSectionSuccess"
    assert moved["section"]["version"] == 2
    assert (await move(grandchild_id, None, version=1)) == {
        "__typename": "ConflictError",
        "message": (await move(grandchild_id, None, version=1))["message"],
        "currentVersion": 2,
    }
    crumbs = await writable_client.data(
        '{ section(language: "en", slug: "energy-gas-lng") { breadcrumbs { slug } } }'
    )
    assert crumbs["section"]["breadcrumbs"] == [{"slug": "energy-desk"}, {"slug": "energy-gas-lng"}]


async def test_bad_texts_are_reported_together(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
    result = await create(
        writable_client,
        admin,
        translations=[
            {"language": "en", "name": "Again", "slug": "analysis"},  # taken in English
            {"language": "tr", "name": " ", "slug": "Bad Slug"},
            {"language": "xx", "name": "X", "slug": "x"},
            {"language": "en", "name": "Twice", "slug": "twice"},
        ],
        position=-1,
    )
    assert problems(result) == {
        (("translations", "0", "slug"), "TAKEN"),
        (("translations", "1", "name"), "REQUIRED"),
        (("translations", "1", "slug"), "INVALID_FORMAT"),
        (("translations", "2", "language"), "NOT_ENABLED"),
        (("translations", "3", "language"), "DUPLICATE"),
        (("position",), "NEGATIVE"),
    }
    assert problems(await create(writable_client, admin, translations=[])) == {
        (("translations",), "REQUIRED")
    }
    # A slug is unique per language only: "analiz" is Turkish; in English it is free.
    ok = await create(writable_client, admin, translations=texts("analiz"))
    assert ok["__typename"] == "CreateSectionSuccess"


async def test_only_administrators_change_sections(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    editor = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
    result = await create(writable_client, editor, translations=texts("not-mine"))
    assert result["__typename"] == "ForbiddenError"
    anonymous = await writable_client.query(CREATE, {"input": {"translations": texts("x")}})
    assert anonymous["data"]["createSection"]["__typename"] == "ForbiddenError"


async def test_deleting_keeps_what_editors_filed(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))

    async def delete(slug: str) -> dict[str, Any]:
        found = await find(writable_client, slug)
        data = await writable_client.data(DELETE, {"input": {"id": found["id"]}}, headers=admin)
        result: dict[str, Any] = data["deleteSection"]
        return result

    assert problems(await delete("reports")) == {(("id",), "HAS_CHILDREN")}
    assert problems(await delete("country-reports")) == {(("id",), "HAS_STORIES")}
    # The Commentary section is in every primary menu, and has stories.
    assert (("id",), "HAS_STORIES") in problems(await delete("commentary"))
    empty = await create(writable_client, admin, translations=texts("empty-one"))
    assert (await delete("empty-one"))["deletedId"] == empty["section"]["id"]
    assert (await writable_client.data(FIND, {"slug": "empty-one"}))["section"] is None


ARTICLE = """mutation($input: UpdateArticleInput!) { updateArticle(input: $input) {
  __typename ... on ValidationError { issues { path code } }
  ... on UpdateArticleSuccess { article { version section { slug } sections { slug } } }
} }"""


async def test_editors_file_articles_under_sections(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    contributor = bearer(await issue_token(fresh_demo_url, Role.CONTRIBUTOR))
    analysis = (await find(writable_client, "analysis"))["id"]
    commentary = (await find(writable_client, "commentary"))["id"]
    created = await writable_client.data(
        """mutation($input: CreateArticleInput!) { createArticle(input: $input) {
          __typename ... on ValidationError { issues { path code } }
          ... on CreateArticleSuccess { article { id version section { slug } sections { slug } } }
        } }""",
        {
            "input": {
                "language": "en",
                "slug": "filed-piece",
                "title": "Filed",
                "sectionId": analysis,
                "sectionIds": [commentary, analysis, commentary],
            }
        },
        headers=contributor,
    )
    article = created["createArticle"]["article"]
    # The primary is not repeated among the others; each other appears once.
    assert article["section"] == {"slug": "analysis"}
    assert article["sections"] == [{"slug": "commentary"}]

    bad = await writable_client.data(
        ARTICLE,
        {
            "input": {
                "id": article["id"],
                "expectedVersion": article["version"],
                "sectionId": global_id("Section", 999_999),
                "sectionIds": [commentary, global_id("Section", 999_998)],
            }
        },
        headers=contributor,
    )
    assert problems(bad["updateArticle"]) == {
        (("sectionId",), "NOT_FOUND"),
        (("sectionIds", "1"), "NOT_FOUND"),
    }
    moved = await writable_client.data(
        ARTICLE,
        {"input": {"id": article["id"], "expectedVersion": article["version"], "sectionId": None}},
        headers=contributor,
    )
    assert moved["updateArticle"]["article"]["section"] is None
    assert moved["updateArticle"]["article"]["sections"] == [{"slug": "commentary"}]


async def _image(database_url: str) -> int:
    engine = create_engine(database_url)
    now = dt.datetime.now(dt.UTC)
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            asset = MediaAsset(
                key="sectionimage0001",
                kind=MediaKind.IMAGE,
                file_name="header.png",
                media_type="image/png",
                byte_size=10,
                content_hash="0" * 64,
                width=10,
                height=10,
                uploaded_by="test",
                created_at=now,
                updated_at=now,
            )
            session.add(asset)
            await session.flush()
            return asset.id
    finally:
        await engine.dispose()


async def test_a_section_image_is_a_use_of_the_asset(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
    image = global_id("Image", await _image(fresh_demo_url))
    section = await find(writable_client, "analysis")
    updated = await writable_client.data(
        UPDATE,
        {"input": {"id": section["id"], "expectedVersion": section["version"], "imageId": image}},
        headers=admin,
    )
    assert updated["updateSection"]["section"]["image"] == {"id": image}
    usage = await writable_client.data(
        "query($id: ID!) { mediaUsage(id: $id) { kind id field } }", {"id": image}, headers=admin
    )
    assert usage["mediaUsage"] == [{"kind": "section", "id": section["id"], "field": "image"}]
    refused = await writable_client.data(
        """mutation($id: ID!) { deleteMedia(input: {id: $id}) {
          __typename ... on ValidationError { issues { path code } } } }""",
        {"id": image},
        headers=admin,
    )
    assert problems(refused["deleteMedia"]) == {(("id",), "IN_USE")}


async def test_filed_articles_are_found_by_section(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    # Moving the drought report into Country Reports moves it below Reports.
    admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
    pk = await article_id(fresh_demo_url, "en", "drought-on-the-anatolian-plateau")
    country = (await find(writable_client, "country-reports"))["id"]
    version = await writable_client.data(
        "query($id: ID!) { node(id: $id) { ... on Article { version } } }",
        {"id": global_id("Article", pk)},
        headers=admin,
    )
    moved = await writable_client.data(
        ARTICLE,
        {
            "input": {
                "id": global_id("Article", pk),
                "expectedVersion": version["node"]["version"],
                "sectionId": country,
            }
        },
        headers=admin,
    )
    assert moved["updateArticle"]["article"]["section"] == {"slug": "country-reports"}
    listing = await writable_client.data(
        """query($id: ID!) { articles(language: "en", filter: {section: $id}) {
          edges { node { slug } } } }""",
        {"id": country},
    )
    assert {e["node"]["slug"] for e in listing["articles"]["edges"]} == {
        "drought-on-the-anatolian-plateau",
        "europes-carbon-border-and-turkish-exporters",
    }
