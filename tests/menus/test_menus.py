"""Navigation menus: read per language, replaced whole by administrators under
expectedVersion, never showing readers what they cannot open, never left pointing at nothing."""

from __future__ import annotations

from typing import Any

from publishing.access import Role
from tests.support.client import ApiClient
from tests.support.lookup import article_id, global_id
from tests.support.tokens import bearer, issue_token

ITEM = """label url target {
  __typename ... on Article { slug } ... on Section { slug } ... on Tag { slug }
  ... on ExternalLink { url }
}"""
MENU = f"""query($name: String!, $language: String!) {{
  menu(name: $name, language: $language) {{
    id name language version items {{ {ITEM} children {{ {ITEM} }} }}
  }}
}}"""
REPLACE = """mutation($input: ReplaceMenuInput!) { replaceMenu(input: $input) {
  __typename
  ... on UserError { message }
  ... on ValidationError { issues { path code } }
  ... on ConflictError { currentVersion }
  ... on ReplaceMenuSuccess { menu { version items { label children { label } } } }
} }"""


def problems(result: dict[str, Any]) -> set[tuple[tuple[str, ...], str]]:
    assert result["__typename"] == "ValidationError", result
    return {(tuple(issue["path"]), issue["code"]) for issue in result["issues"]}


async def menu(
    client: ApiClient, name: str, language: str, headers: dict[str, str] | None = None
) -> Any:
    data = await client.data(MENU, {"name": name, "language": language}, headers=headers)
    return data["menu"]


async def replace(client: ApiClient, headers: dict[str, str], **input: Any) -> dict[str, Any]:
    data = await client.data(REPLACE, {"input": input}, headers=headers)
    result: dict[str, Any] = data["replaceMenu"]
    return result


async def section_id(client: ApiClient, slug: str) -> str:
    data = await client.data(
        'query($s: String!) { section(language: "en", slug: $s) { id } }', {"s": slug}
    )
    found: str = data["section"]["id"]
    return found


async def test_demo_menus_per_language(client: ApiClient) -> None:
    primary = await menu(client, "primary", "tr")
    assert primary["name"] == "primary" and primary["language"] == "tr"
    assert [i["label"] for i in primary["items"]][:3] == ["Analiz", "Yorum", "Raporlar"]
    assert len(primary["items"]) == 4
    reports = primary["items"][2]
    assert reports["target"] == {"__typename": "Section", "slug": "raporlar"}
    assert reports["children"] == [
        {
            "label": "Ülke Raporları",
            "url": "http://localhost:3000/tr/sections/ulke-raporlari",
            "target": {"__typename": "Section", "slug": "ulke-raporlari"},
        }
    ]
    assert reports["url"] == "http://localhost:3000/tr/sections/raporlar"
    # The featured story, in the menu's language.
    assert primary["items"][3]["target"] == {
        "__typename": "Article",
        "slug": "turkiyenin-gaz-merkezi-hedefi",
    }
    assert primary["items"][3]["url"] == (
        "http://localhost:3000/tr/articles/turkiyenin-gaz-merkezi-hedefi"
    )
    footer = await menu(client, "footer", "ru")
    assert footer["items"][0]["url"] == "http://localhost:3000/ru/tags/climate"
    assert footer["items"][-1] == {
        "label": "Контакты",
        "url": "https://example.org/contact",
        "target": {"__typename": "ExternalLink", "url": "https://example.org/contact"},
        "children": [],
    }
    assert footer["items"][0]["target"]["__typename"] == "Tag"
    assert await menu(client, "sidebar", "en") is None


async def test_administrators_create_and_replace_menus(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
    analysis = await section_id(writable_client, "analysis")
    created = await replace(
        writable_client,
        admin,
        name="sidebar",
        language="en",
        items=[
            {"section": analysis, "label": "Read our analysis"},
            {"url": "https://example.org/donate", "label": "Donate"},
        ],
    )
    assert created == {
        "__typename": "ReplaceMenuSuccess",
        "menu": {
            "version": 1,
            "items": [
                {"label": "Read our analysis", "children": []},
                {"label": "Donate", "children": []},
            ],
        },
    }
    # Replacing needs the version read; a stale one is a conflict.
    missing = await replace(writable_client, admin, name="sidebar", language="en", items=[])
    assert problems(missing) == {(("expectedVersion",), "REQUIRED")}
    replaced = await replace(
        writable_client,
        admin,
        name="sidebar",
        language="en",
        items=[{"section": analysis, "children": [{"url": "https://example.org/a", "label": "A"}]}],
        expectedVersion=1,
    )
    assert replaced["menu"] == {
        "version": 2,
        "items": [{"label": "Analysis", "children": [{"label": "A"}]}],
    }
    stale = await replace(
        writable_client, admin, name="sidebar", language="en", items=[], expectedVersion=1
    )
    assert stale["__typename"] == "ConflictError" and stale["currentVersion"] == 2
    nothing = await replace(
        writable_client, admin, name="nothing", language="en", items=[], expectedVersion=3
    )
    assert problems(nothing) == {(("expectedVersion",), "NO_MENU")}
    # The Turkish sidebar is another menu.
    assert await menu(writable_client, "sidebar", "tr") is None


async def test_bad_items_are_reported_with_their_paths(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
    analysis = await section_id(writable_client, "analysis")
    draft = await article_id(fresh_demo_url, "ru", "budushchee-yadernogo-kontrolya")
    published = await article_id(fresh_demo_url, "en", "turkiyes-gas-hub-ambition")
    result = await replace(
        writable_client,
        admin,
        name="primary",
        language="en",
        expectedVersion=1,
        items=[
            {},
            {"section": analysis, "url": "https://example.org", "label": "Both"},
            {"url": "ftp://example.org/file", "label": "FTP"},
            {"url": "/relative/path", "label": "Relative"},
            {"url": "https://example.org/no-label"},
            {
                "section": analysis,
                "children": [
                    {"tag": global_id("Tag", 999_999)},
                    {"article": global_id("Article", published)},
                ],
            },
        ],
    )
    assert problems(result) == {
        (("items", "0"), "NO_TARGET"),
        (("items", "1"), "TWO_TARGETS"),
        (("items", "2", "url"), "INVALID_URL"),
        (("items", "3", "url"), "INVALID_URL"),
        (("items", "4", "label"), "REQUIRED"),
        (("items", "5", "children", "0", "tag"), "NOT_FOUND"),
    }
    # Ids that decode are checked against the store, all at once.
    result = await replace(
        writable_client,
        admin,
        name="primary",
        language="en",
        expectedVersion=1,
        items=[
            {"article": global_id("Article", 999_999)},
            {"tag": global_id("Tag", 999_999)},
            {"section": global_id("Section", 999_999)},
            {"article": global_id("Article", draft)},
            {"label": " ", "article": global_id("Article", published)},
        ],
    )
    assert problems(result) == {
        (("items", "0", "article"), "NOT_FOUND"),
        (("items", "1", "tag"), "NOT_FOUND"),
        (("items", "2", "section"), "NOT_FOUND"),
        # The Russian version is a draft: the story has nothing published in Russian, and
        # an English menu shows the English version, which is published.
        (("items", "4", "label"), "REQUIRED"),
    }
    russian = await replace(
        writable_client,
        admin,
        name="primary",
        language="ru",
        expectedVersion=1,
        items=[{"article": global_id("Article", draft)}],
    )
    assert problems(russian) == {(("items", "0", "article"), "NOT_VISIBLE")}
    # Nothing was written by any of these.
    assert len((await menu(writable_client, "primary", "en"))["items"]) == 4


async def test_bad_ids_are_invalid_with_their_paths(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
    result = await replace(
        writable_client,
        admin,
        name="primary",
        language="en",
        expectedVersion=1,
        items=[{"url": "https://e.org", "label": "x", "children": [{"article": "not-an-id"}]}],
    )
    assert problems(result) == {(("items", "0", "children", "0", "article"), "INVALID_ID")}


async def test_only_administrators_replace_menus(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    editor = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
    result = await replace(writable_client, editor, name="primary", language="en", items=[])
    assert result["__typename"] == "ForbiddenError"


STATUS = """mutation($id: ID!) { unpublishArticle(input: {id: $id}) { __typename } }"""


async def test_readers_never_see_an_item_they_cannot_open(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    editor = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
    pk = await article_id(fresh_demo_url, "en", "turkiyes-gas-hub-ambition")
    before = await menu(writable_client, "primary", "en")
    assert before["items"][-1]["target"]["slug"] == "turkiyes-gas-hub-ambition"
    done = await writable_client.data(STATUS, {"id": global_id("Article", pk)}, headers=editor)
    assert done["unpublishArticle"]["__typename"] == "ArticleStatusSuccess"
    after = await menu(writable_client, "primary", "en")
    assert [i["target"]["__typename"] for i in after["items"]] == ["Section"] * 3
    # Editors (any token) see drafts, in menus too.
    seen = await menu(writable_client, "primary", "en", headers=editor)
    assert seen["items"][-1]["target"]["slug"] == "turkiyes-gas-hub-ambition"


DELETE_TAG = """mutation($id: ID!) { deleteTag(input: {id: $id}) {
  __typename ... on ValidationError { issues { path code } } } }"""
DELETE_ARTICLE = """mutation($id: ID!) { deleteArticle(input: {id: $id}) {
  __typename ... on ValidationError { issues { path code } } } }"""
DELETE_SECTION = """mutation($id: ID!) { deleteSection(input: {id: $id}) {
  __typename ... on ValidationError { issues { path code } } } }"""


async def test_what_a_menu_shows_is_not_deleted_from_under_it(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
    tag = await writable_client.data('{ tag(slug: "climate") { id } }')
    refused = await writable_client.data(DELETE_TAG, {"id": tag["tag"]["id"]}, headers=admin)
    assert problems(refused["deleteTag"]) == {(("id",), "IN_MENU")}
    # The Turkish version of the featured story is in the Turkish menu.
    pk = await article_id(fresh_demo_url, "tr", "turkiyenin-gaz-merkezi-hedefi")
    refused = await writable_client.data(
        DELETE_ARTICLE, {"id": global_id("Article", pk)}, headers=admin
    )
    assert problems(refused["deleteArticle"]) == {(("id",), "IN_MENU")}
    # A section only in a menu (nothing filed under it) is kept too.
    analysis = await section_id(writable_client, "analysis")
    created = await writable_client.data(
        """mutation($p: ID!) { createSection(input: {parentId: $p, translations: [
          {language: "en", name: "Linked", slug: "linked"}]}) {
          ... on CreateSectionSuccess { section { id } } } }""",
        {"p": analysis},
        headers=admin,
    )
    linked = created["createSection"]["section"]["id"]
    done = await replace(
        writable_client,
        admin,
        name="linked",
        language="en",
        items=[{"section": linked}],
    )
    assert done["__typename"] == "ReplaceMenuSuccess"
    refused = await writable_client.data(DELETE_SECTION, {"id": linked}, headers=admin)
    assert problems(refused["deleteSection"]) == {(("id",), "IN_MENU")}
    # Once the menu no longer links to it, it goes.
    await replace(writable_client, admin, name="linked", language="en", items=[], expectedVersion=1)
    gone = await writable_client.data(DELETE_SECTION, {"id": linked}, headers=admin)
    assert gone["deleteSection"]["__typename"] == "DeleteSectionSuccess"


async def test_menu_statements_do_not_grow_with_its_items(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
    analysis = await section_id(writable_client, "analysis")
    tag = (await writable_client.data('{ tag(slug: "energy") { id } }'))["tag"]["id"]
    pk = await article_id(fresh_demo_url, "en", "turkiyes-gas-hub-ambition")
    one = [{"section": analysis}, {"tag": tag}, {"article": global_id("Article", pk)}]
    counts = []
    for name, items in (("small", one), ("large", one * 6)):
        await replace(writable_client, admin, name=name, language="en", items=items)
        writable_client.counter.reset()
        found = await menu(writable_client, name, "en")
        assert len(found["items"]) == len(items)
        counts.append(writable_client.counter.count)
    assert counts[0] == counts[1], counts
