"""Sections as readers see them: the tree, texts per language, breadcrumbs, filed articles."""

from __future__ import annotations

from typing import Any

from tests.support.client import ApiClient

SECTION = """query($language: String!, $slug: String!) {
  section(language: $language, slug: $slug) {
    id name slug description en: name(language: "en")
    parent { slug } children { slug }
    breadcrumbs { slug name }
    translations { language slug }
    articles(language: $language) { totalCount edges { node { slug } } }
    deep: articles(language: $language, includeSubsections: true) {
      totalCount edges { node { slug } }
    }
  }
}"""


async def section(client: ApiClient, language: str, slug: str) -> dict[str, Any]:
    data = await client.data(SECTION, {"language": language, "slug": slug})
    found: dict[str, Any] = data["section"]
    return found


async def test_top_level_sections_in_a_language(client: ApiClient) -> None:
    data = await client.data('{ sections(language: "ru") { name slug } }')
    assert [s["slug"] for s in data["sections"]] == ["analitika", "kommentarii", "doklady"]
    assert data["sections"][0]["name"] == "Аналитика"


async def test_sub_section_with_breadcrumbs_in_its_language(client: ApiClient) -> None:
    found = await section(client, "tr", "ulke-raporlari")
    assert found["name"] == "Ülke Raporları"
    assert found["en"] == "Country Reports"
    assert found["parent"] == {"slug": "raporlar"}
    assert found["children"] == []
    assert [c["slug"] for c in found["breadcrumbs"]] == ["raporlar", "ulke-raporlari"]
    assert [t["language"] for t in found["translations"]] == ["en", "tr", "ru"]
    parent = await section(client, "tr", "raporlar")
    assert parent["children"] == [{"slug": "ulke-raporlari"}]
    assert parent["breadcrumbs"] == [{"slug": "raporlar", "name": "Raporlar"}]
    # The same section by its global ID.
    node = await client.data(
        'query($id: ID!) { node(id: $id) { ... on Section { slug(language: "en") } } }',
        {"id": found["id"]},
    )
    assert node["node"] == {"slug": "country-reports"}


async def test_slugs_are_per_language(client: ApiClient) -> None:
    assert (await client.data(SECTION, {"language": "en", "slug": "raporlar"}))["section"] is None


async def test_articles_of_a_section_and_below_it(client: ApiClient) -> None:
    reports = await section(client, "en", "reports")
    direct = {e["node"]["slug"] for e in reports["articles"]["edges"]}
    deep = {e["node"]["slug"] for e in reports["deep"]["edges"]}
    # The drought report is filed under Reports, the gas hub appears there too (another
    # section of its story); the carbon border report sits in Country Reports below it.
    assert direct == {"drought-on-the-anatolian-plateau", "turkiyes-gas-hub-ambition"}
    assert deep == direct | {"europes-carbon-border-and-turkish-exporters"}
    assert reports["deep"]["totalCount"] == 3
    # The articles query's filter answers the same.
    data = await client.data(
        """query($id: ID!) {
          direct: articles(language: "en", filter: {section: $id}) { totalCount }
          deep: articles(language: "en", filter: {section: $id, includeSubsections: true}) {
            totalCount
          }
        }""",
        {"id": reports["id"]},
    )
    assert data == {"direct": {"totalCount": 2}, "deep": {"totalCount": 3}}


async def test_an_article_shows_its_sections_in_its_language(client: ApiClient) -> None:
    data = await client.data(
        """{ article(language: "tr", slug: "avrupanin-karbon-siniri-ve-turk-ihracatcilari") {
          section { name breadcrumbs { name } } sections { name }
        } }"""
    )
    assert data["article"] == {
        "section": {
            "name": "Ülke Raporları",
            "breadcrumbs": [{"name": "Raporlar"}, {"name": "Ülke Raporları"}],
        },
        "sections": [{"name": "Analiz"}],
    }


async def test_a_bad_section_id_in_a_filter_is_a_clear_error(client: ApiClient) -> None:
    result = await client.query('{ articles(filter: {section: "nope"}) { totalCount } }')
    assert "Section" in result["errors"][0]["message"]


LISTING = """query($first: Int!) {
  articles(language: "en", first: $first) { edges { node {
    slug section { name breadcrumbs { slug } image { id } children { slug } }
    sections { name parent { name } }
  } } }
}"""


async def test_statements_do_not_grow_with_the_page(client: ApiClient) -> None:
    counts = []
    for first in (2, 8):
        client.counter.reset()
        data = await client.data(LISTING, {"first": first})
        assert len(data["articles"]["edges"]) == first
        counts.append(client.counter.count)
    assert counts[0] == counts[1], counts


async def test_a_section_has_its_address_in_each_language(client: ApiClient) -> None:
    data = await client.data(
        """{ section(language: "tr", slug: "raporlar") {
          url en: url(language: "en") ru: url(language: "ru")
          children { url }
        } }"""
    )
    assert data["section"] == {
        "url": "http://localhost:3000/tr/sections/raporlar",
        "en": "http://localhost:3000/en/sections/reports",
        "ru": "http://localhost:3000/ru/sections/doklady",
        "children": [{"url": "http://localhost:3000/tr/sections/ulke-raporlari"}],
    }


async def test_cached_lists_of_sections_go_when_a_section_is_added(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    from publishing.access import Role
    from tests.support.tokens import bearer, issue_token

    admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
    # A language with no section yet (a listing that found none), and one with three.
    enable = 'mutation { enableLanguage(input: {code: "de"}) { __typename } }'
    assert (await writable_client.data(enable, headers=admin))["enableLanguage"]
    for language, before in (("de", 0), ("en", 3)):
        params = {"query": f'{{ sections(language: "{language}") {{ slug }} }}'}
        first = await writable_client.http.get("/graphql", params=params)
        again = await writable_client.http.get("/graphql", params=params)
        assert again.headers["x-pressroom-cache"] == "hit"
        assert len(first.json()["data"]["sections"]) == before
    created = await writable_client.data(
        """mutation { createSection(input: {translations: [
          {language: "de", name: "Meinung", slug: "meinung"},
          {language: "en", name: "Opinion", slug: "opinion"}]}) { __typename } }""",
        headers=admin,
    )
    assert created["createSection"]["__typename"] == "CreateSectionSuccess", created
    for language, slug in (("de", "meinung"), ("en", "opinion")):
        params = {"query": f'{{ sections(language: "{language}") {{ slug }} }}'}
        after = (await writable_client.http.get("/graphql", params=params)).json()
        assert slug in [s["slug"] for s in after["data"]["sections"]], language
