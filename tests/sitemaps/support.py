"""Reading sitemaps the way a crawler does: fetch, parse, follow the index."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx
from sqlalchemy import select

from publishing.articles.models import Article, ArticleStatus, Story, StoryKind
from tests.support.client import ApiClient
from tests.support.lookup import rows

NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
    "image": "http://www.google.com/schemas/sitemap-image/1.1",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}
SITE = "http://localhost:3000"
CREATE = """mutation($input: CreateArticleInput!) { createArticle(input: $input) {
  __typename ... on CreateArticleSuccess { article { id version } }
  ... on ValidationError { message }
} }"""
PUBLISH = """mutation($input: PublishArticleInput!) { publishArticle(input: $input) {
  __typename ... on ArticleStatusSuccess { article { status publishedAt version } }
} }"""
UPDATE_SITE = """mutation($input: UpdateSiteInput!) { updateSite(input: $input) {
  __typename ... on UpdateSiteSuccess { site { url name version } }
  ... on ValidationError { issues { path code message } }
} }"""


@dataclass
class Url:
    loc: str
    lastmod: str | None
    alternates: dict[str, str] = field(default_factory=dict)
    images: list[str] = field(default_factory=list)


def path_of(url: str) -> str:
    return urlsplit(url).path


async def fetch(api: ApiClient, path: str, **headers: str) -> httpx.Response:
    response = await api.http.get(path, headers=headers)
    assert response.status_code in (200, 304), (path, response.status_code, response.text)
    return response


def index_locs(body: bytes) -> list[str]:
    root = ET.fromstring(body)
    assert root.tag == f"{{{NS['s']}}}sitemapindex"
    return [loc.text or "" for loc in root.findall("s:sitemap/s:loc", NS)]


def urls(body: bytes) -> list[Url]:
    root = ET.fromstring(body)
    assert root.tag == f"{{{NS['s']}}}urlset"
    found = []
    for element in root.findall("s:url", NS):
        lastmod = element.find("s:lastmod", NS)
        found.append(
            Url(
                element.findtext("s:loc", "", NS),
                lastmod.text if lastmod is not None else None,
                {
                    link.attrib["hreflang"]: link.attrib["href"]
                    for link in element.findall("xhtml:link", NS)
                    if link.attrib.get("rel") == "alternate"
                },
                [image.text or "" for image in element.findall("image:image/image:loc", NS)],
            )
        )
    return found


async def crawl(api: ApiClient) -> dict[str, list[Url]]:
    """Every language file the index lists, by path (the news sitemap left out)."""
    index = await fetch(api, "/sitemap.xml")
    files = {}
    for loc in index_locs(index.content):
        if loc.endswith("/news.xml"):
            continue
        files[path_of(loc)] = urls((await fetch(api, path_of(loc))).content)
    return files


def article_url(language: str, slug: str) -> str:
    return f"{SITE}/{language}/articles/{slug}"


def page_url(language: str, slug: str) -> str:
    return f"{SITE}/{language}/{slug}"


async def visible_articles(
    database_url: str, now: dt.datetime, kind: StoryKind = StoryKind.ARTICLE
) -> set[tuple[str, str]]:
    """(language, slug) of the visible versions of articles (or of pages: ``kind``)."""
    return {
        (language, slug)
        for language, slug in await rows(
            database_url,
            select(Article.language, Article.slug)
            .join(Story, Story.id == Article.story_id)
            .where(
                Story.kind == kind,
                Article.status == ArticleStatus.PUBLISHED,
                Article.published_at <= now,
            ),
        )
    }


async def hidden_articles(
    database_url: str, now: dt.datetime, kind: StoryKind = StoryKind.ARTICLE
) -> set[tuple[str, str]]:
    every = {
        (language, slug)
        for language, slug in await rows(
            database_url,
            select(Article.language, Article.slug)
            .join(Story, Story.id == Article.story_id)
            .where(Story.kind == kind),
        )
    }
    return every - await visible_articles(database_url, now, kind)


def data(result: dict[str, Any], field_name: str) -> dict[str, Any]:
    assert "errors" not in result, result
    payload: dict[str, Any] = result["data"][field_name]
    return payload


async def update_site(api: ApiClient, headers: dict[str, str], **fields: Any) -> dict[str, Any]:
    """updateSite at the site's current version; fails the test unless it succeeds."""
    version = (await api.data("{ site { version } }"))["site"]["version"]
    result = await api.query(
        UPDATE_SITE, {"input": {"expectedVersion": version, **fields}}, headers=headers
    )
    site = data(result, "updateSite")
    assert site["__typename"] == "UpdateSiteSuccess", site
    return site


async def publish_now(
    api: ApiClient, headers: dict[str, str], language: str, slug: str, title: str
) -> str:
    """Create and publish an article; its global id."""
    created = data(
        await api.query(
            CREATE,
            {"input": {"language": language, "slug": slug, "title": title}},
            headers=headers,
        ),
        "createArticle",
    )
    assert created["__typename"] == "CreateArticleSuccess", created
    article_id: str = created["article"]["id"]
    published = data(
        await api.query(PUBLISH, {"input": {"id": article_id}}, headers=headers),
        "publishArticle",
    )
    assert published["__typename"] == "ArticleStatusSuccess", published
    return article_id
