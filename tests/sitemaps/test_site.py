"""The sitemaps follow the site: every URL is the one GraphQL answers (`Article.url` and
`alternates`, `Page.url` and `alternates`, `Section.url`, `Author.url`, `Tag.url`) on the site's
address with its permalink patterns, and changing the site (updateSite) changes every
sitemap's ETag."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from publishing.access import Role
from tests.sitemaps.support import (
    NS,
    Url,
    crawl,
    fetch,
    index_locs,
    path_of,
    publish_now,
    update_site,
    urls,
)
from tests.support.client import ApiClient, api_client
from tests.support.tokens import bearer, issue_token

LANGUAGES = ("en", "tr", "ru")
ARTICLES = """query($language: String!) { articles(language: $language, first: 100) {
  totalCount edges { node { slug url alternates { hreflang url } } } } }"""
PAGES = """query($language: String!) { pages(language: $language, first: 100) {
  totalCount edges { node { slug url alternates { hreflang url } } } } }"""
SECTIONS = """query($language: String!, $parent: ID) {
  sections(language: $language, parent: $parent) { id translations { language }
  en: url(language: "en") tr: url(language: "tr") ru: url(language: "ru") } }"""
AUTHORS = """{ authors(first: 100) { totalCount edges { node {
  en: url(language: "en") tr: url(language: "tr") ru: url(language: "ru") } } } }"""
TAGS = """{ tags { en: url(language: "en") tr: url(language: "tr") ru: url(language: "ru") } }"""
NEW_ADDRESS = "https://www.meridian.example"

# Per language: each visible version's URL -> its alternates (hreflang, URL), in order.
Versions = dict[str, dict[str, list[tuple[str, str]]]]


@dataclass
class GraphqlUrls:
    articles: Versions
    pages: Versions
    # Every section: its URL per language it is translated into (in the site's order).
    sections: list[dict[str, str]]
    authors: list[dict[str, str]]
    tags: list[dict[str, str]]


async def _versions(api: ApiClient, query: str, field: str) -> Versions:
    found: Versions = {}
    for language in LANGUAGES:
        listing = (await api.data(query, {"language": language}))[field]
        assert listing["totalCount"] == len(listing["edges"])  # one page holds them all
        found[language] = {
            edge["node"]["url"]: [(a["hreflang"], a["url"]) for a in edge["node"]["alternates"]]
            for edge in listing["edges"]
        }
    return found


async def _sections(api: ApiClient) -> list[dict[str, str]]:
    """Every section reachable in any language, down the tree level by level."""
    found: dict[str, dict[str, str]] = {}
    parents: list[str | None] = [None]
    while parents:
        below = []
        for parent in parents:
            for language in LANGUAGES:
                variables = {"language": language, "parent": parent}
                for section in (await api.data(SECTIONS, variables))["sections"]:
                    if section["id"] not in found:
                        translated = {t["language"] for t in section["translations"]}
                        found[section["id"]] = {c: section[c] for c in LANGUAGES if c in translated}
                        below.append(section["id"])
        parents = below
    return list(found.values())


async def _graphql_urls(api: ApiClient) -> GraphqlUrls:
    authors = (await api.data(AUTHORS))["authors"]
    assert authors["totalCount"] == len(authors["edges"])
    return GraphqlUrls(
        articles=await _versions(api, ARTICLES, "articles"),
        pages=await _versions(api, PAGES, "pages"),
        sections=await _sections(api),
        authors=[edge["node"] for edge in authors["edges"]],
        tags=(await api.data(TAGS))["tags"],
    )


def _assert_sitemaps_match_graphql(files: dict[str, list[Url]], graphql: GraphqlUrls) -> None:
    assert graphql.pages["en"] and graphql.sections  # the demo has both
    for language in LANGUAGES:
        entries = files[f"/sitemaps/{language}-1.xml"]
        listed = {url.loc: url for url in entries}
        assert len(listed) == len(entries)
        # Every visible article and page of the language, with exactly GraphQL's alternates,
        # in order.
        for versions in (graphql.articles[language], graphql.pages[language]):
            assert {
                loc: list(url.alternates.items()) for loc, url in listed.items() if loc in versions
            } == versions
        # Every section translated into the language, at its URL there; alternates in each
        # language it is translated into, x-default the default language's.
        sections = [s for s in graphql.sections if language in s]
        for section in sections:
            entry = listed[section[language]]
            assert entry.lastmod is not None
            assert list(entry.alternates.items()) == [
                *section.items(),
                ("x-default", section.get("en", next(iter(section.values())))),
            ]
        # Every author, its page in this language; alternates in every language, x-default
        # the default language's.
        for author in graphql.authors:
            entry = listed[author[language]]
            assert list(entry.alternates.items()) == [
                *((code, author[code]) for code in LANGUAGES),
                ("x-default", author["en"]),
            ]
        # The rest are tags, each at the URL GraphQL gives it in this language.
        others = (
            set(listed)
            - set(graphql.articles[language])
            - set(graphql.pages[language])
            - {s[language] for s in sections}
            - {a[language] for a in graphql.authors}
        )
        by_url = {tag[language]: tag for tag in graphql.tags}
        assert others and others <= set(by_url)
        for loc in others:
            named_in = {c: href for c, href in listed[loc].alternates.items() if c != "x-default"}
            assert named_in == {code: by_url[loc][code] for code in named_in}


async def test_every_sitemap_url_is_the_one_graphql_answers_after_update_site(
    fresh_demo_url: str,
) -> None:
    async with api_client(fresh_demo_url) as api:
        before = {path: await fetch(api, path) for path in ("/sitemap.xml", "/sitemaps/tr-1.xml")}
        _assert_sitemaps_match_graphql(await crawl(api), await _graphql_urls(api))

        admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
        await update_site(
            api,
            admin,
            url=NEW_ADDRESS + "/",
            permalinks=[
                {"kind": "ARTICLE", "pattern": "/{language}/analysis/{year}/{month}/{slug}"},
                {"kind": "ARTICLE", "language": "tr", "pattern": "/tr/analiz/{slug}"},
                {"kind": "AUTHOR", "pattern": "/people/{language}/{slug}"},
                {"kind": "TAG", "language": "ru", "pattern": "/ru/temy/{slug}"},
                {"kind": "PAGE", "language": "tr", "pattern": "/tr/sayfa/{slug}"},
                {"kind": "SECTION", "pattern": "/{language}/topics/{slug}"},
            ],
        )
        # Nothing answered before the change is "not modified" now.
        for path, response in before.items():
            after = await fetch(api, path, **{"If-None-Match": response.headers["etag"]})
            assert after.status_code == 200, path
            assert after.headers["etag"] != response.headers["etag"]

        files = await crawl(api)
        graphql = await _graphql_urls(api)
        _assert_sitemaps_match_graphql(files, graphql)
        articles = graphql.articles
        # The new rules are what both answer: a sample, spelled out.
        every = [url.loc for listed in files.values() for url in listed]
        assert all(loc.startswith(NEW_ADDRESS + "/") for loc in every)
        gas_hub = next(loc for loc in articles["en"] if loc.endswith("/turkiyes-gas-hub-ambition"))
        assert gas_hub.startswith(f"{NEW_ADDRESS}/en/analysis/20")
        english = {url.loc: url for url in files["/sitemaps/en-1.xml"]}
        assert english[gas_hub].alternates["tr"] == (
            f"{NEW_ADDRESS}/tr/analiz/turkiyenin-gaz-merkezi-hedefi"
        )
        assert english[gas_hub].alternates["x-default"] == gas_hub
        assert f"{NEW_ADDRESS}/people/en/elif-aydin" in english
        assert any(loc.startswith(f"{NEW_ADDRESS}/ru/temy/") for loc in every)
        assert f"{NEW_ADDRESS}/en/topics/analysis" in english
        assert english[f"{NEW_ADDRESS}/en/about"].alternates["tr"] == (
            f"{NEW_ADDRESS}/tr/sayfa/hakkimizda"
        )


async def test_changing_only_the_name_still_changes_every_etag(fresh_demo_url: str) -> None:
    async with api_client(fresh_demo_url) as api:
        admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
        await publish_now(api, admin, "en", "fresh-news", "Fresh news")
        paths = ("/sitemap.xml", "/sitemaps/en-1.xml", "/sitemaps/news.xml")
        before = {path: await fetch(api, path) for path in paths}
        for path, response in before.items():
            again = await fetch(api, path, **{"If-None-Match": response.headers["etag"]})
            assert again.status_code == 304, path

        await update_site(api, admin, name="Meridian Weekly")
        for path, response in before.items():
            after = await fetch(api, path, **{"If-None-Match": response.headers["etag"]})
            assert after.status_code == 200, path
            assert after.headers["etag"] != response.headers["etag"]
            if path != "/sitemaps/en-1.xml":  # streamed files are never kept
                assert after.headers["x-pressroom-cache"] == "miss"
        news = ET.fromstring((await fetch(api, "/sitemaps/news.xml")).content)
        assert news.findtext("s:url/news:news/news:publication/news:name", None, NS) == (
            "Meridian Weekly"
        )
        index = await fetch(api, "/sitemap.xml")
        assert "/sitemaps/news.xml" in [path_of(loc) for loc in index_locs(index.content)]
        assert any(
            u.loc.endswith("/fresh-news") for u in urls(before["/sitemaps/en-1.xml"].content)
        )
