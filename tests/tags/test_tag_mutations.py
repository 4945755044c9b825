"""Tag mutations: administrators create tags, rename them language by language, delete them."""

from __future__ import annotations

from typing import Any

from publishing.access import Role
from tests.support.client import ApiClient
from tests.support.lookup import global_id
from tests.support.tokens import bearer, issue_token

RESULT = """
  __typename
  ... on UserError { message }
  ... on ValidationError { issues { path code message } }
"""
TAG = """tag { id slug en: name(language: "en") tr: name(language: "tr")
  ru: name(language: "ru") }"""
CREATE = f"""mutation($input: CreateTagInput!) {{ createTag(input: $input) {{
  {RESULT} ... on CreateTagSuccess {{ {TAG} }}
}} }}"""
UPDATE = f"""mutation($input: UpdateTagInput!) {{ updateTag(input: $input) {{
  {RESULT} ... on UpdateTagSuccess {{ {TAG} }}
}} }}"""
DELETE = f"""mutation($input: DeleteTagInput!) {{ deleteTag(input: $input) {{
  {RESULT} ... on DeleteTagSuccess {{ deletedId }}
}} }}"""
READ = """query($slug: String!) {
  tag(slug: $slug) {
    id slug en: name(language: "en") tr: name(language: "tr") ru: name(language: "ru")
  }
  tags { slug }
}"""
ARTICLE_TAGS = """{
  article(language: "en", slug: "turkiyes-gas-hub-ambition") { tags { slug name } }
}"""


async def admin(url: str) -> dict[str, str]:
    return bearer(await issue_token(url, Role.ADMIN))


def problems(result: dict[str, Any]) -> set[tuple[tuple[str, ...], str]]:
    assert result["__typename"] == "ValidationError", result
    return {(tuple(issue["path"]), issue["code"]) for issue in result["issues"]}


async def read(client: ApiClient, slug: str) -> dict[str, Any]:
    data: dict[str, Any] = await client.data(READ, {"slug": slug})
    return data


async def test_admin_creates_a_tag_named_per_language(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    assert (await read(writable_client, "water"))["tag"] is None
    result = await writable_client.data(
        CREATE,
        {
            "input": {
                "slug": "water",
                "names": [
                    {"language": "en", "name": "Water"},
                    {"language": "TR", "name": " Su "},
                ],
            }
        },
        headers=await admin(fresh_demo_url),
    )
    created = result["createTag"]
    assert created["__typename"] == "CreateTagSuccess", created
    assert created["tag"]["slug"] == "water"
    assert (created["tag"]["en"], created["tag"]["tr"]) == ("Water", "Su")

    after = await read(writable_client, "water")
    assert after["tag"] == {**created["tag"], "ru": "Water"}  # no Russian name: the default's
    assert "water" in {t["slug"] for t in after["tags"]}


async def test_update_renames_language_by_language(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    headers = await admin(fresh_demo_url)
    energy = (await read(writable_client, "energy"))["tag"]
    assert (energy["en"], energy["tr"], energy["ru"]) == ("Energy", "Enerji", "Энергетика")

    result = await writable_client.data(
        UPDATE,
        {
            "input": {
                "id": energy["id"],
                "names": [
                    {"language": "tr", "name": "Enerji Güvenliği"},
                    {"language": "ru", "name": None},
                ],
            }
        },
        headers=headers,
    )
    updated = result["updateTag"]
    assert updated["__typename"] == "UpdateTagSuccess", updated
    # English untouched, Turkish renamed, Russian deleted (it falls back to English).
    assert updated["tag"] == {
        "id": energy["id"],
        "slug": "energy",
        "en": "Energy",
        "tr": "Enerji Güvenliği",
        "ru": "Energy",
    }
    assert (await read(writable_client, "energy"))["tag"] == updated["tag"]

    result = await writable_client.data(
        UPDATE, {"input": {"id": energy["id"], "slug": "energy-security"}}, headers=headers
    )
    assert result["updateTag"]["tag"]["slug"] == "energy-security"
    assert (await read(writable_client, "energy"))["tag"] is None
    moved = (await read(writable_client, "energy-security"))["tag"]
    assert moved["tr"] == "Enerji Güvenliği"
    article = await writable_client.data(ARTICLE_TAGS)
    assert "energy-security" in {t["slug"] for t in article["article"]["tags"]}


async def test_every_problem_is_reported_at_once_and_nothing_is_written(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    headers = await admin(fresh_demo_url)
    tags_before = (await read(writable_client, "energy"))["tags"]

    result = await writable_client.data(
        CREATE, {"input": {"slug": "energy", "names": []}}, headers=headers
    )
    assert problems(result["createTag"]) == {(("slug",), "TAKEN"), (("names",), "REQUIRED")}

    result = await writable_client.data(
        CREATE,
        {
            "input": {
                "slug": "Water Rights",
                "names": [
                    {"language": "de", "name": "Wasser"},
                    {"language": "en", "name": ""},
                    {"language": "tr", "name": "S" * 201},
                    {"language": "en", "name": "Water"},
                ],
            }
        },
        headers=headers,
    )
    error = result["createTag"]
    assert problems(error) == {
        (("slug",), "INVALID_FORMAT"),
        (("names", "0", "language"), "NOT_ENABLED"),
        (("names", "1", "name"), "REQUIRED"),
        (("names", "2", "name"), "TOO_LONG"),
        (("names", "3", "language"), "DUPLICATE"),
    }
    assert "en, tr, ru" in next(i for i in error["issues"] if i["code"] == "NOT_ENABLED")["message"]
    assert (await read(writable_client, "energy"))["tags"] == tags_before

    energy = (await read(writable_client, "energy"))["tag"]
    # Deleting every name would leave the tag unnamed; the slug change goes nowhere either.
    result = await writable_client.data(
        UPDATE,
        {
            "input": {
                "id": energy["id"],
                "slug": "climate",
                "names": [
                    {"language": "en", "name": None},
                    {"language": "tr", "name": None},
                    {"language": "ru", "name": None},
                    {"language": "de", "name": "Energie"},
                ],
            }
        },
        headers=headers,
    )
    assert problems(result["updateTag"]) == {
        (("slug",), "TAKEN"),
        (("names",), "REQUIRED"),
        (("names", "3", "language"), "NOT_ENABLED"),
    }
    result = await writable_client.data(
        UPDATE, {"input": {"id": energy["id"], "names": [{"language": "en"}]}}, headers=headers
    )
    assert problems(result["updateTag"]) == {(("names", "0", "name"), "REQUIRED")}
    assert (await read(writable_client, "energy"))["tag"] == energy


async def test_a_deleted_tag_leaves_the_articles_that_had_it(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    headers = await admin(fresh_demo_url)
    before = await writable_client.data(ARTICLE_TAGS)
    slugs = [t["slug"] for t in before["article"]["tags"]]
    assert "energy" in slugs
    energy = (await read(writable_client, "energy"))["tag"]

    result = await writable_client.data(DELETE, {"input": {"id": energy["id"]}}, headers=headers)
    assert result["deleteTag"] == {"__typename": "DeleteTagSuccess", "deletedId": energy["id"]}

    after = await writable_client.data(ARTICLE_TAGS)
    assert [t["slug"] for t in after["article"]["tags"]] == [s for s in slugs if s != "energy"]
    gone = await read(writable_client, "energy")
    assert gone["tag"] is None
    assert "energy" not in {t["slug"] for t in gone["tags"]}
    node = await writable_client.data(
        "query($id: ID!) { node(id: $id) { id } }", {"id": energy["id"]}
    )
    assert node["node"] is None

    again = await writable_client.data(DELETE, {"input": {"id": energy["id"]}}, headers=headers)
    assert again["deleteTag"]["__typename"] == "NotFoundError"
    missing = await writable_client.data(
        UPDATE, {"input": {"id": global_id("Tag", 99999), "slug": "x"}}, headers=headers
    )
    assert missing["updateTag"]["__typename"] == "NotFoundError"


async def test_only_administrators_manage_tags(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    energy = await read(writable_client, "energy")
    tag_id = energy["tag"]["id"]
    for role in (Role.EDITOR, Role.CONTRIBUTOR, None):
        headers = None if role is None else bearer(await issue_token(fresh_demo_url, role))
        calls = [
            (
                "createTag",
                CREATE,
                {"input": {"slug": "water", "names": [{"language": "en", "name": "Water"}]}},
            ),
            (
                "updateTag",
                UPDATE,
                {"input": {"id": tag_id, "names": [{"language": "en", "name": "Power"}]}},
            ),
            ("deleteTag", DELETE, {"input": {"id": tag_id}}),
        ]
        for field, mutation, variables in calls:
            result = await writable_client.data(mutation, variables, headers=headers)
            assert result[field]["__typename"] == "ForbiddenError", (role, field, result)
            assert result[field]["message"]
    assert await read(writable_client, "energy") == energy
    assert (await read(writable_client, "water"))["tag"] is None
