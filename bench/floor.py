"""The floor: the benchmark's two answers served by hand, to measure Pressroom against.

A raw ASGI app with no framework and no GraphQL: it reads ``operationName`` and
``variables`` of the request (GET or POST, like a GraphQL client sends them), runs ONE
hand-written SQL statement on PostgreSQL through asyncpg, renders Markdown with the same
functions and the same per-process caches as Pressroom, and answers the same JSON with orjson.
Whatever Pressroom spends beyond this is the price of its layers.

Run: ``FLOOR_DATABASE_URL=postgresql://... uvicorn bench.floor:create_floor_app --factory``.
"""

from __future__ import annotations

import base64
import datetime as dt
import os
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl

import asyncpg
import orjson

from publishing.footnotes.citation import format_citation
from publishing.footnotes.references import NumberingStyle, ParsedBody, label
from publishing.languages.service import language_info
from publishing.text import markdown_html
from schema.pagination import encode_cursor

LANGUAGES = ("en", "tr", "ru")  # the generated publication's, default first

_AUTHORS = """(SELECT coalesce(json_agg(json_build_object(
      'name', au.name, 'slug', au.slug, 'avatar', au.avatar_url{bios})
      ORDER BY c.story_id IS NULL, c.position, c.id), '[]')
    FROM contributor_credits c JOIN authors au ON au.id = c.author_id
    WHERE (c.story_id = a.story_id OR c.article_id = a.id) AND c.role = 'AUTHOR')"""
_BIOS = """, 'bios', (SELECT json_object_agg(b.language, b.markdown)
      FROM author_bios b WHERE b.author_id = au.id)"""
_TAGS = """(SELECT coalesce(json_agg(json_build_object('id', g.id, 'slug', g.slug, 'names',
      (SELECT json_object_agg(n.language, n.name) FROM tag_names n WHERE n.tag_id = g.id))
      ORDER BY st.position, g.slug), '[]')
    FROM story_tags st JOIN tags g ON g.id = st.tag_id WHERE st.story_id = a.story_id)"""
_VISIBLE = "{t}.status = 'PUBLISHED' AND {t}.published_at <= $3"

ARTICLE_PAGE = f"""
SELECT a.id, a.language, a.title, a.subtitle, a.body, a.numbering_style, a.published_at,
  {_AUTHORS.format(bios=_BIOS)} AS authors,
  (SELECT coalesce(json_agg(json_build_object('language', t.language, 'slug', t.slug,
      'title', t.title) ORDER BY t.language), '[]')
    FROM articles t WHERE t.story_id = a.story_id AND t.id <> a.id
      AND {_VISIBLE.format(t="t")}) AS translations,
  (SELECT coalesce(json_agg(json_build_object('key', f.key, 'content', f.content,
      'source', CASE WHEN s.id IS NULL THEN NULL ELSE json_build_object('title', s.title,
        'publisher', s.publisher, 'url', s.url, 'accessedOn', s.accessed_on) END)
      ORDER BY f.position, f.id), '[]')
    FROM footnotes f LEFT JOIN sources s ON s.id = f.source_id
    WHERE f.article_id = a.id) AS footnotes,
  {_TAGS} AS tags,
  {{similar}} AS similar
FROM articles a
WHERE a.language = $1 AND a.slug = $2 AND {_VISIBLE.format(t="a")}
"""
# Similar posts: the stored lists Pressroom reads (editors' pins first, then by score), with
# visibility applied at read time, as Pressroom does.
SIMILAR = f"""(SELECT coalesce(json_agg(json_build_object('title', x.title, 'slug', x.slug,
      'excerpt', x.excerpt, 'publishedAt', x.published_at)), '[]')
    FROM (SELECT o.title, o.slug, o.excerpt, o.published_at
      FROM (SELECT r.related_id AS target, 0 AS tier, r.position, 0.0 AS score
          FROM related_articles r WHERE r.article_id = a.id
        UNION ALL
        SELECT s.similar_id, 1, 0, s.score FROM similar_articles s
          WHERE s.article_id = a.id AND NOT EXISTS (SELECT 1 FROM related_articles r
            WHERE r.article_id = s.article_id AND r.related_id = s.similar_id)) e
      JOIN articles o ON o.id = e.target
      WHERE {_VISIBLE.format(t="o")}
      ORDER BY e.tier, e.position, e.score DESC, o.published_at DESC, o.id DESC
      LIMIT 5) x)"""

LISTING = f"""
SELECT a.id, a.language, a.title, a.slug, a.excerpt, a.published_at,
  {_AUTHORS.format(bios="")} AS authors,
  {_TAGS} AS tags
FROM articles a
WHERE a.language = $1 AND {_VISIBLE.format(t="a")} AND a.published_at < $2
ORDER BY a.published_at DESC, a.id DESC
LIMIT $4
"""


# The same caches as Pressroom's rich text fields (schema/richtext.py).
@lru_cache(maxsize=2048)
def _markdown_html(markdown: str) -> str:
    return markdown_html(markdown)


@lru_cache(maxsize=2048)
def _body(
    markdown: str, keys: frozenset[str], style: NumberingStyle
) -> tuple[str, tuple[str, ...]]:
    # HTML only, as Pressroom renders for the page; the order is that of first references.
    parsed = ParsedBody(markdown)
    order = tuple(dict.fromkeys(key for key in parsed.referenced_keys() if key in keys))
    return parsed.html(keys, style), order


def _pick(values: dict[str, str] | None, language: str) -> str | None:
    if not values:
        return None
    for code in (language, *LANGUAGES):
        if code in values:
            return values[code]
    return next(iter(values.values()))


def _global_id(type_name: str, pk: int) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def _time(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):  # from json_build_object
        value = dt.datetime.fromisoformat(value)
    return value.astimezone(dt.UTC).isoformat()


def _article_page(row: asyncpg.Record, bio_language: str) -> dict[str, Any]:
    language = row["language"]
    style = NumberingStyle(row["numbering_style"])
    notes = row["footnotes"]
    body_html, order = _body(row["body"], frozenset(n["key"] for n in notes), style)
    numbers = {key: i for i, key in enumerate(order, start=1)}
    unreferenced = len(numbers) + 1
    numbered = []
    for note in notes:
        number = numbers.get(note["key"])
        if number is None:
            number, unreferenced = unreferenced, unreferenced + 1
        numbered.append((number, note))
    numbered.sort(key=lambda item: item[0])
    info = language_info(language)
    article: dict[str, Any] = {
        "id": _global_id("Article", row["id"]),
        "title": row["title"],
        "subtitle": row["subtitle"],
        "publishedAt": _time(row["published_at"]),
        "language": {"code": language, "nativeName": info.native_name, "direction": info.direction},
        "body": {"html": body_html},
        "authors": [
            {
                "name": a["name"],
                "slug": a["slug"],
                "bio": None
                if (bio := _pick(a["bios"], bio_language)) is None
                else {"html": _markdown_html(bio)},
                "avatarUrl": a["avatar"],
            }
            for a in row["authors"]
        ],
        "translations": [
            {
                "language": {
                    "code": t["language"],
                    "nativeName": language_info(t["language"]).native_name,
                },
                "slug": t["slug"],
                "title": t["title"],
            }
            for t in row["translations"]
        ],
        "footnotes": [
            {
                "number": number,
                "label": label(number, style),
                "content": {"html": _markdown_html(note["content"])},
                "source": note["source"],
                "citation": None
                if (source := note["source"]) is None
                else format_citation(
                    title=source["title"],
                    publisher=source["publisher"],
                    url=source["url"],
                    accessed_on=dt.date.fromisoformat(source["accessedOn"])
                    if source["accessedOn"]
                    else None,
                    language=language,
                ),
            }
            for number, note in numbered
        ],
        "tags": [
            {"slug": t["slug"], "name": _pick(t["names"], language) or t["slug"]}
            for t in row["tags"]
        ],
    }
    if row["similar"] is not None:
        article["similar"] = [{**s, "publishedAt": _time(s["publishedAt"])} for s in row["similar"]]
    return article


def _listing(rows: list[asyncpg.Record], first: int) -> dict[str, Any]:
    edges = []
    for row in rows[:first]:
        language = row["language"]
        published_at = row["published_at"].astimezone(dt.UTC)
        edges.append(
            {
                "cursor": encode_cursor("articles", published_at.isoformat(), row["id"]),
                "node": {
                    "id": _global_id("Article", row["id"]),
                    "title": row["title"],
                    "slug": row["slug"],
                    "excerpt": row["excerpt"],
                    "publishedAt": published_at.isoformat(),
                    "authors": [{"name": a["name"], "slug": a["slug"]} for a in row["authors"]],
                    "tags": [
                        {"slug": t["slug"], "name": _pick(t["names"], language) or t["slug"]}
                        for t in row["tags"]
                    ],
                },
            }
        )
    return {
        "articles": {
            "edges": edges,
            "pageInfo": {
                "hasNextPage": len(rows) > first,
                "endCursor": edges[-1]["cursor"] if edges else None,
            },
        }
    }


class Floor:
    """The ASGI app. ``similar``: include similar posts in the article page."""

    def __init__(self, database_url: str, *, similar: bool, pool_size: int = 10) -> None:
        self.dsn = database_url.replace("postgresql+asyncpg://", "postgresql://", 1)
        self.similar = similar
        self.pool_size = pool_size
        self.pool: asyncpg.Pool | None = None
        self.article_sql = ARTICLE_PAGE.format(similar=SIMILAR if similar else "NULL::json")

    async def _init(self, connection: asyncpg.Connection) -> None:
        await connection.set_type_codec(
            "json",
            encoder=lambda v: orjson.dumps(v).decode(),
            decoder=orjson.loads,
            schema="pg_catalog",
        )

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        body = b""
        more = True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        if scope["method"] == "GET":
            query = dict(parse_qsl(scope["query_string"].decode()))
            params = {
                "operationName": query.get("operationName"),
                "variables": orjson.loads(query.get("variables") or "{}"),
            }
        else:
            params = orjson.loads(body)
        status, answer = await self.answer(
            params.get("operationName"), params.get("variables") or {}
        )
        payload = orjson.dumps(answer)
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(payload)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": payload})

    async def answer(self, operation: str | None, variables: dict[str, Any]) -> tuple[int, Any]:
        assert self.pool is not None
        now = dt.datetime.now(dt.UTC)
        if operation == "ArticlePage":
            language = variables["language"]
            row = await self.pool.fetchrow(self.article_sql, language, variables["slug"], now)
            article = None if row is None else _article_page(row, language)
            return 200, {"data": {"article": article}}
        if operation == "Listing":
            first = int(variables.get("first") or 50)
            before = variables.get("before")
            before_at = dt.datetime.fromisoformat(before) if before else now + dt.timedelta(days=1)
            rows = await self.pool.fetch(LISTING, variables["language"], before_at, now, first + 1)
            return 200, {"data": _listing(rows, first)}
        return 400, {
            "errors": [{"message": f"the floor answers ArticlePage and Listing, not {operation}"}]
        }

    async def _lifespan(self, receive: Any, send: Any) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self.pool = await asyncpg.create_pool(
                    self.dsn, min_size=2, max_size=self.pool_size, init=self._init
                )
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self.pool is not None:
                    await self.pool.close()
                await send({"type": "lifespan.shutdown.complete"})
                return


def create_floor_app() -> Floor:
    """Factory for uvicorn: FLOOR_DATABASE_URL (or PRESSROOM_DATABASE_URL), FLOOR_SIMILAR."""
    url = os.environ.get("FLOOR_DATABASE_URL") or os.environ["PRESSROOM_DATABASE_URL"]
    return Floor(url, similar=os.environ.get("FLOOR_SIMILAR", "") == "1")
