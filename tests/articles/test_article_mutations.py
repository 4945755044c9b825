"""Article mutations: roles, validation that writes nothing, versions, revisions, history."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from publishing.access import Role
from tests.support.client import ApiClient, api_client
from tests.support.lookup import article_id, global_id
from tests.support.tokens import bearer, issue_token

RESULT = """
  __typename
  ... on UserError { message }
  ... on ValidationError { issues { path code message } }
"""
CONFLICT = "... on ConflictError { currentVersion }"
CREATE = f"""mutation($input: CreateArticleInput!) {{ createArticle(input: $input) {{
  {RESULT}
  ... on CreateArticleSuccess {{ article {{ id slug status version title }} }}
}} }}"""
UPDATE = f"""mutation($input: UpdateArticleInput!) {{ updateArticle(input: $input) {{
  {RESULT} {CONFLICT}
  ... on UpdateArticleSuccess {{ article {{ id version title subtitle body {{ markdown }}
    footnotes {{ key number }} translationStatus {{ isOutdated }} }} }}
}} }}"""
PUBLISH = f"""mutation($input: PublishArticleInput!) {{ publishArticle(input: $input) {{
  {RESULT}
  ... on ArticleStatusSuccess {{ article {{ status version publishedAt }} }}
}} }}"""
COUNT = """{ articles(first: 1, filter: {status: [DRAFT, PUBLISHED, SCHEDULED, ARCHIVED]}) {
  totalCount } }"""

GAS_HUB_EN = ("en", "turkiyes-gas-hub-ambition")


def new_article(**overrides: Any) -> dict[str, Any]:
    article = {
        "language": "en",
        "slug": "a-fresh-analysis",
        "title": "A fresh analysis",
        "body": "A claim.[^one] Another.[^two]",
        "footnotes": [
            {"key": "one", "content": "First note."},
            {
                "key": "two",
                "content": "Second note.",
                "source": {"title": "A report", "url": "https://example.org/r"},
            },
        ],
    }
    article.update(overrides)
    return article


async def tokens(url: str) -> dict[str, dict[str, str]]:
    return {role.value: bearer(await issue_token(url, role)) for role in Role}


async def test_anonymous_mutations_are_refused(writable_client: ApiClient) -> None:
    result = await writable_client.data(CREATE, {"input": new_article()})
    assert result["createArticle"]["__typename"] == "ForbiddenError"
    assert "token" in result["createArticle"]["message"]


async def test_contributor_drafts_but_cannot_publish(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    auth = await tokens(fresh_demo_url)
    created = await writable_client.data(
        CREATE, {"input": new_article()}, headers=auth["CONTRIBUTOR"]
    )
    article = created["createArticle"]["article"]
    assert article["status"] == "DRAFT" and article["version"] == 1

    refused = await writable_client.data(
        PUBLISH, {"input": {"id": article["id"]}}, headers=auth["CONTRIBUTOR"]
    )
    assert refused["publishArticle"]["__typename"] == "ForbiddenError"
    published = await writable_client.data(
        PUBLISH, {"input": {"id": article["id"]}}, headers=auth["EDITOR"]
    )
    assert published["publishArticle"]["article"]["status"] == "PUBLISHED"
    # Contributors edit drafts only.
    edit = await writable_client.data(
        UPDATE,
        {"input": {"id": article["id"], "expectedVersion": 2, "title": "Changed"}},
        headers=auth["CONTRIBUTOR"],
    )
    assert edit["updateArticle"]["__typename"] == "ForbiddenError"


async def test_every_problem_is_reported_and_nothing_is_written(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    auth = await tokens(fresh_demo_url)
    before = await writable_client.data(COUNT, headers=auth["EDITOR"])
    bad = new_article(
        slug="Not A Slug",
        title=" ",
        language="de",
        body="Cites a missing note.[^ghost] And one.[^one]",
        footnotes=[
            {"key": "one", "content": "Fine."},
            {"key": "one", "content": "Duplicate key."},
            {
                "key": "unused",
                "content": "Never cited.",
                "source": {"title": "S", "url": "javascript:alert(1)", "accessedOn": "2999-01-01"},
            },
        ],
        credits=[{"authorId": global_id("Author", 99999)}],
    )
    result = await writable_client.data(CREATE, {"input": bad}, headers=auth["EDITOR"])
    error = result["createArticle"]
    assert error["__typename"] == "ValidationError"
    found = {(tuple(i["path"]), i["code"]) for i in error["issues"]}
    assert found >= {
        (("language",), "NOT_ENABLED"),
        (("slug",), "INVALID_FORMAT"),
        (("title",), "REQUIRED"),
        (("body",), "UNKNOWN_FOOTNOTE"),
        (("footnotes", "1", "key"), "DUPLICATE"),
        (("footnotes", "2", "key"), "UNREFERENCED"),
        (("footnotes", "2", "source", "url"), "INVALID_URL"),
        (("footnotes", "2", "source", "accessedOn"), "IN_FUTURE"),
        (("credits", "0", "authorId"), "NOT_FOUND"),
    }
    ghost = next(i for i in error["issues"] if i["code"] == "UNKNOWN_FOOTNOTE")
    assert "[^ghost]" in ghost["message"] and "Line 1" in ghost["message"]
    after = await writable_client.data(COUNT, headers=auth["EDITOR"])
    assert after == before


async def test_a_nul_character_is_refused_where_it_stands_on_both_stores(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    # PostgreSQL cannot store U+0000; SQLite could: both refuse it, with the field's path.
    auth = await tokens(fresh_demo_url)
    before = await writable_client.data(COUNT, headers=auth["EDITOR"])
    bad = new_article(
        title="Nul\x00title",
        body="A claim.[^one]\x00 Another.[^two]",
        footnotes=[
            {"key": "one", "content": "First\x00note."},
            {"key": "two", "content": "Second note."},
        ],
    )
    result = await writable_client.data(CREATE, {"input": bad}, headers=auth["EDITOR"])
    error = result["createArticle"]
    assert error["__typename"] == "ValidationError", error
    assert {(tuple(i["path"]), i["code"]) for i in error["issues"]} == {
        (("title",), "INVALID_CHARACTER"),
        (("body",), "INVALID_CHARACTER"),
        (("footnotes", "0", "content"), "INVALID_CHARACTER"),
    }
    assert await writable_client.data(COUNT, headers=auth["EDITOR"]) == before
    author = await writable_client.data(
        """mutation { createAuthor(input: {slug: "nul-name", name: "A\\u0000B"}) {
          __typename ... on ValidationError { issues { path code } } } }""",
        headers=auth["ADMIN"],
    )
    assert author["createAuthor"] == {
        "__typename": "ValidationError",
        "issues": [{"path": ["name"], "code": "INVALID_CHARACTER"}],
    }


async def test_missing_footnote_on_update_writes_nothing(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    auth = await tokens(fresh_demo_url)
    article = global_id("Article", await article_id(fresh_demo_url, *GAS_HUB_EN))
    read = "query($id: ID!) { node(id: $id) { ... on Article { version body { markdown } } } }"
    before = (await writable_client.data(read, {"id": article}))["node"]
    result = await writable_client.data(
        UPDATE,
        {
            "input": {
                "id": article,
                "expectedVersion": before["version"],
                "title": "A new title",
                "body": before["body"]["markdown"] + "\n\nOne more claim.[^nowhere]",
            }
        },
        headers=auth["EDITOR"],
    )
    error = result["updateArticle"]
    assert error["__typename"] == "ValidationError"
    assert [i["path"] for i in error["issues"]] == [["body"]]
    assert (await writable_client.data(read, {"id": article}))["node"] == before


async def test_stale_version_is_a_conflict(writable_client: ApiClient, fresh_demo_url: str) -> None:
    auth = await tokens(fresh_demo_url)
    article = global_id("Article", await article_id(fresh_demo_url, *GAS_HUB_EN))
    read = "query($id: ID!) { node(id: $id) { ... on Article { version title } } }"
    version = (await writable_client.data(read, {"id": article}))["node"]["version"]
    first = await writable_client.data(
        UPDATE,
        {"input": {"id": article, "expectedVersion": version, "title": "First edit"}},
        headers=auth["EDITOR"],
    )
    assert first["updateArticle"]["article"]["version"] == version + 1
    stale = await writable_client.data(
        UPDATE,
        {"input": {"id": article, "expectedVersion": version, "title": "Second edit"}},
        headers=auth["EDITOR"],
    )
    assert stale["updateArticle"]["__typename"] == "ConflictError"
    assert stale["updateArticle"]["currentVersion"] == version + 1
    assert (await writable_client.data(read, {"id": article}))["node"]["title"] == "First edit"


async def test_concurrent_updates_with_one_version_yield_one_winner(fresh_demo_url: str) -> None:
    token = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
    article = global_id("Article", await article_id(fresh_demo_url, *GAS_HUB_EN))
    async with api_client(fresh_demo_url) as first, api_client(fresh_demo_url) as second:
        read = "query($id: ID!) { node(id: $id) { ... on Article { version } } }"
        version = (await first.data(read, {"id": article}, headers=token))["node"]["version"]
        edits = [
            (first, {"title": "Winner A", "subtitle": "Subtitle A"}),
            (second, {"title": "Winner B", "subtitle": "Subtitle B"}),
        ]
        results = await asyncio.gather(
            *(
                client.data(
                    UPDATE,
                    {"input": {"id": article, "expectedVersion": version, **edit}},
                    headers=token,
                )
                for client, edit in edits
            )
        )
        kinds = sorted(r["updateArticle"]["__typename"] for r in results)
        assert kinds == ["ConflictError", "UpdateArticleSuccess"]
        winner = next(
            r["updateArticle"]["article"]
            for r in results
            if r["updateArticle"]["__typename"] == "UpdateArticleSuccess"
        )
        stored = await first.data(
            """query($id: ID!) { node(id: $id) { ... on Article {
                title subtitle version revisions { version title } } } }""",
            {"id": article},
            headers=token,
        )
    node = stored["node"]
    # The winner's change is there complete: title and subtitle from the same edit.
    assert (node["title"], node["subtitle"]) == (winner["title"], winner["subtitle"])
    assert node["title"][-1] == node["subtitle"][-1]
    assert node["version"] == version + 1
    assert node["revisions"][-1] == {"version": version + 1, "title": winner["title"]}


async def test_translations_go_out_of_date_and_are_brought_up_to_date(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    auth = await tokens(fresh_demo_url)
    original = global_id("Article", await article_id(fresh_demo_url, *GAS_HUB_EN))
    turkish = global_id(
        "Article", await article_id(fresh_demo_url, "tr", "turkiyenin-gaz-merkezi-hedefi")
    )
    read = """query($id: ID!) { node(id: $id) { ... on Article {
        version body { markdown } translationStatus { isOutdated } } } }"""
    tr = (await writable_client.data(read, {"id": turkish}))["node"]
    assert tr["translationStatus"]["isOutdated"] is False
    en = (await writable_client.data(read, {"id": original}))["node"]

    # A title change is not a content change: the translation stays current.
    retitled = await writable_client.data(
        UPDATE,
        {"input": {"id": original, "expectedVersion": en["version"], "title": "Retitled"}},
        headers=auth["EDITOR"],
    )
    version = retitled["updateArticle"]["article"]["version"]
    tr = (await writable_client.data(read, {"id": turkish}))["node"]
    assert tr["translationStatus"]["isOutdated"] is False

    body = en["body"]["markdown"] + "\n\nA new closing paragraph."
    await writable_client.data(
        UPDATE,
        {"input": {"id": original, "expectedVersion": version, "body": body}},
        headers=auth["EDITOR"],
    )
    tr = (await writable_client.data(read, {"id": turkish}))["node"]
    assert tr["translationStatus"]["isOutdated"] is True

    caught_up = await writable_client.data(
        UPDATE,
        {"input": {"id": turkish, "expectedVersion": tr["version"], "markUpToDate": True}},
        headers=auth["EDITOR"],
    )
    assert caught_up["updateArticle"]["article"]["translationStatus"]["isOutdated"] is False


async def test_one_version_per_language(writable_client: ApiClient, fresh_demo_url: str) -> None:
    auth = await tokens(fresh_demo_url)
    original = global_id("Article", await article_id(fresh_demo_url, *GAS_HUB_EN))
    result = await writable_client.data(
        f"""mutation($input: CreateTranslationInput!) {{ createTranslation(input: $input) {{
            {RESULT} }} }}""",
        {
            "input": {
                "originalId": original,
                "language": "tr",
                "slug": "baska-bir-ceviri",
                "title": "Başka",
            }
        },
        headers=auth["EDITOR"],
    )
    error = result["createTranslation"]
    assert error["__typename"] == "ValidationError"
    assert error["issues"][0]["path"] == ["language"]
    assert error["issues"][0]["code"] == "TRANSLATION_EXISTS"


async def test_revisions_record_every_change_and_restore_adds_one(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    auth = await tokens(fresh_demo_url)
    created = await writable_client.data(CREATE, {"input": new_article()}, headers=auth["EDITOR"])
    article = created["createArticle"]["article"]["id"]
    edited = await writable_client.data(
        UPDATE,
        {
            "input": {
                "id": article,
                "expectedVersion": 1,
                "title": "Second title",
                "body": "Only one claim now.[^one]",
                "footnotes": [{"key": "one", "content": "The remaining note."}],
            }
        },
        headers=auth["EDITOR"],
    )
    assert edited["updateArticle"]["article"]["footnotes"] == [{"key": "one", "number": 1}]
    history = """query($id: ID!) { node(id: $id) { ... on Article {
        version title revisions { id version title createdBy snapshot } } } }"""
    node = (await writable_client.data(history, {"id": article}, headers=auth["EDITOR"]))["node"]
    assert [r["version"] for r in node["revisions"]] == [1, 2]
    first = node["revisions"][0]
    assert first["title"] == "A fresh analysis"
    assert first["createdBy"].startswith("editor-")
    assert len(first["snapshot"]["footnotes"]) == 2

    restored = await writable_client.data(
        """mutation($input: RestoreRevisionInput!) { restoreRevision(input: $input) {
            __typename ... on RestoreRevisionSuccess { article { version title
              footnotes { key } } } } }""",
        {"input": {"articleId": article, "revisionId": first["id"]}},
        headers=auth["EDITOR"],
    )
    back = restored["restoreRevision"]["article"]
    assert back["title"] == "A fresh analysis" and back["version"] == 3
    assert [f["key"] for f in back["footnotes"]] == ["one", "two"]
    node = (await writable_client.data(history, {"id": article}, headers=auth["EDITOR"]))["node"]
    assert [r["title"] for r in node["revisions"]] == [
        "A fresh analysis",
        "Second title",
        "A fresh analysis",
    ]
    # History is for token holders only.
    anonymous = await writable_client.query(history, {"id": article})
    assert anonymous["data"]["node"] is None  # a draft: invisible to readers


async def test_revisions_of_a_published_article_need_a_token(client: ApiClient) -> None:
    query = """query($l: String!, $s: String!) {
      article(language: $l, slug: $s) { title revisions { version } } }"""
    variables = {"l": GAS_HUB_EN[0], "s": GAS_HUB_EN[1]}
    refused = await client.query(query, variables)
    [error] = refused["errors"]
    assert error["message"].startswith("Reading revisions needs a token")
    assert error["path"] == ["article", "revisions"]
    assert refused["data"] == {"article": None}


async def test_scheduled_article_appears_when_its_time_comes(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    auth = await tokens(fresh_demo_url)
    created = await writable_client.data(
        CREATE, {"input": new_article(slug="soon")}, headers=auth["EDITOR"]
    )
    article = created["createArticle"]["article"]["id"]
    scheduled = await writable_client.data(
        PUBLISH,
        {"input": {"id": article, "publishAt": "2999-01-01T09:00:00+00:00"}},
        headers=auth["EDITOR"],
    )
    assert scheduled["publishArticle"]["article"]["status"] == "SCHEDULED"
    read = '{ article(language: "en", slug: "soon") { slug } }'
    assert (await writable_client.data(read))["article"] is None
    past = await writable_client.data(
        PUBLISH,
        {"input": {"id": article, "publishAt": "2020-01-01T09:00:00+00:00"}},
        headers=auth["EDITOR"],
    )
    assert past["publishArticle"]["article"]["status"] == "PUBLISHED"
    assert (await writable_client.data(read))["article"] == {"slug": "soon"}


@pytest.mark.parametrize("role", [Role.CONTRIBUTOR])
async def test_contributor_cannot_delete(
    writable_client: ApiClient, fresh_demo_url: str, role: Role
) -> None:
    token = bearer(await issue_token(fresh_demo_url, role))
    article = global_id("Article", await article_id(fresh_demo_url, *GAS_HUB_EN))
    result = await writable_client.data(
        f"mutation($id: ID!) {{ deleteArticle(input: {{id: $id}}) {{ {RESULT} }} }}",
        {"id": article},
        headers=token,
    )
    assert result["deleteArticle"]["__typename"] == "ForbiddenError"


async def test_delete_refuses_an_original_with_translations_and_removes_a_lone_one(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    auth = await tokens(fresh_demo_url)
    delete = f"""mutation($id: ID!) {{ deleteArticle(input: {{id: $id}}) {{ {RESULT}
        ... on DeleteArticleSuccess {{ deletedId }} }} }}"""
    original = global_id("Article", await article_id(fresh_demo_url, *GAS_HUB_EN))
    refused = await writable_client.data(delete, {"id": original}, headers=auth["EDITOR"])
    assert refused["deleteArticle"]["issues"][0]["code"] == "HAS_TRANSLATIONS"
    lone = global_id("Article", await article_id(fresh_demo_url, "en", "iran-after-snapback"))
    deleted = await writable_client.data(delete, {"id": lone}, headers=auth["EDITOR"])
    assert deleted["deleteArticle"] == {"__typename": "DeleteArticleSuccess", "deletedId": lone}
    gone = await writable_client.data(
        "query($id: ID!) { node(id: $id) { id } }", {"id": lone}, headers=auth["EDITOR"]
    )
    assert gone["node"] is None
