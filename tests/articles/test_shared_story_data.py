"""What a story's versions share (tags, AUTHOR and EDITOR credits, sections, featured flag):
changing it through one version needs the right to change every version, and a change is a
new version and revision of every version that shows it."""

from __future__ import annotations

import asyncio
from typing import Any

from publishing.access import Role
from tests.support.client import ApiClient, api_client
from tests.support.lookup import article_id, global_id
from tests.support.tokens import bearer, issue_token

RESULT = """
  __typename
  ... on UserError { message }
  ... on ValidationError { issues { path code } }
  ... on ForbiddenError { issues { path code } }
"""
FIELDS = """id version status tags { slug } authors { slug } featured section { id }
  revisions { version createdBy }"""
UPDATE = f"""mutation($input: UpdateArticleInput!) {{ updateArticle(input: $input) {{
  {RESULT} ... on UpdateArticleSuccess {{ article {{ {FIELDS} }} }} }} }}"""
CREATE = f"""mutation($input: CreateArticleInput!) {{ createArticle(input: $input) {{
  {RESULT} ... on CreateArticleSuccess {{ article {{ {FIELDS} }} }} }} }}"""
TRANSLATE = f"""mutation($input: CreateTranslationInput!) {{ createTranslation(input: $input) {{
  {RESULT} ... on CreateTranslationSuccess {{ article {{ {FIELDS} }} }} }} }}"""
PUBLISH = f"""mutation($input: PublishArticleInput!) {{ publishArticle(input: $input) {{
  {RESULT} ... on ArticleStatusSuccess {{ article {{ id version }} }} }} }}"""
READ = f"""query($id: ID!) {{ node(id: $id) {{ ... on Article {{ {FIELDS} }} }} }}"""
PUBLIC = """query($language: String!, $slug: String!) { article(language: $language, slug: $slug) {
  version tags { slug } authors { slug } featured section { id } } }"""
IDS = """{ tags { id slug }
  authors(first: 50) { edges { node { id slug } } }
  sections(language: "en") { id } }"""

DISINFLATION_EN = ("en", "the-last-mile-of-disinflation")
DISINFLATION_VARS = {"language": DISINFLATION_EN[0], "slug": DISINFLATION_EN[1]}
NUCLEAR_EN = ("en", "the-future-of-nuclear-verification")
NUCLEAR_TR = ("tr", "nukleer-denetimin-gelecegi")
NUCLEAR_RU_DRAFT = ("ru", "budushchee-yadernogo-kontrolya")


async def _ids(api: ApiClient) -> dict[str, Any]:
    data = await api.data(IDS)
    return {
        "tags": {t["slug"]: t["id"] for t in data["tags"]},
        "authors": {e["node"]["slug"]: e["node"]["id"] for e in data["authors"]["edges"]},
        "sections": [s["id"] for s in data["sections"]],
    }


async def _run(
    api: ApiClient, query: str, name: str, variables: dict[str, Any], headers: dict[str, str]
) -> dict[str, Any]:
    result: dict[str, Any] = (await api.data(query, {"input": variables}, headers=headers))[name]
    return result


async def _node(api: ApiClient, node_id: str, headers: dict[str, str]) -> dict[str, Any]:
    node: dict[str, Any] = (await api.data(READ, {"id": node_id}, headers=headers))["node"]
    return node


async def test_a_contributor_cannot_change_what_a_published_version_shows_through_a_draft(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    api = writable_client
    contributor = bearer(await issue_token(fresh_demo_url, Role.CONTRIBUTOR))
    editor = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
    ids = await _ids(api)
    published = global_id("Article", await article_id(fresh_demo_url, *DISINFLATION_EN))
    before = await _node(api, published, editor)
    public_before = await api.data(PUBLIC, DISINFLATION_VARS)

    # A contributor may translate a published article: the translation is a draft of theirs.
    translated = await _run(
        api,
        TRANSLATE,
        "createTranslation",
        {
            "originalId": published,
            "language": "tr",
            "slug": "dezenflasyonun-son-adimi",
            "title": "Dezenflasyonun son adımı",
        },
        contributor,
    )
    assert translated["__typename"] == "CreateTranslationSuccess", translated
    draft = translated["article"]
    assert draft["status"] == "DRAFT" and draft["tags"] == before["tags"]

    # Its own fields are theirs; the story's tags, sections and featured flag are not, while
    # a published version shows them. Every refused field is named; nothing is written.
    refused = await _run(
        api,
        UPDATE,
        "updateArticle",
        {
            "id": draft["id"],
            "expectedVersion": 1,
            "title": "Yeni başlık",
            "tagIds": [ids["tags"]["climate"]],
            "featured": True,
            "sectionId": next(
                s for s in ids["sections"] if s != (before["section"] or {}).get("id")
            ),
        },
        contributor,
    )
    assert refused["__typename"] == "ForbiddenError", refused
    assert refused["issues"] == [
        {"path": ["tagIds"], "code": "FORBIDDEN"},
        {"path": ["sectionId"], "code": "FORBIDDEN"},
        {"path": ["featured"], "code": "FORBIDDEN"},
    ]
    assert "en (published)" in refused["message"]
    assert await _node(api, draft["id"], editor) == draft
    assert await _node(api, published, editor) == before
    assert await api.data(PUBLIC, DISINFLATION_VARS) == public_before

    # Sending the story's data unchanged is no change of it: a form that sends every field
    # still saves the translation's own.
    saved = await _run(
        api,
        UPDATE,
        "updateArticle",
        {
            "id": draft["id"],
            "expectedVersion": 1,
            "title": "Yeni başlık",
            "tagIds": [ids["tags"][t["slug"]] for t in before["tags"]],
            "featured": before["featured"],
            "sectionId": before["section"] and before["section"]["id"],
        },
        contributor,
    )
    assert saved["__typename"] == "UpdateArticleSuccess", saved
    assert saved["article"]["version"] == 2
    assert await _node(api, published, editor) == before


async def test_a_contributor_cannot_change_the_authors_of_a_published_translation(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    api = writable_client
    contributor = bearer(await issue_token(fresh_demo_url, Role.CONTRIBUTOR))
    editor = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
    authors = (await _ids(api))["authors"]
    # A draft original whose translation is published: the translation shows its authors.
    original = await _run(
        api,
        CREATE,
        "createArticle",
        {
            "language": "en",
            "slug": "a-draft-original",
            "title": "A draft original",
            "credits": [{"authorId": authors["hannah-mercer"]}],
        },
        editor,
    )
    translation = await _run(
        api,
        TRANSLATE,
        "createTranslation",
        {
            "originalId": original["article"]["id"],
            "language": "tr",
            "slug": "taslak-bir-asil",
            "title": "Taslak bir asıl",
        },
        editor,
    )
    await _run(api, PUBLISH, "publishArticle", {"id": translation["article"]["id"]}, editor)
    public = {"language": "tr", "slug": "taslak-bir-asil"}
    assert (await api.data(PUBLIC, public))["article"]["authors"] == [{"slug": "hannah-mercer"}]

    refused = await _run(
        api,
        UPDATE,
        "updateArticle",
        {
            "id": original["article"]["id"],
            "expectedVersion": 1,
            "credits": [{"authorId": authors["elif-aydin"]}],
        },
        contributor,
    )
    assert refused["__typename"] == "ForbiddenError", refused
    assert refused["issues"] == [{"path": ["credits"], "code": "FORBIDDEN"}]
    assert "tr (published)" in refused["message"]
    assert (await api.data(PUBLIC, public))["article"]["authors"] == [{"slug": "hannah-mercer"}]
    # A translator's credit on the original itself is the original's own: allowed, and the
    # story's authors are left as they are.
    credited = await _run(
        api,
        UPDATE,
        "updateArticle",
        {
            "id": original["article"]["id"],
            "expectedVersion": 1,
            "credits": [
                {"authorId": authors["hannah-mercer"]},
                {"authorId": authors["elif-aydin"], "role": "TRANSLATOR"},
            ],
        },
        contributor,
    )
    assert credited["__typename"] == "UpdateArticleSuccess", credited
    assert (await api.data(PUBLIC, public))["article"]["authors"] == [{"slug": "hannah-mercer"}]


async def test_a_contributor_changes_a_story_whose_versions_are_all_drafts(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    api = writable_client
    contributor = bearer(await issue_token(fresh_demo_url, Role.CONTRIBUTOR))
    tags = (await _ids(api))["tags"]
    original = await _run(
        api,
        CREATE,
        "createArticle",
        {"language": "en", "slug": "all-drafts", "title": "All drafts"},
        contributor,
    )
    translation = await _run(
        api,
        TRANSLATE,
        "createTranslation",
        {
            "originalId": original["article"]["id"],
            "language": "tr",
            "slug": "hepsi-taslak",
            "title": "Hepsi taslak",
        },
        contributor,
    )
    tagged = await _run(
        api,
        UPDATE,
        "updateArticle",
        {"id": translation["article"]["id"], "expectedVersion": 1, "tagIds": [tags["climate"]]},
        contributor,
    )
    assert tagged["__typename"] == "UpdateArticleSuccess", tagged
    # The original shows the new tag, as a new version with a revision of its own.
    sibling = await _node(api, original["article"]["id"], contributor)
    assert sibling["tags"] == [{"slug": "climate"}]
    assert sibling["version"] == 2
    assert [r["version"] for r in sibling["revisions"]] == [1, 2]


async def test_an_editors_change_through_a_draft_is_a_new_version_of_the_published_ones(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    api = writable_client
    editor_token = await issue_token(fresh_demo_url, Role.EDITOR, "desk-editor")
    editor = bearer(editor_token)
    tags = (await _ids(api))["tags"]
    draft = global_id("Article", await article_id(fresh_demo_url, *NUCLEAR_RU_DRAFT))
    published = [
        global_id("Article", await article_id(fresh_demo_url, *key))
        for key in (NUCLEAR_EN, NUCLEAR_TR)
    ]
    before = [await _node(api, p, editor) for p in published]
    current = await _node(api, draft, editor)

    changed = await _run(
        api,
        UPDATE,
        "updateArticle",
        {
            "id": draft,
            "expectedVersion": current["version"],
            "tagIds": [tags["arms-control"], tags["energy"]],
        },
        editor,
    )
    assert changed["__typename"] == "UpdateArticleSuccess", changed
    for old, node_id in zip(before, published, strict=True):
        now = await _node(api, node_id, editor)
        assert now["tags"] == [{"slug": "arms-control"}, {"slug": "energy"}]
        assert now["version"] == old["version"] + 1
        assert now["revisions"][-1] == {"version": now["version"], "createdBy": "desk-editor"}
    # A form opened on a published version before the change is stale now: its save would
    # put the old tags back, so it is a conflict.
    stale = await _run(
        api,
        UPDATE,
        "updateArticle",
        {
            "id": published[0],
            "expectedVersion": before[0]["version"],
            "tagIds": [tags[t["slug"]] for t in before[0]["tags"]],
        },
        editor,
    )
    assert stale["__typename"] == "ConflictError", stale


async def test_two_editors_changing_shared_data_through_two_versions_at_once(
    fresh_demo_url: str,
) -> None:
    """Each change is one of every version: the second editor's form is stale once the first
    change lands, so exactly one wins and the other is a clean conflict (no deadlock, no
    crash), round after round."""
    editor = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
    versions = [
        global_id("Article", await article_id(fresh_demo_url, *key))
        for key in (NUCLEAR_EN, NUCLEAR_TR)
    ]
    async with api_client(fresh_demo_url) as first, api_client(fresh_demo_url) as second:
        tags = (await _ids(first))["tags"]
        # Each round, two sets of tags that differ from each other and from what is stored.
        for tag in ("climate", "energy", "migration", "digital-rights"):
            current = [(await _node(first, v, editor))["version"] for v in versions]
            picks = [[tag], [tag, "economics"]]
            results = await asyncio.gather(
                *(
                    _run(
                        client,
                        UPDATE,
                        "updateArticle",
                        {
                            "id": version_id,
                            "expectedVersion": version,
                            "tagIds": [tags[slug] for slug in pick],
                        },
                        editor,
                    )
                    for client, version_id, version, pick in zip(
                        (first, second), versions, current, picks, strict=True
                    )
                )
            )
            kinds = sorted(r["__typename"] for r in results)
            assert kinds == ["ConflictError", "UpdateArticleSuccess"], results
            winner = next(r for r in results if r["__typename"] == "UpdateArticleSuccess")
            for version_id, version in zip(versions, current, strict=True):
                node = await _node(first, version_id, editor)
                assert node["tags"] == winner["article"]["tags"]
                assert node["version"] == version + 1
