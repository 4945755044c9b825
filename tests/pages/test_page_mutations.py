"""Page mutations: the article workflow on pages, with the same roles, errors and versions;
an article's id is not a page's, nor the other way round."""

from __future__ import annotations

import base64
from typing import Any

from publishing.access import Role
from tests.support.client import ApiClient
from tests.support.tokens import bearer, issue_token

BASE = """
  __typename
  ... on UserError { message }
  ... on ValidationError { issues { path code message } }
"""
RESULT = BASE + "... on ConflictError { currentVersion }"
FIELDS = "id slug title status version body { markdown } footnotes { key number }"
CREATE = f"""mutation($input: CreatePageInput!) {{ createPage(input: $input) {{
  {BASE} ... on CreatePageSuccess {{ page {{ {FIELDS} }} }} }} }}"""
TRANSLATE = f"""mutation($input: CreatePageTranslationInput!) {{
  createPageTranslation(input: $input) {{
  {BASE} ... on CreatePageTranslationSuccess {{ page {{ {FIELDS}
    original {{ slug }} translationStatus {{ isOutdated }} }} }} }} }}"""
UPDATE = f"""mutation($input: UpdatePageInput!) {{ updatePage(input: $input) {{
  {RESULT} ... on UpdatePageSuccess {{ page {{ {FIELDS} }} }} }} }}"""
PUBLISH = f"""mutation($input: PublishPageInput!) {{ publishPage(input: $input) {{
  {RESULT} ... on PageStatusSuccess {{ page {{ {FIELDS} publishedAt }} }} }} }}"""
UNPUBLISH = f"""mutation($input: PageStatusInput!) {{ unpublishPage(input: $input) {{
  {RESULT} ... on PageStatusSuccess {{ page {{ status publishedAt }} }} }} }}"""
ARCHIVE = f"""mutation($input: PageStatusInput!) {{ archivePage(input: $input) {{
  {RESULT} ... on PageStatusSuccess {{ page {{ status }} }} }} }}"""
DELETE = f"""mutation($input: PageStatusInput!) {{ deletePage(input: $input) {{
  {RESULT} ... on DeletePageSuccess {{ deletedId }} }} }}"""
RESTORE = f"""mutation($input: RestorePageRevisionInput!) {{ restorePageRevision(input: $input) {{
  {RESULT} ... on RestorePageRevisionSuccess {{ page {{ {FIELDS} }} }} }} }}"""
REVISIONS = """query($language: String!, $slug: String!) {
  page(language: $language, slug: $slug) { version revisions { id version title } } }"""
PREVIEW_LINK = f"""mutation($input: CreatePagePreviewLinkInput!) {{
  createPagePreviewLink(input: $input) {{
  {BASE} ... on CreatePagePreviewLinkSuccess {{ token page {{ slug status }} }} }} }}"""
UPDATE_ARTICLE = f"""mutation($input: UpdateArticleInput!) {{ updateArticle(input: $input) {{
  {RESULT} ... on UpdateArticleSuccess {{ article {{ id }} }} }} }}"""
CREATE_ARTICLE = f"""mutation($input: CreateArticleInput!) {{ createArticle(input: $input) {{
  {BASE} ... on CreateArticleSuccess {{ article {{ id }} }} }} }}"""
PAGES = '{ pages(language: "en", first: 100) { totalCount edges { node { slug } } } }'


def new_page(**overrides: Any) -> dict[str, Any]:
    page = {
        "language": "en",
        "slug": "donate",
        "title": "Donate",
        "body": "Support our work.[^tax]",
        "footnotes": [{"key": "tax", "content": "Gifts are tax-deductible in Germany."}],
    }
    page.update(overrides)
    return page


def retyped(global_id: str, type_name: str) -> str:
    pk = base64.b64decode(global_id).decode().split(":")[1]
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


async def _tokens(url: str) -> dict[str, dict[str, str]]:
    return {role.value: bearer(await issue_token(url, role)) for role in Role}


async def _run(api: ApiClient, query: str, variables: dict[str, Any], headers: Any) -> Any:
    data = await api.data(query, variables, headers=headers)
    return next(iter(data.values()))


async def test_a_page_goes_through_the_article_workflow(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    api, auth = writable_client, await _tokens(fresh_demo_url)
    editor = auth["EDITOR"]
    created = await _run(api, CREATE, {"input": new_page()}, auth["CONTRIBUTOR"])
    assert created["__typename"] == "CreatePageSuccess", created
    page = created["page"]
    assert page["status"] == "DRAFT" and page["version"] == 1
    assert page["footnotes"] == [{"key": "tax", "number": 1}]
    # A draft is no reader's.
    assert (await api.data('{ page(language: "en", slug: "donate") { id } }'))["page"] is None

    updated = await _run(
        api,
        UPDATE,
        {"input": {"id": page["id"], "expectedVersion": 1, "title": "Support us"}},
        auth["CONTRIBUTOR"],
    )
    assert updated["page"]["title"] == "Support us" and updated["page"]["version"] == 2
    stale = await _run(
        api, UPDATE, {"input": {"id": page["id"], "expectedVersion": 1, "title": "X"}}, editor
    )
    assert stale["__typename"] == "ConflictError" and stale["currentVersion"] == 2

    refused = await _run(api, PUBLISH, {"input": {"id": page["id"]}}, auth["CONTRIBUTOR"])
    assert refused["__typename"] == "ForbiddenError"
    published = await _run(api, PUBLISH, {"input": {"id": page["id"]}}, editor)
    assert published["page"]["status"] == "PUBLISHED"
    listed = (await api.data(PAGES))["pages"]
    assert "donate" in {e["node"]["slug"] for e in listed["edges"]}
    assert listed["totalCount"] == 4

    # Contributors edit drafts only, as with articles.
    forbidden = await _run(
        api,
        UPDATE,
        {"input": {"id": page["id"], "expectedVersion": 3, "title": "Y"}},
        auth["CONTRIBUTOR"],
    )
    assert forbidden["__typename"] == "ForbiddenError"
    assert "this page is published" in forbidden["message"]

    translated = await _run(
        api,
        TRANSLATE,
        {
            "input": {
                "originalId": page["id"],
                "language": "tr",
                "slug": "bagis",
                "title": "Bağış",
                "body": "Çalışmamızı destekleyin.[^tax]",
                "footnotes": [{"key": "tax", "content": "Almanya'da vergiden düşülür."}],
            }
        },
        auth["CONTRIBUTOR"],
    )
    assert translated["__typename"] == "CreatePageTranslationSuccess", translated
    assert translated["page"]["original"] == {"slug": "donate"}
    assert translated["page"]["translationStatus"] == {"isOutdated": False}

    unpublished = await _run(api, UNPUBLISH, {"input": {"id": page["id"]}}, editor)
    assert unpublished["page"] == {"status": "DRAFT", "publishedAt": None}
    archived = await _run(api, ARCHIVE, {"input": {"id": page["id"]}}, editor)
    assert archived["page"]["status"] == "ARCHIVED"
    assert "donate" not in {e["node"]["slug"] for e in (await api.data(PAGES))["pages"]["edges"]}

    # An original with a translation stays; the translation first, then the original.
    kept = await _run(api, DELETE, {"input": {"id": page["id"]}}, editor)
    assert kept["__typename"] == "ValidationError"
    assert kept["issues"][0]["code"] == "HAS_TRANSLATIONS"
    assert (await _run(api, DELETE, {"input": {"id": page["id"]}}, auth["CONTRIBUTOR"]))[
        "__typename"
    ] == "ForbiddenError"
    gone = await _run(api, DELETE, {"input": {"id": translated["page"]["id"]}}, editor)
    assert gone == {"__typename": "DeletePageSuccess", "deletedId": translated["page"]["id"]}
    gone = await _run(api, DELETE, {"input": {"id": page["id"]}}, editor)
    assert gone["__typename"] == "DeletePageSuccess"


async def test_revisions_of_a_page_are_restored(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    api, auth = writable_client, await _tokens(fresh_demo_url)
    editor = auth["EDITOR"]
    before = (await api.data(REVISIONS, {"language": "en", "slug": "privacy"}, headers=editor))[
        "page"
    ]
    first = before["revisions"][0]
    page = (await api.data('{ page(language: "en", slug: "privacy") { id } }'))["page"]
    await _run(
        api,
        UPDATE,
        {"input": {"id": page["id"], "expectedVersion": before["version"], "title": "Cookies"}},
        editor,
    )
    restored = await _run(
        api,
        RESTORE,
        {"input": {"pageId": page["id"], "revisionId": first["id"]}},
        editor,
    )
    assert restored["__typename"] == "RestorePageRevisionSuccess", restored
    assert restored["page"]["title"] == "Privacy"
    assert restored["page"]["version"] == before["version"] + 2
    # Readers without a token see no revisions.
    hidden = await api.query(REVISIONS, {"language": "en", "slug": "privacy"})
    assert hidden["errors"] and hidden["data"]["page"] is None


async def test_ids_of_one_kind_name_nothing_of_the_other(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    api, auth = writable_client, await _tokens(fresh_demo_url)
    editor = auth["EDITOR"]
    page = (await api.data('{ page(language: "en", slug: "about") { id version } }'))["page"]
    article = (
        await api.data('{ articles(language: "en", first: 1) { edges { node { id version } } } }')
    )["articles"]["edges"][0]["node"]

    as_article = retyped(page["id"], "Article")
    missing = await _run(
        api,
        UPDATE_ARTICLE,
        {"input": {"id": as_article, "expectedVersion": page["version"], "title": "Hijacked"}},
        editor,
    )
    assert missing["__typename"] == "NotFoundError"
    assert "No article with id" in missing["message"]
    as_page = retyped(article["id"], "Page")
    missing = await _run(
        api,
        UPDATE,
        {"input": {"id": as_page, "expectedVersion": article["version"], "title": "Hijacked"}},
        editor,
    )
    assert missing["__typename"] == "NotFoundError"
    assert "No page with id" in missing["message"]
    # A Page id where an Article's belongs is not even decoded.
    wrong_type = await _run(
        api, UPDATE_ARTICLE, {"input": {"id": page["id"], "expectedVersion": 1}}, editor
    )
    assert wrong_type["__typename"] == "ValidationError"
    assert wrong_type["issues"][0] == {
        "path": ["id"],
        "code": "INVALID_ID",
        "message": wrong_type["issues"][0]["message"],
    }
    for kind, query in (("publish", PUBLISH), ("delete", DELETE)):
        refused = await _run(api, query, {"input": {"id": as_page}}, editor)
        assert refused["__typename"] == "NotFoundError", kind
    # Nothing changed.
    after = (await api.data('{ page(language: "en", slug: "about") { title version } }'))["page"]
    assert after == {"title": "About us", "version": page["version"]}


async def test_slugs_are_unique_per_language_across_kinds(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    api, auth = writable_client, await _tokens(fresh_demo_url)
    editor = auth["EDITOR"]
    taken = await _run(api, CREATE, {"input": new_page(slug="turkiyes-gas-hub-ambition")}, editor)
    assert taken["__typename"] == "ValidationError"
    assert taken["issues"] == [
        {
            "path": ["slug"],
            "code": "TAKEN",
            "message": "The slug 'turkiyes-gas-hub-ambition' is already used by another en "
            "article.",
        }
    ]
    article = await _run(
        api, CREATE_ARTICLE, {"input": {"language": "en", "slug": "about", "title": "A"}}, editor
    )
    assert article["issues"][0]["code"] == "TAKEN"
    assert article["issues"][0]["message"].endswith("another en page.")
    # The same slug in another language is free.
    other = await _run(api, CREATE, {"input": new_page(language="ru", slug="about")}, editor)
    assert other["__typename"] == "CreatePageSuccess"


async def test_bad_page_input_is_reported_with_paths(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    api, auth = writable_client, await _tokens(fresh_demo_url)
    bad = await _run(
        api,
        CREATE,
        {
            "input": new_page(
                language="xx",
                slug="Not A Slug",
                title=" ",
                body="Cites a missing note.[^gone]",
                footnotes=[],
                featuredImageId="nonsense",
            )
        },
        auth["EDITOR"],
    )
    assert bad["__typename"] == "ValidationError"
    assert {tuple(i["path"]) for i in bad["issues"]} == {("featuredImageId",)}
    bad = await _run(
        api,
        CREATE,
        {
            "input": new_page(
                language="xx", slug="Not A Slug", title=" ", body="Missing.[^gone]", footnotes=[]
            )
        },
        auth["EDITOR"],
    )
    paths = {tuple(i["path"]) for i in bad["issues"]}
    assert {("language",), ("slug",), ("title",), ("body",)} <= paths, bad
    assert (await api.data(PAGES))["pages"]["totalCount"] == 3


async def test_preview_links_name_one_kind(writable_client: ApiClient, fresh_demo_url: str) -> None:
    api, auth = writable_client, await _tokens(fresh_demo_url)
    created = await _run(api, CREATE, {"input": new_page()}, auth["CONTRIBUTOR"])
    link = await _run(
        api, PREVIEW_LINK, {"input": {"pageId": created["page"]["id"]}}, auth["CONTRIBUTOR"]
    )
    assert link["page"] == {"slug": "donate", "status": "DRAFT"}
    token = link["token"]
    shown = await api.data(
        """query($token: String!) { pagePreview(token: $token) { slug }
          articlePreview(token: $token) { slug } }""",
        {"token": token},
    )
    assert shown == {"pagePreview": {"slug": "donate"}, "articlePreview": None}
    as_page = retyped(
        (await api.data("{ articles(first: 1) { edges { node { id } } } }"))["articles"]["edges"][
            0
        ]["node"]["id"],
        "Page",
    )
    refused = await _run(api, PREVIEW_LINK, {"input": {"pageId": as_page}}, auth["CONTRIBUTOR"])
    assert refused["__typename"] == "NotFoundError"


async def test_a_contributor_cannot_file_a_published_page_through_a_draft_translation(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    api, auth = writable_client, await _tokens(fresh_demo_url)
    privacy = '{ page(language: "en", slug: "privacy") { id version } }'
    before = (await api.data(privacy))["page"]
    section = (await api.data('{ sections(language: "en") { id } }'))["sections"][0]["id"]
    translated = await _run(
        api,
        TRANSLATE,
        {
            "input": {
                "originalId": before["id"],
                "language": "tr",
                "slug": "gizlilik",
                "title": "Gizlilik",
            }
        },
        auth["CONTRIBUTOR"],
    )
    assert translated["__typename"] == "CreatePageTranslationSuccess", translated
    draft = translated["page"]["id"]
    filing = {"id": draft, "expectedVersion": 1, "sectionId": section}

    # The section is the story's: the published English page would be filed too.
    refused = await _run(
        api,
        """mutation($input: UpdatePageInput!) { updatePage(input: $input) {
          __typename ... on ForbiddenError { message issues { path code } } } }""",
        {"input": filing},
        auth["CONTRIBUTOR"],
    )
    assert refused["__typename"] == "ForbiddenError", refused
    assert refused["issues"] == [{"path": ["sectionId"], "code": "FORBIDDEN"}]
    assert (await api.data(privacy))["page"] == before

    # An editor may, and the English page is a new version.
    filed = await _run(api, UPDATE, {"input": filing}, auth["EDITOR"])
    assert filed["__typename"] == "UpdatePageSuccess", filed
    assert (await api.data(privacy))["page"]["version"] == before["version"] + 1
