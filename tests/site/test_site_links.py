"""The site's address and permalink patterns: every article, author and tag answers its public
URL, articles their hreflang alternates; administrators change the rules with updateSite."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from publishing.access import Role
from publishing.site.links import LinkKind, Links, Version, pattern_problem
from tests.support.client import ApiClient
from tests.support.tokens import bearer, issue_token

SITE = """{ site { name url version defaultLanguage homeUrl(language: "tr")
  en: title(language: "en") tr: title(language: "tr") description(language: "ru")
  permalinks { kind language pattern } } }"""
ARTICLE = """query($slug: String!, $language: String!) { article(language: $language, slug: $slug) {
  url alternates { language hreflang url }
  authors { url other: url(language: "ru") } tags { slug url }
} }"""
UPDATE = """mutation($input: UpdateSiteInput!) { updateSite(input: $input) {
  __typename
  ... on UpdateSiteSuccess { site { url name version permalinks { kind language pattern } } }
  ... on ValidationError { issues { path code message } }
  ... on ConflictError { currentVersion }
  ... on ForbiddenError { message }
} }"""
GAS_HUB = {"language": "en", "slug": "turkiyes-gas-hub-ambition"}
VERIFICATION = {"language": "tr", "slug": "nukleer-denetimin-gelecegi"}


async def _update(api: ApiClient, headers: dict[str, str], **fields: Any) -> dict[str, Any]:
    data = await api.data(UPDATE, {"input": fields}, headers=headers)
    result: dict[str, Any] = data["updateSite"]
    return result


async def test_the_site_answers_its_address_titles_and_default_patterns(client: ApiClient) -> None:
    site = (await client.data(SITE))["site"]
    assert site["name"] == "Meridian Institute"
    assert site["url"] == "http://localhost:3000"
    assert site["defaultLanguage"] == "en"
    assert site["homeUrl"] == "http://localhost:3000/tr/"
    assert (site["en"], site["tr"]) == ("Meridian Institute", "Meridian Enstitüsü")
    assert site["description"].startswith("Аналитика")
    assert {p["kind"]: p["pattern"] for p in site["permalinks"]} == {
        "ARTICLE": "/{language}/articles/{slug}",
        "PAGE": "/{language}/{slug}",
        "SECTION": "/{language}/sections/{slug}",
        "AUTHOR": "/{language}/authors/{slug}",
        "TAG": "/{language}/tags/{slug}",
    }


async def test_articles_answer_their_url_and_every_visible_language_version(
    client: ApiClient,
) -> None:
    article = (await client.data(ARTICLE, GAS_HUB))["article"]
    base = "http://localhost:3000"
    assert article["url"] == f"{base}/en/articles/turkiyes-gas-hub-ambition"
    assert article["alternates"] == [
        {"language": "en", "hreflang": "en", "url": article["url"]},
        {
            "language": "tr",
            "hreflang": "tr",
            "url": f"{base}/tr/articles/turkiyenin-gaz-merkezi-hedefi",
        },
        {"language": "ru", "hreflang": "ru", "url": f"{base}/ru/articles/gazovyy-hab-turtsii"},
        {"language": "en", "hreflang": "x-default", "url": article["url"]},
    ]
    # Authors and tags reached from the article speak its language unless asked otherwise.
    assert article["authors"][0]["url"] == f"{base}/en/authors/elif-aydin"
    assert article["authors"][0]["other"] == f"{base}/ru/authors/elif-aydin"
    assert {t["url"] for t in article["tags"]} >= {f"{base}/en/tags/energy"}


async def test_a_draft_translation_is_no_alternate_for_readers(client: ApiClient) -> None:
    article = (await client.data(ARTICLE, VERIFICATION))["article"]
    languages = [a["hreflang"] for a in article["alternates"]]
    assert languages == ["en", "tr", "x-default"]  # the Russian version is a draft
    assert article["alternates"][-1]["url"].endswith(
        "/en/articles/the-future-of-nuclear-verification"
    )


async def test_an_unknown_language_for_a_url_is_an_error_not_a_guess(client: ApiClient) -> None:
    for query in ('{ tags { url(language: "xx") } }', '{ site { homeUrl(language: "xx") } }'):
        result = await client.query(query)
        assert "not enabled" in result["errors"][0]["message"], query
    # None given: the default language's.
    tag = await client.data('{ tag(slug: "energy") { url } site { homeUrl } }')
    assert tag["tag"]["url"] == "http://localhost:3000/en/tags/energy"
    assert tag["site"]["homeUrl"] == "http://localhost:3000/en/"


async def test_administrators_change_address_and_patterns_and_urls_follow(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
    params = {"query": ARTICLE, "variables": json.dumps(GAS_HUB)}
    before = await writable_client.http.get("/graphql", params=params)
    cached = await writable_client.http.get("/graphql", params=params)
    assert cached.headers["x-pressroom-cache"] == "hit"

    version = (await writable_client.data(SITE))["site"]["version"]
    changed = await _update(
        writable_client,
        admin,
        expectedVersion=version,
        url="https://www.meridian.example/",
        permalinks=[
            {"kind": "ARTICLE", "pattern": "/{language}/analysis/{year}/{month}/{slug}"},
            {"kind": "ARTICLE", "language": "TR", "pattern": "/tr/analiz/{slug}"},
        ],
    )
    assert changed["__typename"] == "UpdateSiteSuccess", changed
    assert changed["site"]["url"] == "https://www.meridian.example"  # trailing slash dropped
    assert changed["site"]["version"] == version + 1
    assert {"kind": "ARTICLE", "language": "tr", "pattern": "/tr/analiz/{slug}"} in changed["site"][
        "permalinks"
    ]

    # The cached answer is dropped: every URL changed with the site.
    after = (await writable_client.http.get("/graphql", params=params)).json()["data"]
    assert before.json()["data"] != after
    urls = {a["hreflang"]: a["url"] for a in after["article"]["alternates"]}
    assert urls["tr"] == "https://www.meridian.example/tr/analiz/turkiyenin-gaz-merkezi-hedefi"
    assert urls["en"].startswith("https://www.meridian.example/en/analysis/20")
    year, month, slug = urls["en"].rsplit("/", 3)[1:]
    assert len(year) == 4 and len(month) == 2 and slug == "turkiyes-gas-hub-ambition"
    # Authors keep the default pattern on the new address.
    assert (
        after["article"]["authors"][0]["url"]
        == "https://www.meridian.example/en/authors/elif-aydin"
    )

    # An empty list restores the defaults.
    restored = await _update(writable_client, admin, expectedVersion=version + 1, permalinks=[])
    assert restored["__typename"] == "UpdateSiteSuccess", restored
    article = (await writable_client.data(ARTICLE, GAS_HUB))["article"]
    assert article["url"] == "https://www.meridian.example/en/articles/turkiyes-gas-hub-ambition"


async def test_a_stale_version_is_a_conflict_and_changes_nothing(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
    version = (await writable_client.data(SITE))["site"]["version"]
    first = await _update(writable_client, admin, expectedVersion=version, name="Meridian")
    assert first["__typename"] == "UpdateSiteSuccess"
    stale = await _update(writable_client, admin, expectedVersion=version, name="Other")
    assert stale == {"__typename": "ConflictError", "currentVersion": version + 1}
    assert (await writable_client.data(SITE))["site"]["name"] == "Meridian"


async def test_only_administrators_change_the_site(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    editor = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
    refused = await _update(writable_client, editor, expectedVersion=1, name="Mine")
    assert refused["__typename"] == "ForbiddenError"
    assert (await writable_client.data(SITE))["site"]["name"] == "Meridian Institute"


async def test_bad_input_names_each_field_and_writes_nothing(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
    before = (await writable_client.data(SITE))["site"]
    result = await _update(
        writable_client,
        admin,
        expectedVersion=before["version"],
        url="ftp://files.example",
        name="  ",
        texts=[
            {"language": "en", "title": "A"},
            {"language": "EN", "title": "B"},
            {"language": "xx", "title": "C"},
        ],
        permalinks=[
            {"kind": "ARTICLE", "pattern": "/{language}/articles/{id}"},
            {"kind": "TAG", "pattern": "/{language}/tags"},
            {"kind": "PAGE", "pattern": "pages/{slug}"},
            {"kind": "SECTION", "pattern": "/{year}/{slug}"},
            {"kind": "AUTHOR", "language": "xx", "pattern": "/{slug}"},
        ],
    )
    assert result["__typename"] == "ValidationError", result
    assert {(tuple(i["path"]), i["code"]) for i in result["issues"]} == {
        (("url",), "INVALID_URL"),
        (("name",), "INVALID"),
        (("texts", "1", "language"), "DUPLICATE"),
        (("texts", "2", "language"), "NOT_ENABLED"),
        (("permalinks", "0", "pattern"), "INVALID_PATTERN"),
        (("permalinks", "1", "pattern"), "INVALID_PATTERN"),
        (("permalinks", "2", "pattern"), "INVALID_PATTERN"),
        (("permalinks", "3", "pattern"), "INVALID_PATTERN"),
        (("permalinks", "4", "language"), "NOT_ENABLED"),
    }
    assert (await writable_client.data(SITE))["site"] == before


@pytest.mark.parametrize(
    ("kind", "pattern", "problem"),
    [
        (LinkKind.ARTICLE, "/{language}/{year}/{slug}", None),
        (LinkKind.TAG, "/{language}/tags/{slug}", None),
        (LinkKind.TAG, "/{language}/tags", "must contain {slug}"),
        (LinkKind.TAG, "/{year}/{slug}", "Unknown placeholder {year}"),
        (LinkKind.PAGE, "/{slug}?x=1", "plain path"),
        (LinkKind.PAGE, "/{slug}}", "unmatched brace"),
        (LinkKind.PAGE, "{slug}", "starts with '/'"),
    ],
)
def test_pattern_rules(kind: LinkKind, pattern: str, problem: str | None) -> None:
    found = pattern_problem(kind, pattern)
    assert (found is None) if problem is None else (found is not None and problem in found)


def test_slugs_are_escaped_and_dates_fill_dated_patterns() -> None:
    links = Links(
        "https://example.org", {(LinkKind.ARTICLE, None): "/{year}/{month}/{day}/{slug}/"}
    )
    date = dt.datetime(2026, 3, 7, tzinfo=dt.UTC)
    assert (
        links.url(LinkKind.ARTICLE, language="en", slug="a b/c", published_at=date)
        == "https://example.org/2026/03/07/a%20b%2Fc/"
    )
    found = links.alternates(
        LinkKind.PAGE, [Version("tr", "hakkimizda"), Version("en", "about")], "en"
    )
    assert [(a.hreflang, a.url) for a in found] == [
        ("tr", "https://example.org/tr/hakkimizda"),
        ("en", "https://example.org/en/about"),
        ("x-default", "https://example.org/en/about"),
    ]
