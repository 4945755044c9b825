"""Pages and sections in the sitemaps, and what SEO overrides leave out: publishing a page and
renaming a section change the sitemaps' ETags and what they list; a version, author or tag
marked ``noindex``, or canonical elsewhere, is not listed (a self-canonical one is), in the
files and in the news sitemap, and the files still split cleanly around them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from publishing.access import Role
from publishing.media.models import MediaAsset, MediaKind
from tests.api.test_cli import run
from tests.sitemaps.support import (
    CREATE,
    PUBLISH,
    SITE,
    article_url,
    crawl,
    data,
    fetch,
    index_locs,
    page_url,
    update_site,
    urls,
)
from tests.support.client import ApiClient, api_client
from tests.support.clock import clocked_client
from tests.support.lookup import global_id, rows
from tests.support.tokens import bearer, issue_token

RESULT = "__typename ... on UserError { message }"
CREATE_PAGE = f"""mutation($input: CreatePageInput!) {{ createPage(input: $input) {{
  {RESULT} ... on CreatePageSuccess {{ page {{ id version }} }} }} }}"""
PUBLISH_PAGE = f"""mutation($input: PublishPageInput!) {{ publishPage(input: $input) {{
  {RESULT} ... on PageStatusSuccess {{ page {{ id version url }} }} }} }}"""
UPDATE_PAGE = f"""mutation($input: UpdatePageInput!) {{ updatePage(input: $input) {{
  {RESULT} ... on UpdatePageSuccess {{ page {{ id version }} }} }} }}"""
CREATE_SECTION = f"""mutation($input: CreateSectionInput!) {{ createSection(input: $input) {{
  {RESULT} ... on CreateSectionSuccess {{ section {{ id version url(language: "tr") }} }} }} }}"""
UPDATE_SECTION = f"""mutation($input: UpdateSectionInput!) {{ updateSection(input: $input) {{
  {RESULT} ... on UpdateSectionSuccess {{ section {{ id version url(language: "tr") }} }} }} }}"""
UPDATE_ARTICLE = f"""mutation($input: UpdateArticleInput!) {{ updateArticle(input: $input) {{
  {RESULT} ... on UpdateArticleSuccess {{ article {{ id version }} }} }} }}"""
UPDATE_AUTHOR = f"""mutation($input: UpdateAuthorInput!) {{ updateAuthor(input: $input) {{
  {RESULT} }} }}"""
UPDATE_TAG = f"""mutation($input: UpdateTagInput!) {{ updateTag(input: $input) {{ {RESULT} }} }}"""
ARTICLE = """query($language: String!, $slug: String!) {
  article(language: $language, slug: $slug) { id version url } }"""
PAGE = """query($language: String!, $slug: String!) {
  page(language: $language, slug: $slug) { id version url } }"""
AUTHOR = """{ authors(first: 1) { edges { node { id en: url(language: "en")
  tr: url(language: "tr") } } } }"""
TAGS = """{ tags { id en: url(language: "en") tr: url(language: "tr") } }"""
ELSEWHERE = "https://partner.example.org/original"


async def call(
    api: ApiClient, query: str, field: str, headers: dict[str, str], **input: Any
) -> Any:
    result = data(await api.query(query, {"input": input}, headers=headers), field)
    assert not result["__typename"].endswith("Error"), result
    return result


async def locs(api: ApiClient, path: str) -> set[str]:
    return {url.loc for url in urls((await fetch(api, path)).content)}


async def changed(api: ApiClient, path: str, before: str) -> str:
    """The answer for ``path`` is no longer the one with ETag ``before``; its ETag now."""
    response = await fetch(api, path, **{"If-None-Match": before})
    assert response.status_code == 200, path
    etag: str = response.headers["etag"]
    assert etag != before
    return etag


async def test_pages_and_sections_reach_the_sitemaps(fresh_demo_url: str) -> None:
    async with clocked_client(fresh_demo_url) as (api, _clock):
        editor = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
        admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
        paths = ("/sitemap.xml", "/sitemaps/en-1.xml", "/sitemaps/tr-1.xml")
        etags = {path: (await fetch(api, path)).headers["etag"] for path in paths}
        assert "pages:en" in (await fetch(api, "/sitemaps/en-1.xml")).headers["surrogate-key"]

        # A draft page is no URL of the site: nothing changed.
        made = await call(
            api,
            CREATE_PAGE,
            "createPage",
            editor,
            language="en",
            slug="donate",
            title="Donate",
        )
        again = await fetch(api, "/sitemaps/en-1.xml", **{"If-None-Match": etags[paths[1]]})
        assert again.status_code == 304
        assert page_url("en", "donate") not in await locs(api, "/sitemaps/en-1.xml")

        published = await call(api, PUBLISH_PAGE, "publishPage", editor, id=made["page"]["id"])
        assert published["page"]["url"] == page_url("en", "donate")
        for path in paths[:2]:
            etags[path] = await changed(api, path, etags[path])
        english = {u.loc: u for u in urls((await fetch(api, "/sitemaps/en-1.xml")).content)}
        donate = english[page_url("en", "donate")]
        assert donate.lastmod is not None
        assert donate.alternates == {"en": donate.loc, "x-default": donate.loc}
        assert article_url("en", "donate") not in english
        # Pages are no news: nothing else was published, so there is no news sitemap.
        assert (await api.http.get("/sitemaps/news.xml")).status_code == 404
        index = await fetch(api, "/sitemap.xml")
        assert not [loc for loc in index_locs(index.content) if loc.endswith("/news.xml")]

        # A section translated into Turkish only is listed in Turkish only.
        section = (
            await call(
                api,
                CREATE_SECTION,
                "createSection",
                admin,
                translations=[{"language": "tr", "name": "Etkinlikler", "slug": "etkinlikler"}],
            )
        )["section"]
        assert section["url"] == f"{SITE}/tr/sections/etkinlikler"
        for path in (paths[0], paths[2]):
            etags[path] = await changed(api, path, etags[path])
        turkish = {u.loc: u for u in urls((await fetch(api, "/sitemaps/tr-1.xml")).content)}
        events = turkish[section["url"]]
        assert events.alternates == {"tr": events.loc, "x-default": events.loc}
        assert not [loc for loc in await locs(api, "/sitemaps/en-1.xml") if "etkinlik" in loc]

        # Renamed: the new URL, and the old one gone.
        renamed = (
            await call(
                api,
                UPDATE_SECTION,
                "updateSection",
                admin,
                id=section["id"],
                expectedVersion=section["version"],
                translations=[{"language": "tr", "name": "Etkinlikler", "slug": "toplantilar"}],
            )
        )["section"]
        for path in (paths[0], paths[2]):
            etags[path] = await changed(api, path, etags[path])
        turkish_locs = await locs(api, "/sitemaps/tr-1.xml")
        assert renamed["url"] == f"{SITE}/tr/sections/toplantilar"
        assert renamed["url"] in turkish_locs and section["url"] not in turkish_locs


async def test_pages_list_their_featured_image_like_articles(
    empty_url: str, tmp_path: Path
) -> None:
    media_url = (tmp_path / "media").as_uri()
    assert run("migrate", "--database-url", empty_url).returncode == 0
    seeded = run("seed-demo", "--database-url", empty_url, PRESSROOM_MEDIA_URL=media_url)
    assert seeded.returncode == 0, seeded.stderr
    [(asset_id,)] = await rows(
        empty_url,
        select(MediaAsset.id).where(MediaAsset.kind == MediaKind.IMAGE).limit(1),
    )
    async with api_client(empty_url, media_url=media_url) as api:
        editor = bearer(await issue_token(empty_url, Role.EDITOR))
        about = (await api.data(PAGE, {"language": "en", "slug": "about"}))["page"]
        before = {u.loc: u for u in urls((await fetch(api, "/sitemaps/en-1.xml")).content)}
        assert before[about["url"]].images == []
        await call(
            api,
            UPDATE_PAGE,
            "updatePage",
            editor,
            id=about["id"],
            expectedVersion=about["version"],
            featuredImageId=global_id("Image", asset_id),
        )
        after = {u.loc: u for u in urls((await fetch(api, "/sitemaps/en-1.xml")).content)}
        [image] = after[about["url"]].images
        assert image.startswith("http://pressroom.test/media/") and image.endswith(".jpg")
        served = await api.http.get(image.removeprefix("http://pressroom.test"))
        assert served.status_code == 200 and served.headers["content-type"] == "image/jpeg"


async def _seo(
    api: ApiClient, query: str, kind: str, headers: dict[str, str], slug: str, **seo: Any
) -> str:
    """Set an article's or a page's SEO overrides (English); its URL."""
    found = (await api.data(query, {"language": "en", "slug": slug}))[kind]
    mutation, field = (
        (UPDATE_ARTICLE, "updateArticle") if kind == "article" else (UPDATE_PAGE, "updatePage")
    )
    await call(
        api, mutation, field, headers, id=found["id"], expectedVersion=found["version"], seo=seo
    )
    url: str = found["url"]
    return url


async def test_noindex_and_canonical_elsewhere_are_left_out(fresh_demo_url: str) -> None:
    async with clocked_client(fresh_demo_url) as (api, _clock):
        admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
        # A dated pattern: the database builds each version's own URL with its date.
        await update_site(
            api,
            admin,
            permalinks=[{"kind": "ARTICLE", "pattern": "/{language}/{year}/{month}/{day}/{slug}"}],
        )
        english = await fetch(api, "/sitemaps/en-1.xml")
        before = {u.loc for u in urls(english.content)}
        etag = english.headers["etag"]

        gas_hub = await _seo(
            api, ARTICLE, "article", admin, "turkiyes-gas-hub-ambition", noindex=True
        )
        etag = await changed(api, "/sitemaps/en-1.xml", etag)
        assert gas_hub in before and gas_hub not in await locs(api, "/sitemaps/en-1.xml")
        # Its Turkish version says nothing of the kind: still listed, and still naming it (its
        # alternates are the page's hreflang links, as GraphQL gives them).
        turkish = {u.loc: u for u in urls((await fetch(api, "/sitemaps/tr-1.xml")).content)}
        assert any(u.alternates.get("en") == gas_hub for u in turkish.values())

        others = sorted(loc for loc in before if "/20" in loc and loc != gas_hub)
        self_canonical, elsewhere = others[0], others[1]
        await _seo(
            api,
            ARTICLE,
            "article",
            admin,
            self_canonical.rsplit("/", 1)[1],
            canonicalUrl=self_canonical,
        )
        await _seo(
            api, ARTICLE, "article", admin, elsewhere.rsplit("/", 1)[1], canonicalUrl=ELSEWHERE
        )
        about = await _seo(api, PAGE, "page", admin, "about", canonicalUrl=ELSEWHERE)

        [author] = [edge["node"] for edge in (await api.data(AUTHOR))["authors"]["edges"]]
        await call(
            api,
            UPDATE_AUTHOR,
            "updateAuthor",
            admin,
            id=author["id"],
            seo=[{"language": "tr", "seo": {"noindex": True}}],
        )
        tags = [t for t in (await api.data(TAGS))["tags"] if t["en"] in before]
        await call(
            api,
            UPDATE_TAG,
            "updateTag",
            admin,
            id=tags[0]["id"],
            seo=[{"language": "en", "seo": {"canonicalUrl": ELSEWHERE}}],
        )
        await call(
            api,
            UPDATE_TAG,
            "updateTag",
            admin,
            id=tags[1]["id"],
            seo=[{"language": "en", "seo": {"canonicalUrl": tags[1]["en"]}}],
        )

        await changed(api, "/sitemaps/en-1.xml", etag)
        now_english = await locs(api, "/sitemaps/en-1.xml")
        now_turkish = await locs(api, "/sitemaps/tr-1.xml")
        assert before - now_english == {gas_hub, elsewhere, about, tags[0]["en"]}
        assert now_english <= before
        assert self_canonical in now_english and tags[1]["en"] in now_english
        assert author["en"] in now_english
        assert author["tr"] not in now_turkish and author["tr"].startswith(f"{SITE}/tr/")

        # The files split around what is left out: in order, none empty, none past the limit.
        whole = await crawl(api)
    async with api_client(fresh_demo_url, sitemap_max_urls=3) as api:
        split = await crawl(api)
        for language in ("en", "tr", "ru"):
            parts = sorted(
                (p for p in split if p.startswith(f"/sitemaps/{language}-")),
                key=lambda p: int(p.rsplit("-", 1)[1].removesuffix(".xml")),
            )
            assert all(1 <= len(split[p]) <= 3 for p in parts)
            assert all(len(split[p]) == 3 for p in parts[:-1])
            assert [u.loc for p in parts for u in split[p]] == [
                u.loc for u in whole[f"/sitemaps/{language}-1.xml"]
            ]


async def test_news_leaves_out_what_is_not_indexed(fresh_demo_url: str) -> None:
    async with clocked_client(fresh_demo_url) as (api, _clock):
        editor = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
        created = data(
            await api.query(
                CREATE,
                {
                    "input": {
                        "language": "en",
                        "slug": "quiet-news",
                        "title": "Quiet news",
                        "seo": {"noindex": True},
                    }
                },
                headers=editor,
            ),
            "createArticle",
        )
        await api.query(PUBLISH, {"input": {"id": created["article"]["id"]}}, headers=editor)
        # Its only candidate is not to be indexed: no news sitemap, none in the index.
        assert (await api.http.get("/sitemaps/news.xml")).status_code == 404
        index = await fetch(api, "/sitemap.xml")
        assert not [loc for loc in index_locs(index.content) if loc.endswith("/news.xml")]
        assert article_url("en", "quiet-news") not in await locs(api, "/sitemaps/en-1.xml")


async def test_a_file_costs_the_same_statements_however_much_it_lists(
    fresh_demo_url: str,
) -> None:
    async with api_client(fresh_demo_url) as api:
        editor = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
        admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))

        async def cost() -> int:
            await fetch(api, "/sitemaps/en-1.xml")  # the change log's check settles first
            api.counter.reset()
            response = await fetch(api, "/sitemaps/en-1.xml", **{"If-None-Match": '"other"'})
            assert response.status_code == 200
            return api.counter.count

        first = await cost()
        listed = len(await locs(api, "/sitemaps/en-1.xml"))
        for n in range(3):
            made = data(
                await api.query(
                    CREATE,
                    {
                        "input": {
                            "language": "en",
                            "slug": f"more-{n}",
                            "title": f"More {n}",
                            "seo": {"title": f"More {n}", "noindex": n == 0},
                        }
                    },
                    headers=editor,
                ),
                "createArticle",
            )
            await api.query(PUBLISH, {"input": {"id": made["article"]["id"]}}, headers=editor)
            page = await call(
                api,
                CREATE_PAGE,
                "createPage",
                editor,
                language="en",
                slug=f"page-{n}",
                title=f"Page {n}",
            )
            await call(api, PUBLISH_PAGE, "publishPage", editor, id=page["page"]["id"])
            await call(
                api,
                CREATE_SECTION,
                "createSection",
                admin,
                translations=[{"language": "en", "name": f"Desk {n}", "slug": f"desk-{n}"}],
            )
        assert len(await locs(api, "/sitemaps/en-1.xml")) == listed + 2 + 3 + 3
        assert await cost() == first
