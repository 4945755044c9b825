"""Author mutations: administrators create, change and delete authors and their bios."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select

from publishing.access import Role
from publishing.articles.models import ContributorCredit
from publishing.authors.models import Author, AuthorBio
from publishing.db import create_engine
from tests.support.client import ApiClient
from tests.support.lookup import global_id
from tests.support.tokens import bearer, issue_token

RESULT = """
  __typename
  ... on UserError { message }
  ... on ValidationError { issues { path code message } }
"""
AUTHOR = """author { id slug name avatarUrl
  en: bio(language: "en") { markdown } tr: bio(language: "tr") { markdown } }"""
CREATE = f"""mutation($input: CreateAuthorInput!) {{ createAuthor(input: $input) {{
  {RESULT} ... on CreateAuthorSuccess {{ {AUTHOR} }}
}} }}"""
UPDATE = f"""mutation($input: UpdateAuthorInput!) {{ updateAuthor(input: $input) {{
  {RESULT} ... on UpdateAuthorSuccess {{ {AUTHOR} }}
}} }}"""
DELETE = f"""mutation($input: DeleteAuthorInput!) {{ deleteAuthor(input: $input) {{
  {RESULT} ... on DeleteAuthorSuccess {{ deletedId }}
}} }}"""
READ = """query($slug: String!) {
  author(slug: $slug) {
    id slug name avatarUrl
    en: bio(language: "en") { markdown html }
    tr: bio(language: "tr") { markdown html }
    ru: bio(language: "ru") { markdown }
  }
  authors(first: 100) { totalCount }
}"""

EN_BIO = "Hakan Demir covers **energy markets** in the Black Sea region."
TR_BIO = "Hakan Demir, Karadeniz bölgesindeki **enerji piyasalarını** izliyor."


def new_author(**overrides: Any) -> dict[str, Any]:
    author: dict[str, Any] = {
        "slug": "hakan-demir",
        "name": "Hakan Demir",
        "avatarUrl": "https://images.example.org/authors/hakan-demir.jpg",
        "bios": [{"language": "en", "markdown": EN_BIO}, {"language": "tr", "markdown": TR_BIO}],
    }
    author.update(overrides)
    return author


async def admin(url: str) -> dict[str, str]:
    return bearer(await issue_token(url, Role.ADMIN))


def problems(result: dict[str, Any]) -> set[tuple[tuple[str, ...], str]]:
    assert result["__typename"] == "ValidationError", result
    return {(tuple(issue["path"]), issue["code"]) for issue in result["issues"]}


async def read(client: ApiClient, slug: str) -> dict[str, Any]:
    data: dict[str, Any] = await client.data(READ, {"slug": slug})
    return data


async def stored_author(url: str, slug: str) -> tuple[dt.datetime, dict[str, str]] | None:
    """The author's updated_at and bios as stored, read straight from the database."""
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            row = (
                await connection.execute(
                    select(Author.id, Author.updated_at).where(Author.slug == slug)
                )
            ).first()
            if row is None:
                return None
            bios = await connection.execute(
                select(AuthorBio.language, AuthorBio.markdown).where(AuthorBio.author_id == row.id)
            )
            return row.updated_at, {language: markdown for language, markdown in bios}
    finally:
        await engine.dispose()


async def test_admin_creates_an_author_with_bios_in_two_languages(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    before = await read(writable_client, "hakan-demir")
    assert before["author"] is None

    result = await writable_client.data(
        CREATE, {"input": new_author()}, headers=await admin(fresh_demo_url)
    )
    created = result["createAuthor"]
    assert created["__typename"] == "CreateAuthorSuccess", created
    assert created["author"]["slug"] == "hakan-demir"
    assert created["author"]["en"] == {"markdown": EN_BIO}
    assert created["author"]["tr"] == {"markdown": TR_BIO}

    # Any reader sees the new author, bios rendered, by language.
    after = await read(writable_client, "hakan-demir")
    author = after["author"]
    assert author["id"] == created["author"]["id"]
    assert author["name"] == "Hakan Demir"
    assert author["avatarUrl"] == "https://images.example.org/authors/hakan-demir.jpg"
    assert author["en"]["markdown"] == EN_BIO
    assert "<strong>energy markets</strong>" in author["en"]["html"]
    assert author["tr"]["markdown"] == TR_BIO
    assert "<strong>enerji piyasalarını</strong>" in author["tr"]["html"]
    # No Russian bio: the default language's stands in.
    assert author["ru"]["markdown"] == EN_BIO
    assert after["authors"]["totalCount"] == before["authors"]["totalCount"] + 1


async def test_update_changes_given_fields_and_bios_language_by_language(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    headers = await admin(fresh_demo_url)
    created = await writable_client.data(CREATE, {"input": new_author()}, headers=headers)
    author_id = created["createAuthor"]["author"]["id"]
    stored = await stored_author(fresh_demo_url, "hakan-demir")
    assert stored is not None
    created_at_version, _ = stored

    # Only the bios: the Turkish one rewritten, the English one deleted, the rest unchanged.
    new_tr = "Hakan Demir artık **iklim politikası** üzerine yazıyor."
    result = await writable_client.data(
        UPDATE,
        {
            "input": {
                "id": author_id,
                "bios": [
                    {"language": "tr", "markdown": new_tr},
                    {"language": "EN", "markdown": None},
                ],
            }
        },
        headers=headers,
    )
    assert result["updateAuthor"]["__typename"] == "UpdateAuthorSuccess", result
    author = (await read(writable_client, "hakan-demir"))["author"]
    assert author["name"] == "Hakan Demir"
    assert author["avatarUrl"] == "https://images.example.org/authors/hakan-demir.jpg"
    assert author["tr"]["markdown"] == new_tr
    # English is gone: asking for it falls back to the only bio left.
    assert author["en"]["markdown"] == new_tr
    stored = await stored_author(fresh_demo_url, "hakan-demir")
    assert stored is not None
    bios_updated_at, bios = stored
    assert bios == {"tr": new_tr}
    assert bios_updated_at > created_at_version

    # Fields: slug and name changed, avatar cleared with an explicit null, bios left alone.
    result = await writable_client.data(
        UPDATE,
        {
            "input": {
                "id": author_id,
                "slug": "hakan-demir-ankara",
                "name": "  Hakan Demir (Ankara) ",
                "avatarUrl": None,
            }
        },
        headers=headers,
    )
    updated = result["updateAuthor"]["author"]
    assert updated["slug"] == "hakan-demir-ankara"
    assert updated["name"] == "Hakan Demir (Ankara)"
    assert updated["avatarUrl"] is None
    assert (await read(writable_client, "hakan-demir"))["author"] is None
    author = (await read(writable_client, "hakan-demir-ankara"))["author"]
    assert author["id"] == author_id
    assert author["avatarUrl"] is None
    assert author["tr"]["markdown"] == new_tr
    stored = await stored_author(fresh_demo_url, "hakan-demir-ankara")
    assert stored is not None and stored[0] > bios_updated_at


async def test_every_problem_is_reported_at_once_and_nothing_is_written(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    headers = await admin(fresh_demo_url)
    before = await read(writable_client, "elif-aydin")

    bad_format = new_author(
        slug="Not A Slug",
        name=" ",
        avatarUrl="ftp://images.example.org/a.jpg",
        bios=[
            {"language": "de", "markdown": "Ein Autor."},
            {"language": "en", "markdown": "  "},
            {"language": "EN", "markdown": "Twice."},
        ],
    )
    result = await writable_client.data(CREATE, {"input": bad_format}, headers=headers)
    error = result["createAuthor"]
    assert problems(error) == {
        (("slug",), "INVALID_FORMAT"),
        (("name",), "REQUIRED"),
        (("avatarUrl",), "INVALID_URL"),
        (("bios", "0", "language"), "NOT_ENABLED"),
        (("bios", "1", "markdown"), "REQUIRED"),
        (("bios", "2", "language"), "DUPLICATE"),
    }
    not_enabled = next(i for i in error["issues"] if i["code"] == "NOT_ENABLED")
    assert "en, tr, ru" in not_enabled["message"]

    taken = new_author(
        slug="elif-aydin",
        name="N" * 201,
        bios=[
            {"language": "de", "markdown": "Ein Autor."},
            {"language": "tr", "markdown": "x" * 50_001},
        ],
    )
    result = await writable_client.data(CREATE, {"input": taken}, headers=headers)
    assert problems(result["createAuthor"]) == {
        (("slug",), "TAKEN"),
        (("name",), "TOO_LONG"),
        (("bios", "0", "language"), "NOT_ENABLED"),
        (("bios", "1", "markdown"), "TOO_LONG"),
    }

    # An update with several problems changes none of the fields that were fine.
    result = await writable_client.data(
        UPDATE,
        {
            "input": {
                "id": before["author"]["id"],
                "slug": "irina-sokolova",
                "name": "A New Name",
                "avatarUrl": "not a url",
                "bios": [
                    {"language": "en", "markdown": "Replaced."},
                    {"language": "de", "markdown": "Ersetzt."},
                    {"language": "tr"},
                ],
            }
        },
        headers=headers,
    )
    assert problems(result["updateAuthor"]) == {
        (("slug",), "TAKEN"),
        (("avatarUrl",), "INVALID_URL"),
        (("bios", "1", "language"), "NOT_ENABLED"),
        (("bios", "2", "markdown"), "REQUIRED"),
    }

    after = await read(writable_client, "elif-aydin")
    assert after == before
    assert (await read(writable_client, "hakan-demir"))["author"] is None
    assert (await read(writable_client, "Not A Slug"))["author"] is None


async def test_a_credited_author_cannot_be_deleted(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    engine = create_engine(fresh_demo_url)
    try:
        async with engine.connect() as connection:
            credits = await connection.scalar(
                select(func.count(ContributorCredit.id))
                .join(Author, Author.id == ContributorCredit.author_id)
                .where(Author.slug == "irina-sokolova")
            )
    finally:
        await engine.dispose()
    assert credits

    before = await read(writable_client, "irina-sokolova")
    result = await writable_client.data(
        DELETE, {"input": {"id": before["author"]["id"]}}, headers=await admin(fresh_demo_url)
    )
    error = result["deleteAuthor"]
    assert problems(error) == {(("id",), "CREDITED")}
    assert f"{credits} credit" in error["issues"][0]["message"]
    assert await read(writable_client, "irina-sokolova") == before


async def test_an_uncredited_author_is_deleted_with_the_bios(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    headers = await admin(fresh_demo_url)
    created = await writable_client.data(CREATE, {"input": new_author()}, headers=headers)
    author_id = created["createAuthor"]["author"]["id"]
    assert await stored_author(fresh_demo_url, "hakan-demir") is not None

    result = await writable_client.data(DELETE, {"input": {"id": author_id}}, headers=headers)
    assert result["deleteAuthor"] == {
        "__typename": "DeleteAuthorSuccess",
        "deletedId": author_id,
    }
    assert (await read(writable_client, "hakan-demir"))["author"] is None
    node = await writable_client.data("query($id: ID!) { node(id: $id) { id } }", {"id": author_id})
    assert node["node"] is None
    assert await stored_author(fresh_demo_url, "hakan-demir") is None
    engine = create_engine(fresh_demo_url)
    try:
        async with engine.connect() as connection:
            orphans = await connection.scalar(
                select(func.count()).select_from(AuthorBio).where(AuthorBio.markdown == EN_BIO)
            )
    finally:
        await engine.dispose()
    assert orphans == 0

    again = await writable_client.data(DELETE, {"input": {"id": author_id}}, headers=headers)
    assert again["deleteAuthor"]["__typename"] == "NotFoundError"


async def test_unknown_and_malformed_ids(writable_client: ApiClient, fresh_demo_url: str) -> None:
    headers = await admin(fresh_demo_url)
    missing = global_id("Author", 99999)
    result = await writable_client.data(
        UPDATE, {"input": {"id": missing, "name": "Nobody"}}, headers=headers
    )
    assert result["updateAuthor"]["__typename"] == "NotFoundError"
    result = await writable_client.data(
        DELETE, {"input": {"id": global_id("Tag", 1)}}, headers=headers
    )
    assert problems(result["deleteAuthor"]) == {(("id",), "INVALID_ID")}


async def test_only_administrators_manage_authors(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    elif_before = await read(writable_client, "elif-aydin")
    elif_id = elif_before["author"]["id"]
    # Uncredited, so only the role check stands between it and deletion.
    admin_headers = await admin(fresh_demo_url)
    spare = await writable_client.data(
        CREATE, {"input": new_author(slug="spare-author")}, headers=admin_headers
    )
    spare_id = spare["createAuthor"]["author"]["id"]

    for role in (Role.EDITOR, Role.CONTRIBUTOR, None):
        headers = None if role is None else bearer(await issue_token(fresh_demo_url, role))
        calls = [
            ("createAuthor", CREATE, {"input": new_author()}),
            ("updateAuthor", UPDATE, {"input": {"id": elif_id, "name": "Changed"}}),
            ("deleteAuthor", DELETE, {"input": {"id": spare_id}}),
        ]
        for field, mutation, variables in calls:
            result = await writable_client.data(mutation, variables, headers=headers)
            assert result[field]["__typename"] == "ForbiddenError", (role, field, result)
            assert result[field]["message"]

    assert (await read(writable_client, "hakan-demir"))["author"] is None
    elif_after = await read(writable_client, "elif-aydin")
    assert elif_after["author"] == elif_before["author"]
    assert elif_after["authors"]["totalCount"] == elif_before["authors"]["totalCount"] + 1
    assert (await read(writable_client, "spare-author"))["author"]["id"] == spare_id
