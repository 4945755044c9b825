"""Which events subscribers hear of, and when: only changes readers can see, only the types a
webhook chose, a scheduled article when its time comes. Each change is followed by the
dispatcher's rounds, so what was not sent was never going to be."""

from __future__ import annotations

import base64
import datetime as dt

from sqlalchemy import delete

from publishing.access import Role
from publishing.db import create_engine
from publishing.webhooks.models import PublicationMarker
from tests.support.tokens import bearer, issue_token
from tests.webhooks.harness import (
    RESULT,
    UPDATE_ARTICLE,
    article_of,
    create_webhook,
    graphql,
    retitle,
)
from tests.webhooks.stepping import HOOK, stepped

PUBLISH = f"""mutation($input: PublishArticleInput!) {{ publishArticle(input: $input) {{
  {RESULT} ... on ArticleStatusSuccess {{ article {{ id version publishedAt }} }} }} }}"""
UNPUBLISH = f"""mutation($input: ArticleStatusInput!) {{ unpublishArticle(input: $input) {{
  {RESULT} ... on ArticleStatusSuccess {{ article {{ id version }} }} }} }}"""
DELETE = f"""mutation($input: ArticleStatusInput!) {{ deleteArticle(input: $input) {{
  {RESULT} ... on DeleteArticleSuccess {{ deletedId }} }} }}"""
UPDATE_AUTHOR = f"""mutation($input: UpdateAuthorInput!) {{ updateAuthor(input: $input) {{
  {RESULT} ... on UpdateAuthorSuccess {{ author {{ id }} }} }} }}"""

ALL_EVENTS = [
    "ARTICLE_PUBLISHED",
    "ARTICLE_UPDATED",
    "ARTICLE_UNPUBLISHED",
    "ARTICLE_DELETED",
    "AUTHOR_UPDATED",
    "AUTHOR_DELETED",
]
NUCLEAR_EN = ("en", "the-future-of-nuclear-verification")
NUCLEAR_TR = ("tr", "nukleer-denetimin-gelecegi")
NUCLEAR_RU_DRAFT = ("ru", "budushchee-yadernogo-kontrolya")
# Long enough for any retry of a failed attempt to come due, short of the demo's scheduled
# article (due in 30 days).
A_DAY = dt.timedelta(days=1)


async def _tokens(url: str) -> tuple[dict[str, str], dict[str, str]]:
    return (
        bearer(await issue_token(url, Role.ADMIN)),
        bearer(await issue_token(url, Role.EDITOR)),
    )


async def test_events_follow_what_readers_can_see(fresh_demo_url: str) -> None:
    admin, editor = await _tokens(fresh_demo_url)
    async with stepped(fresh_demo_url) as webhooks:
        api, sent = webhooks.api, webhooks.receiver
        await create_webhook(api, admin, HOOK, ALL_EVENTS)

        # A draft changes: readers see nothing, so nothing is sent.
        await retitle(api, editor, NUCLEAR_RU_DRAFT, "Черновик")
        # A failed change writes nothing, its event included.
        stale = await article_of(api, editor, NUCLEAR_TR)
        conflict = await api.data(
            UPDATE_ARTICLE,
            {"input": {"id": stale["id"], "expectedVersion": 1, "title": "Stale"}},
            headers=editor,
        )
        assert conflict["updateArticle"]["__typename"] == "ConflictError"
        await webhooks.later(A_DAY)
        assert sent.types == []

        # Now, in order: publish the draft, change it, withdraw it, delete it, change an author.
        draft = await article_of(api, editor, NUCLEAR_RU_DRAFT)
        await graphql(api, PUBLISH, {"input": {"id": draft["id"]}}, editor, "publishArticle")
        await webhooks.drain()
        assert sent.types == ["ARTICLE_PUBLISHED"]
        await retitle(api, editor, NUCLEAR_RU_DRAFT, "Будущее ядерного контроля")
        await webhooks.drain()
        await graphql(api, UNPUBLISH, {"input": {"id": draft["id"]}}, editor, "unpublishArticle")
        await webhooks.drain()
        await graphql(api, DELETE, {"input": {"id": draft["id"]}}, editor, "deleteArticle")
        await webhooks.drain()
        authors = await api.data('{ author(slug: "irina-sokolova") { id } }')
        await graphql(
            api,
            UPDATE_AUTHOR,
            {"input": {"id": authors["author"]["id"], "name": "Irina Sokolova-Berg"}},
            admin,
            "updateAuthor",
        )
        await webhooks.drain()
        # And nothing more: the rounds of the day after send nothing.
        await webhooks.later(A_DAY)

    assert sent.types == [
        "ARTICLE_PUBLISHED",
        "ARTICLE_UPDATED",
        "ARTICLE_UNPUBLISHED",
        "ARTICLE_DELETED",
        "AUTHOR_UPDATED",
    ]
    requests = sent.requests
    assert {r.json["article"]["id"] for r in requests[:4]} == {draft["id"]}
    author = requests[4].json
    assert author["author"] == {
        "id": authors["author"]["id"],
        "slug": "irina-sokolova",
        "name": "Irina Sokolova-Berg",
    }
    author_pk = int(base64.b64decode(author["author"]["id"]).decode().split(":")[1])
    # The sitemaps list every author by slug: a CDN purges them too.
    assert author["surrogateKeys"] == [f"author:{author_pk}", "sitemaps"]


async def test_a_webhook_receives_only_the_types_it_chose(fresh_demo_url: str) -> None:
    admin, editor = await _tokens(fresh_demo_url)
    published_url, everything_url = f"{HOOK}/published", f"{HOOK}/everything"
    async with stepped(fresh_demo_url) as webhooks:
        api = webhooks.api
        await create_webhook(api, admin, published_url, ["ARTICLE_PUBLISHED"])
        await create_webhook(api, admin, everything_url, ["ARTICLE_UPDATED", "ARTICLE_PUBLISHED"])
        await retitle(api, editor, NUCLEAR_EN, "Only the second hears this")
        draft = await article_of(api, editor, NUCLEAR_RU_DRAFT)
        await graphql(api, PUBLISH, {"input": {"id": draft["id"]}}, editor, "publishArticle")
        await webhooks.later(A_DAY)

    sent = webhooks.receiver
    heard = {
        url: sorted(
            r.json["type"] for u, r in zip(sent.urls, sent.requests, strict=True) if u == url
        )
        for url in (published_url, everything_url)
    }
    assert heard == {
        published_url: ["ARTICLE_PUBLISHED"],
        everything_url: ["ARTICLE_PUBLISHED", "ARTICLE_UPDATED"],
    }
    # One event, two deliveries: both receivers see the same event id.
    assert len({r.json["id"] for r in sent.requests if r.json["type"] == "ARTICLE_PUBLISHED"}) == 1


async def test_a_scheduled_article_is_announced_when_its_time_comes(fresh_demo_url: str) -> None:
    admin, editor = await _tokens(fresh_demo_url)
    async with stepped(fresh_demo_url) as webhooks:
        api, clock = webhooks.api, webhooks.clock
        await create_webhook(api, admin, HOOK, ["ARTICLE_PUBLISHED"])
        draft = await article_of(api, editor, NUCLEAR_RU_DRAFT)
        publish_at = clock.now() + dt.timedelta(hours=1)
        scheduled = await graphql(
            api,
            PUBLISH,
            {"input": {"id": draft["id"], "publishAt": publish_at.isoformat()}},
            editor,
            "publishArticle",
        )
        assert dt.datetime.fromisoformat(scheduled["article"]["publishedAt"]) == publish_at

        # Not when it is scheduled, nor a moment before its time ...
        await webhooks.drain()
        await webhooks.later(dt.timedelta(minutes=59, seconds=59))
        assert webhooks.receiver.requests == []
        # ... but at its time, and once.
        await webhooks.later(dt.timedelta(seconds=1))
        assert len(webhooks.receiver.requests) == 1
        await webhooks.later(A_DAY)

    [request] = webhooks.receiver.requests
    payload = request.json
    assert payload["type"] == "ARTICLE_PUBLISHED"
    assert payload["article"]["id"] == draft["id"]
    assert dt.datetime.fromisoformat(payload["article"]["publishedAt"]) == publish_at
    assert dt.datetime.fromisoformat(payload["occurredAt"]) == publish_at


async def test_rescheduling_a_visible_article_withdraws_it_until_then(
    fresh_demo_url: str,
) -> None:
    admin, editor = await _tokens(fresh_demo_url)
    async with stepped(fresh_demo_url) as webhooks:
        api = webhooks.api
        await create_webhook(api, admin, HOOK, ALL_EVENTS)
        article = await article_of(api, editor, NUCLEAR_TR)
        later = webhooks.clock.now() + dt.timedelta(days=7)
        await graphql(
            api,
            PUBLISH,
            {"input": {"id": article["id"], "publishAt": later.isoformat()}},
            editor,
            "publishArticle",
        )
        await webhooks.drain()
        assert webhooks.receiver.types == ["ARTICLE_UNPUBLISHED"]
        # Changing it while scheduled tells nobody anything ...
        await retitle(api, editor, NUCLEAR_TR, "Sonra")
        await webhooks.later(dt.timedelta(days=6, hours=23))
        assert webhooks.receiver.types == ["ARTICLE_UNPUBLISHED"]
        # ... until its new time comes.
        await webhooks.later(dt.timedelta(hours=1))

    assert webhooks.receiver.types == ["ARTICLE_UNPUBLISHED", "ARTICLE_PUBLISHED"]
    assert webhooks.receiver.requests[1].json["article"]["title"] == "Sonra"


async def test_withdrawing_an_article_loaded_around_the_services_is_announced(
    fresh_demo_url: str,
) -> None:
    """Bulk loads write rows without publication markers; the last revision tells."""
    admin, editor = await _tokens(fresh_demo_url)
    engine = create_engine(fresh_demo_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(delete(PublicationMarker))
    finally:
        await engine.dispose()
    async with stepped(fresh_demo_url) as webhooks:
        api = webhooks.api
        await create_webhook(api, admin, HOOK, ALL_EVENTS)
        article = await article_of(api, editor, NUCLEAR_TR)
        await graphql(api, UNPUBLISH, {"input": {"id": article["id"]}}, editor, "unpublishArticle")
        draft = await article_of(api, editor, NUCLEAR_RU_DRAFT)
        await graphql(api, DELETE, {"input": {"id": draft["id"]}}, editor, "deleteArticle")
        await webhooks.later(A_DAY)

    assert [(r.json["type"], r.json["article"]["id"]) for r in webhooks.receiver.requests] == [
        ("ARTICLE_UNPUBLISHED", article["id"]),
        ("ARTICLE_DELETED", draft["id"]),
    ]


async def test_a_change_of_shared_data_through_a_draft_updates_the_published_versions(
    fresh_demo_url: str,
) -> None:
    """Tags are the story's: changed through a draft translation, they change what the
    published versions show, so subscribers hear of an update of each (not of the draft)."""
    admin, editor = await _tokens(fresh_demo_url)
    async with stepped(fresh_demo_url) as webhooks:
        api, sent = webhooks.api, webhooks.receiver
        await create_webhook(api, admin, HOOK, ALL_EVENTS)
        draft = await article_of(api, editor, NUCLEAR_RU_DRAFT)
        published = {(await article_of(api, editor, key))["id"] for key in (NUCLEAR_EN, NUCLEAR_TR)}
        tags = {t["slug"]: t["id"] for t in (await api.data("{ tags { id slug } }"))["tags"]}
        changes = {
            "id": draft["id"],
            "expectedVersion": draft["version"],
            "tagIds": [tags["energy"]],
        }
        await graphql(api, UPDATE_ARTICLE, {"input": changes}, editor, "updateArticle")
        await webhooks.later(A_DAY)

    assert sent.types == ["ARTICLE_UPDATED", "ARTICLE_UPDATED"]
    assert {r.json["article"]["id"] for r in sent.requests} == published
