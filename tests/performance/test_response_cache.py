"""The response cache and HTTP caching of public reads: answers come from the cache until the
content they hold changes, whichever process changed it, and never for editors."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import pytest

from publishing.access import Actor, Role
from publishing.articles import editing
from publishing.articles.editing import ArticleChanges
from publishing.clock import SYSTEM_CLOCK
from publishing.db import create_engine, create_sessionmaker
from tests.support.client import ApiClient, api_client
from tests.support.clock import clocked_client
from tests.support.lookup import article_id, global_id
from tests.support.tokens import bearer, issue_token

GAS_HUB = ("en", "turkiyes-gas-hub-ambition")
PAGE = """query Page($language: String!, $slug: String!) {
  article(language: $language, slug: $slug) {
    id title version
    authors { name slug }
    translations { language { code } slug title }
    tags { slug name }
  }
}"""
LISTING = """query Listing($language: String!) {
  articles(language: $language, first: 50) { edges { node { slug title } } }
}"""
UPDATE = """mutation($input: UpdateArticleInput!) { updateArticle(input: $input) {
  __typename ... on UpdateArticleSuccess { article { title version } }
} }"""
PUBLISH = """mutation($input: PublishArticleInput!) { publishArticle(input: $input) {
  __typename ... on ArticleStatusSuccess { article { status publishedAt } }
} }"""
JSON = {"Accept": "application/json"}


async def get(
    api: ApiClient, query: str, variables: dict[str, Any], **headers: str
) -> httpx.Response:
    response = await api.http.get(
        "/graphql",
        params={"query": query, "variables": _json(variables)},
        headers={**JSON, **headers},
    )
    assert response.status_code in (200, 304), response.text
    return response


def _json(value: Any) -> str:
    import json

    return json.dumps(value)


def page_vars(language: str = GAS_HUB[0], slug: str = GAS_HUB[1]) -> dict[str, str]:
    return {"language": language, "slug": slug}


async def retitle(api: ApiClient, url: str, article: int, title: str) -> None:
    token = await issue_token(url, Role.EDITOR)
    current = await api.data(
        "query($id: ID!) { node(id: $id) { ... on Article { version } } }",
        {"id": global_id("Article", article)},
        headers=bearer(token),
    )
    result = await api.data(
        UPDATE,
        {
            "input": {
                "id": global_id("Article", article),
                "expectedVersion": current["node"]["version"],
                "title": title,
            }
        },
        headers=bearer(token),
    )
    assert result["updateArticle"]["__typename"] == "UpdateArticleSuccess", result


async def test_a_repeated_public_get_is_answered_from_the_cache(client: ApiClient) -> None:
    first = await get(client, PAGE, page_vars())
    second = await get(client, PAGE, page_vars())
    assert first.json() == second.json()
    assert first.json()["data"]["article"]["title"]
    assert first.headers["x-pressroom-cache"] == "miss"
    assert second.headers["x-pressroom-cache"] == "hit"
    # Nothing was read from the store the second time.
    client.counter.reset()
    await get(client, PAGE, page_vars())
    assert all("content_changes" in s for s in client.counter.statements), client.counter.statements


async def test_public_gets_carry_http_caching_headers(demo_url: str) -> None:
    async with api_client(demo_url, cache_max_age=90, cache_stale_while_revalidate=600) as api:
        response = await get(api, PAGE, page_vars())
        assert response.headers["cache-control"] == (
            "public, max-age=90, stale-while-revalidate=600"
        )
        assert response.headers["vary"] == "Authorization, Accept, Accept-Encoding"
        etag = response.headers["etag"]
        # Same answer, same tag: the client's copy is still good.
        again = await get(api, PAGE, page_vars(), **{"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b""
        assert again.headers["etag"] == etag
        # Another answer has another tag.
        other = await get(api, PAGE, page_vars("tr", "turkiyenin-gaz-merkezi-hedefi"))
        assert other.headers["etag"] != etag
        stale = await get(api, PAGE, page_vars(), **{"If-None-Match": other.headers["etag"]})
        assert stale.status_code == 200 and stale.json() == response.json()


async def test_surrogate_keys_name_the_content_of_the_answer(
    client: ApiClient, demo_url: str
) -> None:
    response = await get(client, PAGE, page_vars())
    keys = set(response.headers["surrogate-key"].split())
    article = await article_id(demo_url, *GAS_HUB)
    translation = await article_id(demo_url, "tr", "turkiyenin-gaz-merkezi-hedefi")
    assert {f"article:{article}", f"article:{translation}"} <= keys
    assert any(k.startswith("story:") for k in keys)
    assert any(k.startswith("author:") for k in keys)
    assert any(k.startswith("tag:") for k in keys)
    # A listing changes whenever an article is published in a language: it says so.
    listing = await get(client, LISTING, {"language": "en"})
    assert "articles:en" in listing.headers["surrogate-key"].split()


async def test_editors_and_previews_are_never_cached(client: ApiClient, demo_url: str) -> None:
    token = bearer(await issue_token(demo_url, Role.EDITOR))
    for _ in range(2):
        response = await get(client, PAGE, page_vars(), **token)
        assert response.headers["cache-control"] == "private, no-store"
        assert response.headers["x-pressroom-cache"] == "bypass"
        assert "etag" not in response.headers and "surrogate-key" not in response.headers
    preview = "query($t: String!) { articlePreview(token: $t) { slug } }"
    response = await get(client, preview, {"t": "1.2.3"})
    assert response.headers["cache-control"] == "private, no-store"


async def test_mutations_are_never_cached(writable_client: ApiClient) -> None:
    response = await writable_client.http.post(
        "/graphql", json={"query": UPDATE, "variables": {"input": {"id": "x", "title": "t"}}}
    )
    assert response.headers["cache-control"] == "no-store"


async def test_a_write_is_visible_on_the_very_next_read(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    before = (await get(writable_client, PAGE, page_vars())).json()["data"]["article"]
    listing = (await get(writable_client, LISTING, {"language": "en"})).json()
    assert (await get(writable_client, PAGE, page_vars())).headers["x-pressroom-cache"] == "hit"

    await retitle(
        writable_client, fresh_demo_url, await article_id(fresh_demo_url, *GAS_HUB), "Retitled"
    )

    after = (await get(writable_client, PAGE, page_vars())).json()["data"]["article"]
    assert after["title"] == "Retitled" and before["title"] != "Retitled"
    titles = [
        e["node"]["title"]
        for e in (await get(writable_client, LISTING, {"language": "en"})).json()["data"][
            "articles"
        ]["edges"]
    ]
    assert "Retitled" in titles and listing["data"]["articles"]["edges"]
    # The Turkish version lists the English one among its translations: it changed too.
    turkish = await get(writable_client, PAGE, page_vars("tr", "turkiyenin-gaz-merkezi-hedefi"))
    english = [
        t
        for t in turkish.json()["data"]["article"]["translations"]
        if t["language"]["code"] == "en"
    ]
    assert english[0]["title"] == "Retitled"


async def test_unrelated_answers_stay_cached_after_a_write(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    other = page_vars("en", "the-future-of-nuclear-verification")
    await get(writable_client, PAGE, other)
    await retitle(
        writable_client, fresh_demo_url, await article_id(fresh_demo_url, *GAS_HUB), "Retitled"
    )
    assert (await get(writable_client, PAGE, other)).headers["x-pressroom-cache"] == "hit"


async def test_a_change_of_shared_data_through_a_draft_is_visible_in_the_published_versions(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    """Tags are the story's: an editor changing them through a draft translation changes what
    the published versions show, in their pages and in tag listings of their languages."""
    api = writable_client
    published = [("en", "the-future-of-nuclear-verification"), ("tr", "nukleer-denetimin-gelecegi")]
    by_tag = """query($language: String!) {
      articles(language: $language, first: 50, filter: {tagSlug: "energy"}) {
        edges { node { slug } } } }"""

    def tags(response: httpx.Response) -> list[str]:
        return [t["slug"] for t in response.json()["data"]["article"]["tags"]]

    def slugs(response: httpx.Response) -> list[str]:
        return [e["node"]["slug"] for e in response.json()["data"]["articles"]["edges"]]

    for key in published:
        assert tags(await get(api, PAGE, page_vars(*key))) == ["arms-control", "foreign-policy"]
        assert (await get(api, PAGE, page_vars(*key))).headers["x-pressroom-cache"] == "hit"
        assert key[1] not in slugs(await get(api, by_tag, {"language": key[0]}))

    token = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
    draft = global_id(
        "Article", await article_id(fresh_demo_url, "ru", "budushchee-yadernogo-kontrolya")
    )
    all_tags = {t["slug"]: t["id"] for t in (await api.data("{ tags { id slug } }"))["tags"]}
    version = (
        await api.data(
            "query($id: ID!) { node(id: $id) { ... on Article { version } } }",
            {"id": draft},
            headers=token,
        )
    )["node"]["version"]
    changed = await api.data(
        UPDATE,
        {"input": {"id": draft, "expectedVersion": version, "tagIds": [all_tags["energy"]]}},
        headers=token,
    )
    assert changed["updateArticle"]["__typename"] == "UpdateArticleSuccess", changed

    for key in published:
        assert tags(await get(api, PAGE, page_vars(*key))) == ["energy"]
        assert key[1] in slugs(await get(api, by_tag, {"language": key[0]}))


async def test_a_hidden_originals_new_text_shows_in_its_visible_translations_status(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    """A published translation says whether its original moved on, even while the original is
    a draft: a contributor's edit of that draft changes what the translation's readers see."""
    api = writable_client
    editor = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
    contributor = bearer(await issue_token(fresh_demo_url, Role.CONTRIBUTOR))
    created = await api.data(
        """mutation($input: CreateArticleInput!) { createArticle(input: $input) {
          ... on CreateArticleSuccess { article { id } } } }""",
        {"input": {"language": "en", "slug": "a-draft-original", "title": "A draft original"}},
        headers=contributor,
    )
    original = created["createArticle"]["article"]["id"]
    translated = await api.data(
        """mutation($input: CreateTranslationInput!) { createTranslation(input: $input) {
          ... on CreateTranslationSuccess { article { id } } } }""",
        {
            "input": {
                "originalId": original,
                "language": "tr",
                "slug": "taslak-bir-asil",
                "title": "Taslak bir asıl",
            }
        },
        headers=editor,
    )
    published = await api.data(
        PUBLISH, {"input": {"id": translated["createTranslation"]["article"]["id"]}}, headers=editor
    )
    assert published["publishArticle"]["__typename"] == "ArticleStatusSuccess", published
    status = """query($language: String!, $slug: String!) {
      article(language: $language, slug: $slug) { translationStatus { isOutdated } } }"""
    tr = {"language": "tr", "slug": "taslak-bir-asil"}

    def outdated(response: httpx.Response) -> bool:
        value: bool = response.json()["data"]["article"]["translationStatus"]["isOutdated"]
        return value

    assert outdated(await get(api, status, tr)) is False
    assert (await get(api, status, tr)).headers["x-pressroom-cache"] == "hit"

    edited = await api.data(
        UPDATE,
        {"input": {"id": original, "expectedVersion": 1, "body": "The original, rewritten."}},
        headers=contributor,
    )
    assert edited["updateArticle"]["__typename"] == "UpdateArticleSuccess", edited
    assert outdated(await get(api, status, tr)) is True


async def test_a_write_by_another_api_process_is_visible_on_the_next_read(
    fresh_demo_url: str,
) -> None:
    async with api_client(fresh_demo_url) as reader, api_client(fresh_demo_url) as writer:
        await get(reader, PAGE, page_vars())
        assert (await get(reader, PAGE, page_vars())).headers["x-pressroom-cache"] == "hit"
        await retitle(
            writer, fresh_demo_url, await article_id(fresh_demo_url, *GAS_HUB), "Elsewhere"
        )
        after = await get(reader, PAGE, page_vars())
        assert after.json()["data"]["article"]["title"] == "Elsewhere"


async def test_a_write_through_the_services_outside_the_api_is_visible(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    await get(writable_client, PAGE, page_vars())
    article = await article_id(fresh_demo_url, *GAS_HUB)
    # What an import script or the CLI does: the services, in a transaction of its own.
    engine = create_engine(fresh_demo_url)
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            current = await editing.get_article(session, article)
            await editing.update_article(
                session,
                Actor("import-script", Role.EDITOR),
                article,
                current.version,
                ArticleChanges(title="Imported title"),
                now=SYSTEM_CLOCK.now(),
            )
    finally:
        await engine.dispose()
    after = await get(writable_client, PAGE, page_vars())
    assert after.json()["data"]["article"]["title"] == "Imported title"


async def test_a_scheduled_article_appears_when_its_time_comes(fresh_demo_url: str) -> None:
    draft = ("en", "arms-control-without-a-treaty")
    token = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
    draft_id = global_id("Article", await article_id(fresh_demo_url, *draft))

    def slugs(response: httpx.Response) -> list[str]:
        return [e["node"]["slug"] for e in response.json()["data"]["articles"]["edges"]]

    async with clocked_client(fresh_demo_url) as (api, clock):
        publish_at = clock.now() + dt.timedelta(hours=1)
        scheduled = await api.data(
            PUBLISH, {"input": {"id": draft_id, "publishAt": publish_at.isoformat()}}, headers=token
        )
        assert scheduled["publishArticle"]["__typename"] == "ArticleStatusSuccess", scheduled

        # Not yet, a second before: cached as such, twice.
        clock.advance(dt.timedelta(minutes=59, seconds=59))
        assert draft[1] not in slugs(await get(api, LISTING, {"language": "en"}))
        hidden = await get(api, PAGE, page_vars(*draft))
        assert hidden.json()["data"]["article"] is None
        assert (await get(api, PAGE, page_vars(*draft))).headers["x-pressroom-cache"] == "hit"
        # No write happens when the time comes; the next read shows it all the same.
        clock.advance(1)
        assert draft[1] in slugs(await get(api, LISTING, {"language": "en"}))
        shown = await get(api, PAGE, page_vars(*draft))
        assert shown.json()["data"]["article"]["title"]


async def test_post_reads_are_cached_too_without_public_http_headers(client: ApiClient) -> None:
    body = {"query": PAGE, "variables": page_vars()}
    first = await client.http.post("/graphql", json=body)
    second = await client.http.post("/graphql", json=body)
    assert first.json() == second.json()
    assert second.headers["x-pressroom-cache"] == "hit"
    assert "public" not in second.headers.get("cache-control", "")


async def test_errors_are_not_cached(client: ApiClient) -> None:
    query = "query($n: Int) { articles(first: $n) { edges { node { slug } } } }"
    for _ in range(2):
        response = await get(client, query, {"n": 1000})
        assert response.json()["errors"]
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["x-pressroom-cache"] == "bypass"


@pytest.fixture
def redis_url() -> str:
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    redis.Redis.from_url(url).flushdb()
    return url


async def test_processes_share_the_redis_cache_and_its_invalidation(
    fresh_demo_url: str, redis_url: str
) -> None:
    async with (
        api_client(fresh_demo_url, redis_url=redis_url) as one,
        api_client(fresh_demo_url, redis_url=redis_url) as two,
    ):
        assert (await get(one, PAGE, page_vars())).headers["x-pressroom-cache"] == "miss"
        # The other process finds what the first one stored.
        assert (await get(two, PAGE, page_vars())).headers["x-pressroom-cache"] == "hit"
        await retitle(two, fresh_demo_url, await article_id(fresh_demo_url, *GAS_HUB), "Shared")
        for api in (one, two):
            after = await get(api, PAGE, page_vars())
            assert after.json()["data"]["article"]["title"] == "Shared"
