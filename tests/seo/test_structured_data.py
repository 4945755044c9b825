"""Article.jsonLd: schema.org structured data checked against what search engines expect of
an Article (required and recommended properties, their types, absolute URLs), the site's
choice of type, and a constant number of statements for listings asking for SEO."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from publishing.access import Role
from tests.articles.test_statement_counts import add_articles
from tests.media.files import jpeg
from tests.seo.test_article_seo import UPDATE, Desk, desk  # noqa: F401  (fixture)
from tests.support.client import ApiClient, api_client
from tests.support.tokens import bearer, issue_token

pytestmark = pytest.mark.anyio

SITE_URL = "http://localhost:3000"
LD = """query($language: String!, $slug: String!) {
  article(language: $language, slug: $slug) { id version url title jsonLd }
}"""
SET_TYPE = """mutation($input: UpdateSiteInput!) { updateSite(input: $input) {
  __typename ... on UpdateSiteSuccess { site { articleSchemaType version } }
} }"""
ARTICLE_TYPES = {
    "NewsArticle",
    "AnalysisNewsArticle",
    "Article",
    "Report",
    "ScholarlyArticle",
    "BlogPosting",
}


def _absolute(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _date(value: str) -> dt.datetime:
    parsed = dt.datetime.fromisoformat(value)
    assert parsed.tzinfo is not None, value
    return parsed


def check_article(data: dict[str, Any]) -> None:
    """What schema.org and search engines' rich results ask of an Article node."""
    assert data["@context"] == "https://schema.org"
    assert data["@type"] in ARTICLE_TYPES
    assert isinstance(data["headline"], str) and data["headline"]
    for key in ("@id", "url"):
        assert _absolute(data[key]), key
    assert data["mainEntityOfPage"]["@type"] == "WebPage"
    assert _absolute(data["mainEntityOfPage"]["@id"])
    assert isinstance(data["inLanguage"], str)
    _date(data["dateModified"])
    if "datePublished" in data:
        assert _date(data["datePublished"]) <= _date(data["dateModified"])
    for person in data.get("author", []):
        assert person["@type"] == "Person" and person["name"] and _absolute(person["url"])
    assert all(_absolute(url) for url in data.get("image", []))
    assert data["publisher"]["@type"] == "Organization"
    assert data["publisher"]["name"] and _absolute(data["publisher"]["url"])
    for work in data.get("citation", []):
        assert work["@type"] == "CreativeWork" and work["name"]
        assert "url" not in work or _absolute(work["url"])
        assert "publisher" not in work or work["publisher"]["@type"] == "Organization"
    assert data["isAccessibleForFree"] is True
    # JSON-LD has no use for nulls: absent values are left out.
    assert None not in data.values()


async def test_an_article_answers_its_structured_data(client: ApiClient) -> None:
    article = (await client.data(LD, {"language": "en", "slug": "turkiyes-gas-hub-ambition"}))[
        "article"
    ]
    data = article["jsonLd"]
    check_article(data)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == article["title"]
    assert data["url"] == article["url"] == data["mainEntityOfPage"]["@id"]
    assert data["inLanguage"] == "en"
    assert data["author"] == [
        {"@type": "Person", "name": "Elif Aydın", "url": f"{SITE_URL}/en/authors/elif-aydin"}
    ]
    assert data["publisher"] == {
        "@type": "Organization",
        "name": "Meridian Institute",
        "url": SITE_URL,
    }
    # Citations follow the footnotes' numbers; a source cited twice is listed once.
    names = [c["name"] for c in data["citation"]]
    assert names == list(dict.fromkeys(names)) and len(names) >= 2
    assert data["citation"][0]["publisher"]["@type"] == "Organization"
    # The original links its visible translations; a translation links its original.
    assert {t["inLanguage"] for t in data["workTranslation"]} == {"tr", "ru"}
    assert "translationOfWork" not in data
    translation = (
        await client.data(LD, {"language": "tr", "slug": "turkiyenin-gaz-merkezi-hedefi"})
    )["article"]["jsonLd"]
    check_article(translation)
    assert translation["translationOfWork"]["@id"] == data["@id"]
    assert "workTranslation" not in translation
    # A draft version is no translation readers can follow.
    nuclear = (
        await client.data(LD, {"language": "en", "slug": "the-future-of-nuclear-verification"})
    )["article"]["jsonLd"]
    assert {t["inLanguage"] for t in nuclear["workTranslation"]} == {"tr"}


async def test_images_are_absolute_signed_crops_and_the_site_picks_the_type(desk: Desk) -> None:  # noqa: F811
    article = (await desk.api.data(LD, {"language": "en", "slug": "turkiyes-gas-hub-ambition"}))[
        "article"
    ]
    image = (await desk.upload(jpeg(2000, 1500), "wide.jpg"))["media"]["id"]
    updated = await desk.mutate(
        UPDATE,
        "updateArticle",
        id=article["id"],
        expectedVersion=article["version"],
        seo={"socialImageId": image, "description": "For search engines."},
    )
    assert updated["__typename"] == "UpdateArticleSuccess", updated
    site = await desk.api.data("{ site { version articleSchemaType } }")
    assert site["site"]["articleSchemaType"] == "NEWS_ARTICLE"
    changed = await desk.api.data(
        SET_TYPE,
        {
            "input": {
                "expectedVersion": site["site"]["version"],
                "articleSchemaType": "ANALYSIS_NEWS_ARTICLE",
            }
        },
        headers=desk.admin,
    )
    assert changed["updateSite"]["site"]["articleSchemaType"] == "ANALYSIS_NEWS_ARTICLE"

    data = (await desk.api.data(LD, {"language": "en", "slug": "turkiyes-gas-hub-ambition"}))[
        "article"
    ]["jsonLd"]
    check_article(data)
    assert data["@type"] == "AnalysisNewsArticle"
    assert data["workTranslation"][0]["@type"] == "AnalysisNewsArticle"
    assert data["description"] == "For search engines."
    # 16:9, 4:3 and 1:1 JPEG crops, 1200 wide, on the API's origin, each one served.
    names = [url.rsplit("/", 1)[1] for url in data["image"]]
    assert names == ["1200x675-cover.jpg", "1200x900-cover.jpg", "1200x1200-cover.jpg"]
    for url in data["image"]:
        assert url.startswith("http://pressroom.test/media/")
        served = await desk.api.http.get(url.removeprefix("http://pressroom.test"))
        assert served.status_code == 200, url


LISTING = """query($first: Int!) {
  articles(language: "en", first: $first) { edges { node {
    url seo { title description canonicalUrl noindex image { url(width: 1200, height: 630) }
      openGraphImage { url alt } overrides { socialImage { id } } }
    jsonLd
    authors { seo { title description image { id } } }
    tags { seo { title canonicalUrl } }
  } } }
}"""


async def test_listing_seo_costs_the_same_statements_for_10_and_50(
    fresh_demo_url: str, tmp_path: Path
) -> None:
    await add_articles(fresh_demo_url, 50)
    token = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
    async with api_client(fresh_demo_url, response_cache=False) as api:
        counts = {}
        for first in (10, 50):
            await api.data(LISTING, {"first": first})  # warm the per-process caches
            api.counter.reset()
            data = await api.data(LISTING, {"first": first}, headers=token)
            assert len(data["articles"]["edges"]) == first
            counts[first] = api.counter.count
    assert counts[10] == counts[50], counts
