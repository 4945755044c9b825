"""hreflang alternates of sections (each translation with its own slug), authors (every
enabled language) and tags (the languages they are named in), in the site's language order,
then x-default."""

from __future__ import annotations

from typing import Any

from publishing.access import Role
from tests.support.client import ApiClient
from tests.support.tokens import bearer, issue_token

BASE = "http://localhost:3000"
ALTERNATES = "alternates { language hreflang url }"


def _links(*entries: tuple[str, str, str]) -> list[dict[str, str]]:
    return [
        {"language": lang, "hreflang": href, "url": BASE + path} for lang, href, path in entries
    ]


async def test_a_section_lists_each_translation_with_its_own_slug(client: ApiClient) -> None:
    data = await client.data(
        f'{{ section(language: "ru", slug: "stranovye-doklady") {{ {ALTERNATES} }} }}'
    )
    assert data["section"]["alternates"] == _links(
        ("en", "en", "/en/sections/country-reports"),
        ("tr", "tr", "/tr/sections/ulke-raporlari"),
        ("ru", "ru", "/ru/sections/stranovye-doklady"),
        ("en", "x-default", "/en/sections/country-reports"),
    )


async def test_authors_in_every_language_and_tags_in_their_named_ones(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    author = await writable_client.data(f'{{ author(slug: "elif-aydin") {{ {ALTERNATES} }} }}')
    assert author["author"]["alternates"] == _links(
        ("en", "en", "/en/authors/elif-aydin"),
        ("tr", "tr", "/tr/authors/elif-aydin"),
        ("ru", "ru", "/ru/authors/elif-aydin"),
        ("en", "x-default", "/en/authors/elif-aydin"),
    )

    admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))

    async def create(mutation: str, **input: Any) -> dict[str, Any]:
        data = await writable_client.data(mutation, {"input": input}, headers=admin)
        result: dict[str, Any] = next(iter(data.values()))
        assert "Success" in result["__typename"], result
        return result

    tag = await create(
        f"""mutation($input: CreateTagInput!) {{ createTag(input: $input) {{
          __typename ... on CreateTagSuccess {{ tag {{ {ALTERNATES} }} }} }} }}""",
        slug="gas-prices",
        # Given out of the site's order: answered in it.
        names=[{"language": "ru", "name": "Цены на газ"}, {"language": "en", "name": "Gas"}],
    )
    assert tag["tag"]["alternates"] == _links(
        ("en", "en", "/en/tags/gas-prices"),
        ("ru", "ru", "/ru/tags/gas-prices"),
        ("en", "x-default", "/en/tags/gas-prices"),
    )
    # Without the default language, x-default is the first in the site's order.
    only = await create(
        f"""mutation($input: CreateTagInput!) {{ createTag(input: $input) {{
          __typename ... on CreateTagSuccess {{ tag {{ {ALTERNATES} }} }} }} }}""",
        slug="yerel",
        names=[{"language": "ru", "name": "Местное"}, {"language": "tr", "name": "Yerel"}],
    )
    assert only["tag"]["alternates"] == _links(
        ("tr", "tr", "/tr/tags/yerel"),
        ("ru", "ru", "/ru/tags/yerel"),
        ("tr", "x-default", "/tr/tags/yerel"),
    )
    section = await create(
        f"""mutation($input: CreateSectionInput!) {{ createSection(input: $input) {{
          __typename ... on CreateSectionSuccess {{ section {{ {ALTERNATES} }} }} }} }}""",
        translations=[
            {"language": "ru", "name": "Мнения", "slug": "mneniya"},
            {"language": "tr", "name": "Görüşler", "slug": "gorusler"},
        ],
    )
    assert section["section"]["alternates"] == _links(
        ("tr", "tr", "/tr/sections/gorusler"),
        ("ru", "ru", "/ru/sections/mneniya"),
        ("tr", "x-default", "/tr/sections/gorusler"),
    )
