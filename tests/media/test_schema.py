"""Images and documents in the GraphQL schema, through the real app: signed rendition URLs
that the `/media` route serves, srcset, texts along the language fallback chain, the media
library behind a token, `node`, and surrogate keys."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from strawberry.relay import GlobalID

from publishing.access import Role
from publishing.articles.models import Article
from publishing.authors.models import Author
from publishing.media.editing import FocalPoint, MediaChanges, MediaTextData, update_media
from publishing.media.ingest import ingest
from publishing.media.limits import MediaLimits
from publishing.media.models import (
    ArticleAttachment,
    ArticleFeaturedImage,
    AuthorAvatar,
    MediaAsset,
)
from publishing.media.storage import MediaStorage
from publishing.media.usage import find_usages
from tests.media import files
from tests.media.conftest import EDITOR, NOW, chunks_of, session_on, storage_from
from tests.support.client import api_client
from tests.support.tokens import bearer, issue_token

IMAGE = """
query ($id: ID!, $language: String) {
  node(id: $id) {
    __typename
    ... on MediaAsset { fileName mediaType byteSize credit url version }
    ... on Image {
      width height
      alt(language: $language) caption(language: $language)
      focalPoint { x y }
      placeholder { blurhash dominantColor }
      card: url(width: 400, height: 300, format: WEBP)
      srcset(widths: [200, 400, 2000], format: JPEG)
    }
  }
}
"""


async def upload(url: str, storage: MediaStorage, data: bytes, name: str) -> MediaAsset:
    async with session_on(url) as session:
        done = await ingest(
            session, EDITOR, storage, chunks_of(data), name, now=NOW, limits=MediaLimits()
        )
    return done.asset


def gid(kind: str, asset_id: int) -> str:
    return str(GlobalID(kind, str(asset_id)))


@pytest.fixture
def settings(local_settings: dict[str, Any]) -> dict[str, Any]:
    return local_settings


async def test_image_fields_and_served_renditions(
    fresh_demo_url: str, settings: dict[str, Any]
) -> None:
    storage = storage_from(settings)
    asset = await upload(fresh_demo_url, storage, files.halves(800, 600).jpegsave_buffer(), "d.jpg")
    async with session_on(fresh_demo_url) as session:
        await update_media(
            session,
            EDITOR,
            asset.id,
            1,
            MediaChanges(
                texts=[
                    MediaTextData("en", alt="A dam", caption="Water levels fell."),
                    MediaTextData("tr", alt="Bir baraj"),
                ],
                credit="Photo: AP",
                focal_point=FocalPoint(0.25, 0.5),
            ),
            usages=find_usages,
            now=NOW,
        )
    await storage.aclose()
    async with api_client(fresh_demo_url, **settings) as api:
        found = (await api.data(IMAGE, {"id": gid("Image", asset.id), "language": "tr"}))["node"]
        assert found["__typename"] == "Image"
        assert (found["width"], found["height"]) == (800, 600)
        assert found["credit"] == "Photo: AP" and found["version"] == 2
        # Turkish alt; no Turkish caption, so the default language's.
        assert (found["alt"], found["caption"]) == ("Bir baraj", "Water levels fell.")
        assert found["focalPoint"] == {"x": 0.25, "y": 0.5}
        assert found["placeholder"]["blurhash"]
        assert found["placeholder"]["dominantColor"].startswith("#")
        assert found["url"] == f"/media/{asset.key}/d.jpg"
        # The focal point is in the cover crop's URL, and the route serves what it names.
        assert found["card"].startswith(f"/media/{asset.key}/")
        assert found["card"].endswith("/400x300-cover-fp250_500.webp")
        served = await api.http.get(found["card"])
        assert served.status_code == 200
        assert served.headers["content-type"] == "image/webp"
        # 2000 is past the image's own width: one candidate at 800.
        candidates = [c.rsplit(" ", 1) for c in found["srcset"].split(", ")]
        assert [w for _, w in candidates] == ["200w", "400w", "800w"]
        for url, _ in candidates:
            assert (await api.http.get(url)).status_code == 200
        # The answer is tagged with the asset's key.
        response = await api.http.post(
            "/graphql", json={"query": IMAGE, "variables": {"id": gid("Image", asset.id)}}
        )
        assert f"media:{asset.id}" in response.headers["surrogate-key"].split()

        # An image's id is not a document's.
        wrong = await api.data(IMAGE, {"id": gid("Document", asset.id)})
        assert wrong["node"] is None


async def test_rendition_arguments_are_checked(
    fresh_demo_url: str, settings: dict[str, Any]
) -> None:
    storage = storage_from(settings)
    asset = await upload(fresh_demo_url, storage, files.jpeg(), "a.jpg")
    await storage.aclose()
    query = """query ($id: ID!, $w: Int, $q: Int, $ws: [Int!]!) { node(id: $id) {
      ... on Image { url(width: $w, quality: $q) srcset(widths: $ws) } } }"""
    async with api_client(fresh_demo_url, **settings) as api:
        cases = [
            ({"w": 0, "q": None, "ws": [100]}, "width", "width is from 1 to 4096; got 0."),
            ({"w": 10, "q": 101, "ws": [100]}, "quality", "quality is from 1 to 100; got 101."),
            ({"w": 10, "q": None, "ws": [9999]}, "widths", "width is from 1 to 4096; got 9999."),
            ({"w": 10, "q": None, "ws": []}, "widths", "`widths` holds 1 to 12 widths; got 0."),
        ]
        for variables, path_end, message in cases:
            result = await api.query(query, {"id": gid("Image", asset.id), **variables})
            assert [e["message"] for e in result["errors"]] == [message], path_end
        unknown = await api.query(
            "{ mediaAssets { edges { node { ... on Image { url(format: GIF) } } } } }"
        )
        assert "GIF" in unknown["errors"][0]["message"]


async def test_widths_setting_limits_urls(fresh_demo_url: str, settings: dict[str, Any]) -> None:
    storage = storage_from(settings)
    asset = await upload(fresh_demo_url, storage, files.jpeg(), "a.jpg")
    await storage.aclose()
    query = """query ($id: ID!, $w: Int) { node(id: $id) { ... on Image { url(width: $w) } } }"""
    async with api_client(fresh_demo_url, media_widths=[320, 640], **settings) as api:
        assert (await api.data(query, {"id": gid("Image", asset.id), "w": 320}))["node"]["url"]
        refused = await api.query(query, {"id": gid("Image", asset.id), "w": 300})
        assert refused["errors"][0]["message"] == "Widths offered are 320, 640; got 300."


LIBRARY = """query ($first: Int, $after: String, $filter: MediaFilter) {
  mediaAssets(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { __typename id fileName ... on Document { url } } }
  }
}"""


async def test_media_library(fresh_demo_url: str, settings: dict[str, Any]) -> None:
    storage = storage_from(settings)
    image = await upload(fresh_demo_url, storage, files.jpeg(colour=(1, 2, 3)), "dam.jpg")
    report = await upload(fresh_demo_url, storage, files.pdf(), "report.pdf")
    third = await upload(fresh_demo_url, storage, files.png(), "levels.png")
    await storage.aclose()
    token = await issue_token(fresh_demo_url, Role.CONTRIBUTOR)
    async with api_client(fresh_demo_url, **settings) as api:
        refused = await api.query(LIBRARY)
        assert refused["data"] is None
        assert "Browsing the media library" in refused["errors"][0]["message"]

        async def page(**variables: Any) -> dict[str, Any]:
            data = await api.data(LIBRARY, variables, headers=bearer(token))
            return data["mediaAssets"]  # type: ignore[no-any-return]

        first = await page(first=2)
        assert first["totalCount"] == 3 and first["pageInfo"]["hasNextPage"]
        names = [e["node"]["fileName"] for e in first["edges"]]
        assert names == ["levels.png", "report.pdf"]
        assert first["edges"][1]["node"] == {
            "__typename": "Document",
            "id": gid("Document", report.id),
            "fileName": "report.pdf",
            "url": f"/media/{report.key}/report.pdf",
        }
        rest = await page(first=2, after=first["pageInfo"]["endCursor"])
        assert [e["node"]["id"] for e in rest["edges"]] == [gid("Image", image.id)]
        assert not rest["pageInfo"]["hasNextPage"]

        documents = await page(filter={"kind": "DOCUMENT"})
        assert documents["totalCount"] == 1
        named = await page(filter={"nameContains": "LEV", "mediaTypes": ["image/png"]})
        assert [e["node"]["id"] for e in named["edges"]] == [gid("Image", third.id)]

        # A document's file is served as uploaded.
        served = await api.http.get(f"/media/{report.key}/report.pdf")
        assert served.status_code == 200 and served.content.startswith(b"%PDF")


ON_CONTENT = """{
  article(language: "en", slug: "turkiyes-gas-hub-ambition") {
    featuredImage { id alt width }
    attachments { id fileName url }
    authors { slug avatarUrl avatar { id url(width: 96, height: 96) } }
  }
}"""


async def test_featured_image_portrait_and_attachments(
    fresh_demo_url: str, settings: dict[str, Any]
) -> None:
    storage = storage_from(settings)
    picture = await upload(fresh_demo_url, storage, files.jpeg(colour=(9, 9, 9)), "gas.jpg")
    portrait = await upload(fresh_demo_url, storage, files.jpeg(colour=(7, 7, 7)), "elif.jpg")
    first = await upload(fresh_demo_url, storage, files.pdf(), "report.pdf")
    second = await upload(fresh_demo_url, storage, b"%PDF-1.4\n%%EOF\n" + files.pdf(), "b.pdf")
    await storage.aclose()
    async with session_on(fresh_demo_url) as session:
        article_id = await session.scalar(
            select(Article.id).where(Article.slug == "turkiyes-gas-hub-ambition")
        )
        author_id = await session.scalar(select(Author.id).where(Author.slug == "elif-aydin"))
        assert article_id is not None and author_id is not None
        session.add_all(
            [
                ArticleFeaturedImage(article_id=article_id, asset_id=picture.id),
                AuthorAvatar(author_id=author_id, asset_id=portrait.id),
                # Stored out of order: the position decides.
                ArticleAttachment(article_id=article_id, asset_id=second.id, position=1),
                ArticleAttachment(article_id=article_id, asset_id=first.id, position=0),
            ]
        )
    async with api_client(fresh_demo_url, **settings) as api:
        response = await api.http.post("/graphql", json={"query": ON_CONTENT})
        found = response.json()["data"]["article"]
        assert found["featuredImage"] == {"id": gid("Image", picture.id), "alt": None, "width": 64}
        assert [a["id"] for a in found["attachments"]] == [
            gid("Document", first.id),
            gid("Document", second.id),
        ]
        author = next(a for a in found["authors"] if a["slug"] == "elif-aydin")
        # The deprecated address still answers beside the portrait.
        assert author["avatarUrl"] == "https://images.example.org/authors/elif-aydin.jpg"
        assert author["avatar"]["id"] == gid("Image", portrait.id)
        assert author["avatar"]["url"].endswith("/96x96-cover.auto")
        keys = set(response.headers["surrogate-key"].split())
        assert {f"media:{a.id}" for a in (picture, portrait, first, second)} <= keys
