"""Reading pages: by slug, by title, translated, searched; never where articles are listed."""

from __future__ import annotations

import base64

from tests.support.client import ApiClient

PAGE = """query($language: String!, $slug: String!) {
  page(language: $language, slug: $slug) {
    __typename id slug title subtitle excerpt status version isOriginal
    language { code nativeName }
    body { html }
    footnotes { number label content { html } }
    translations { id slug language { code } }
    translation(language: "ru") { title }
    original { slug }
    translationStatus { isOutdated }
  }
}"""
PAGES = """query($language: String, $first: Int, $after: String) {
  pages(language: $language, first: $first, after: $after) {
    totalCount
    edges { cursor node { slug title language { code } } }
    pageInfo { hasNextPage endCursor }
  }
}"""


def decoded(global_id: str) -> str:
    return base64.b64decode(global_id).decode()


async def test_a_page_reads_like_an_article(client: ApiClient) -> None:
    data = await client.data(PAGE, {"language": "en", "slug": "about"})
    page = data["page"]
    assert page["__typename"] == "Page"
    assert decoded(page["id"]).startswith("Page:")
    assert page["title"] == "About us" and page["status"] == "PUBLISHED"
    assert page["isOriginal"] and page["original"] == {"slug": "about"}
    assert page["translationStatus"] is None
    assert page["language"] == {"code": "en", "nativeName": "English"}
    # The body carries its footnote anchor, and the footnote is numbered from it.
    assert 'href="#fn-sources"' in page["body"]["html"]
    assert [(f["number"], f["label"]) for f in page["footnotes"]] == [(1, "1")]
    assert "editorial guidelines" in page["footnotes"][0]["content"]["html"]
    assert sorted((t["language"]["code"], t["slug"]) for t in page["translations"]) == [
        ("ru", "o-nas"),
        ("tr", "hakkimizda"),
    ]
    assert all(decoded(t["id"]).startswith("Page:") for t in page["translations"])
    assert page["translation"] == {"title": "О нас"}

    turkish = (await client.data(PAGE, {"language": "tr", "slug": "hakkimizda"}))["page"]
    assert turkish["isOriginal"] is False and turkish["original"] == {"slug": "about"}
    assert turkish["translationStatus"] == {"isOutdated": False}


async def test_pages_are_listed_by_title_and_paged(client: ApiClient) -> None:
    first = (await client.data(PAGES, {"language": "en", "first": 2}))["pages"]
    assert first["totalCount"] == 3
    assert [e["node"]["title"] for e in first["edges"]] == ["About us", "Our team"]
    assert first["pageInfo"]["hasNextPage"] is True
    rest = (
        await client.data(
            PAGES, {"language": "en", "first": 2, "after": first["pageInfo"]["endCursor"]}
        )
    )["pages"]
    assert [e["node"]["title"] for e in rest["edges"]] == ["Privacy"]
    assert rest["pageInfo"]["hasNextPage"] is False

    every = (await client.data(PAGES, {"first": 100}))["pages"]
    assert every["totalCount"] == 6
    assert {e["node"]["language"]["code"] for e in every["edges"]} == {"en", "tr", "ru"}


async def test_an_article_cursor_is_refused_by_pages(client: ApiClient) -> None:
    articles = await client.data("{ articles(first: 1) { pageInfo { endCursor } } }")
    cursor = articles["articles"]["pageInfo"]["endCursor"]
    result = await client.query(PAGES, {"after": cursor})
    assert result["data"] is None
    assert "cursor of another list" in result["errors"][0]["message"]


async def test_articles_queries_never_show_pages(client: ApiClient) -> None:
    assert (await client.data('{ article(language: "en", slug: "about") { id } }')) == {
        "article": None
    }
    listed = await client.data("{ articles(first: 100) { totalCount edges { node { slug } } } }")
    slugs = {e["node"]["slug"] for e in listed["articles"]["edges"]}
    assert not slugs & {"about", "team", "privacy", "hakkimizda", "ekip", "o-nas"}
    assert listed["articles"]["totalCount"] == len(slugs)

    found = await client.data(
        '{ search(query: "independent research institute", language: "en") '
        "{ totalCount edges { node { slug } } } }"
    )
    assert "about" not in {e["node"]["slug"] for e in found["search"]["edges"]}


async def test_pages_are_searched_apart(client: ApiClient) -> None:
    query = """query($q: String!, $language: String!) {
      searchPages(query: $q, language: $language) {
        totalCount edges { snippet node { __typename slug } } } }"""
    found = (await client.data(query, {"q": "independent institute", "language": "en"}))[
        "searchPages"
    ]
    assert found["totalCount"] == 1
    edge = found["edges"][0]
    assert edge["node"] == {"__typename": "Page", "slug": "about"}
    assert "<mark>" in edge["snippet"]
    # An article's words are not a page's.
    nuclear = (await client.data(query, {"q": "nuclear verification", "language": "en"}))[
        "searchPages"
    ]
    assert nuclear["totalCount"] == 0


async def test_node_tells_pages_and_articles_apart(client: ApiClient) -> None:
    page = (await client.data(PAGE, {"language": "en", "slug": "about"}))["page"]
    pk = decoded(page["id"]).split(":")[1]
    as_article = base64.b64encode(f"Article:{pk}".encode()).decode()
    data = await client.data(
        """query($page: ID!, $article: ID!) {
          page: node(id: $page) { __typename ... on Page { slug } }
          article: node(id: $article) { __typename }
        }""",
        {"page": page["id"], "article": as_article},
    )
    assert data == {"page": {"__typename": "Page", "slug": "about"}, "article": None}


async def test_content_interface_serves_both(client: ApiClient) -> None:
    data = await client.data(
        """{
          page(language: "en", slug: "team") { ...card }
          articles(language: "en", first: 1) { edges { node { ...card } } }
        }
        fragment card on Content { __typename title language { code } body { text } }"""
    )
    assert data["page"]["__typename"] == "Page" and data["page"]["title"] == "Our team"
    assert data["articles"]["edges"][0]["node"]["__typename"] == "Article"


async def test_a_page_has_its_address_and_alternates(client: ApiClient) -> None:
    data = await client.data(
        '{ page(language: "en", slug: "about") { url alternates { hreflang url } } }'
    )
    page = data["page"]
    assert page["url"] == "http://localhost:3000/en/about"
    assert {a["hreflang"]: a["url"] for a in page["alternates"]} == {
        "en": "http://localhost:3000/en/about",
        "tr": "http://localhost:3000/tr/hakkimizda",
        "ru": "http://localhost:3000/ru/o-nas",
        "x-default": "http://localhost:3000/en/about",
    }
