"""An editorial tool's whole session over HTTP: write a piece in three languages, publish it,
and read it back as a reader sees it."""

from __future__ import annotations

from typing import Any

from publishing.access import Role
from tests.articles.test_article_page import ARTICLE_PAGE
from tests.support.client import ApiClient
from tests.support.tokens import bearer, issue_token

SHARED_SOURCE = {
    "title": "World Energy Outlook 2025",
    "publisher": "International Energy Agency",
    "url": "https://www.iea.org/reports/world-energy-outlook-2025",
    "accessedOn": "2025-11-20",
}
KEYS = ["demand", "supply", "prices", "storage", "grid", "policy", "outlook"]


def footnotes(language: str) -> list[dict[str, Any]]:
    notes = []
    for i, key in enumerate(KEYS):
        note: dict[str, Any] = {"key": key, "content": f"{language} note on {key}."}
        if key in ("demand", "outlook"):
            note["source"] = SHARED_SOURCE  # two notes, one source
        elif i % 2:
            note["source"] = {
                "title": f"Source on {key}",
                "publisher": "Meridian Data",
                "url": f"https://data.example.org/{key}",
                "accessedOn": "2025-10-0" + str(i),
            }
        notes.append(note)
    return notes


def body(language: str) -> str:
    # Cited out of list order, one note twice: numbering must follow the text.
    return (
        f"## {language}\n\nOutlook first.[^outlook] Then demand.[^demand] Supply.[^supply]\n\n"
        "Prices[^prices] and storage[^storage], the grid[^grid], policy.[^policy] "
        "Outlook again.[^outlook]"
    )


async def call(client: ApiClient, token: dict[str, str], mutation: str, payload: Any) -> Any:
    data = await client.data(mutation, {"input": payload}, headers=token)
    (result,) = data.values()
    assert not result["__typename"].endswith("Error"), result
    return result


async def test_editorial_tool_round_trip(writable_client: ApiClient, fresh_demo_url: str) -> None:
    client = writable_client
    admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN, "import-script"))
    editor = bearer(await issue_token(fresh_demo_url, Role.EDITOR, "desk"))

    author = await call(
        client,
        admin,
        """mutation($input: CreateAuthorInput!) { createAuthor(input: $input) {
            __typename ... on UserError { message }
            ... on CreateAuthorSuccess { author { id } } } }""",
        {
            "slug": "deniz-kaya",
            "name": "Deniz Kaya",
            "avatarUrl": "https://images.example.org/deniz.jpg",
            "bios": [
                {"language": "en", "markdown": "Deniz Kaya writes about **energy**."},
                {"language": "tr", "markdown": "Deniz Kaya **enerji** üzerine yazıyor."},
            ],
        },
    )
    author_id = author["author"]["id"]

    article_mutation = """mutation($input: CreateArticleInput!) { createArticle(input: $input) {
        __typename ... on UserError { message } ... on ValidationError { issues { path message } }
        ... on CreateArticleSuccess { article { id } } } }"""
    english = await call(
        client,
        editor,
        article_mutation,
        {
            "language": "en",
            "slug": "the-storage-question",
            "title": "The Storage Question",
            "subtitle": "Why batteries decide the grid",
            "excerpt": "Storage, not generation, is the bottleneck.",
            "body": body("en"),
            "footnotes": footnotes("en"),
            "credits": [{"authorId": author_id, "role": "AUTHOR"}],
        },
    )
    original_id = english["article"]["id"]

    translation_mutation = """mutation($input: CreateTranslationInput!) {
        createTranslation(input: $input) { __typename ... on UserError { message }
        ... on CreateTranslationSuccess { article { id } } } }"""
    ids = [original_id]
    for language, slug, title in (
        ("tr", "depolama-sorusu", "Depolama Sorusu"),
        ("ru", "vopros-khraneniya", "Вопрос хранения"),
    ):
        created = await call(
            client,
            editor,
            translation_mutation,
            {
                "originalId": original_id,
                "language": language,
                "slug": slug,
                "title": title,
                "body": body(language),
                "footnotes": footnotes(language),
            },
        )
        ids.append(created["article"]["id"])

    publish = """mutation($input: PublishArticleInput!) { publishArticle(input: $input) {
        __typename ... on UserError { message } } }"""
    for article_id in ids:
        await call(client, editor, publish, {"id": article_id})

    # Read back as an anonymous reader, exactly as a frontend would.
    pages = {}
    for language, slug in (
        ("en", "the-storage-question"),
        ("tr", "depolama-sorusu"),
        ("ru", "vopros-khraneniya"),
    ):
        data = await client.data(ARTICLE_PAGE, {"language": language, "slug": slug})
        pages[language] = data["article"]
        assert pages[language] is not None, language

    en = pages["en"]
    assert (en["title"], en["subtitle"]) == (
        "The Storage Question",
        "Why batteries decide the grid",
    )
    assert en["body"]["markdown"] == body("en")
    assert [a["slug"] for a in en["authors"]] == ["deniz-kaya"]
    assert en["authors"][0]["bio"]["markdown"] == "Deniz Kaya writes about **energy**."
    assert pages["tr"]["authors"][0]["bio"]["markdown"] == "Deniz Kaya **enerji** üzerine yazıyor."
    # No Russian bio: the fallback chain reaches the default language.
    assert pages["ru"]["authors"][0]["bio"]["markdown"] == "Deniz Kaya writes about **energy**."
    assert sorted(t["language"]["nativeName"] for t in en["translations"]) == ["Türkçe", "Русский"]

    for language, page in pages.items():
        notes = page["footnotes"]
        order = ["outlook", "demand", "supply", "prices", "storage", "grid", "policy"]
        assert [n["key"] for n in notes] == order
        assert [n["number"] for n in notes] == [1, 2, 3, 4, 5, 6, 7]
        by_key = {n["key"]: n for n in notes}
        assert by_key["outlook"]["referenceIds"] == ["fnref-outlook", "fnref-outlook-2"]
        assert by_key["demand"]["content"]["html"].strip() == f"<p>{language} note on demand.</p>"
        assert by_key["outlook"]["source"] == by_key["demand"]["source"] == SHARED_SOURCE
        assert by_key["grid"]["source"] is None
    assert pages["tr"]["footnotes"][0]["citation"].endswith("(Erişim Tarihi: 20.11.2025)")
    assert pages["ru"]["footnotes"][0]["citation"].endswith("(дата обращения: 20.11.2025)")
    assert pages["en"]["footnotes"][0]["citation"].endswith("(Accessed: 11/20/2025)")
