"""Search latency on a generated data set, for SQLite and PostgreSQL.

    python -m bench.search --stories 100000 \
        --sqlite bench/results/search.db \
        --postgres postgresql+asyncpg://postgres@127.0.0.1:5432/pressroom_bench_search

Each database is filled by ``bench.generate`` (skipped when it already holds the stories),
then indexed: the generator writes rows in bulk, past the services that keep the index in
step. Queries are drawn from the data's own titles, in English, Turkish and Russian: one
word, two words, a quoted phrase, and a word with an exclusion. Each runs once through the
GraphQL schema (results, snippets and totalCount, as a search page asks), anonymously, with
no response cache in front; latency percentiles are printed per backend and per language.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.generate import generate
from publishing.articles.models import Article, ArticleStatus, Story
from publishing.clock import SYSTEM_CLOCK
from publishing.db import create_engine, create_sessionmaker
from publishing.search.indexing import rebuild_index
from publishing.search.models import ArticleSearch
from schema import build_schema
from schema.context import Context

LANGUAGES = ("en", "tr", "ru")
QUERY = """
query($query: String!, $language: String!) {
  search(query: $query, language: $language, first: 10) {
    totalCount
    edges { cursor snippet node { id slug title publishedAt } }
  }
}
"""


@dataclass
class Timings:
    milliseconds: list[float] = field(default_factory=list)
    results: list[int] = field(default_factory=list)

    def line(self, label: str) -> str:
        ms = sorted(self.milliseconds)
        if not ms:
            return f"{label:<22} no queries"
        cuts = statistics.quantiles(ms, n=100, method="inclusive")
        return (
            f"{label:<22} n={len(ms):<5} p50={cuts[49]:8.1f} ms  p95={cuts[94]:8.1f} ms  "
            f"p99={cuts[98]:8.1f} ms  max={ms[-1]:8.1f} ms  "
            f"mean hits={statistics.fmean(self.results):,.0f}"
        )


async def _count(engine: AsyncEngine, statement: Any) -> int:
    async with engine.connect() as connection:
        return int(await connection.scalar(statement) or 0)


async def prepare(url: str, stories: int) -> None:
    """Generate up to ``stories`` stories and make sure every article is indexed."""
    engine = create_engine(url)
    try:
        have = await _count(engine, select(func.count(Story.id))) if await _ready(engine) else 0
        if have < stories:
            await generate(url, stories - have)
        articles = await _count(engine, select(func.count(Article.id)))
        indexed = await _count(engine, select(func.count(ArticleSearch.article_id)))
        if indexed != articles:
            started = time.perf_counter()
            async with engine.begin() as connection:
                await connection.run_sync(rebuild_index)
            print(f"indexed {articles:,} articles in {time.perf_counter() - started:,.0f} s")
    finally:
        await engine.dispose()


async def _ready(engine: AsyncEngine) -> bool:
    try:
        await _count(engine, select(func.count(ArticleSearch.article_id)))
    except Exception:  # not migrated yet: the generator migrates it
        return False
    return True


async def queries(url: str, per_language: int, seed: int) -> list[tuple[str, str]]:
    """(language, query) pairs made of words from published titles."""
    rng = random.Random(seed)
    engine = create_engine(url)
    found: list[tuple[str, str]] = []
    try:
        async with engine.connect() as connection:
            for language in LANGUAGES:
                titles = list(
                    await connection.scalars(
                        select(Article.title)
                        .where(
                            Article.language == language,
                            Article.status == ArticleStatus.PUBLISHED,
                        )
                        .order_by(Article.id)
                        .limit(5_000)
                    )
                )
                for i in range(per_language):
                    words = [w for w in rng.choice(titles).split() if len(w) > 3] or ["a"]
                    other = [w for w in rng.choice(titles).split() if len(w) > 3] or ["b"]
                    kind = i % 4
                    if kind == 0:
                        text = rng.choice(words)
                    elif kind == 1:
                        text = f"{rng.choice(words)} {rng.choice(other)}"
                    elif kind == 2:
                        text = f'"{" ".join(words[:2])}"'
                    else:
                        text = f"{rng.choice(words)} -{rng.choice(other)}"
                    found.append((language, text))
    finally:
        await engine.dispose()
    rng.shuffle(found)
    return found


async def measure(url: str, pairs: list[tuple[str, str]]) -> dict[str, Timings]:
    schema = build_schema()
    engine = create_engine(url)
    sessionmaker = create_sessionmaker(engine)
    timings = {language: Timings() for language in ("all", *LANGUAGES)}
    try:
        for language, text in pairs[:10]:  # warm the pool and the caches of the database
            context = Context(
                sessionmaker=sessionmaker, write_sessionmaker=sessionmaker, clock=SYSTEM_CLOCK
            )
            await schema.execute(
                QUERY, {"query": text, "language": language}, context_value=context
            )
            await context.close()
        for language, text in pairs:
            context = Context(
                sessionmaker=sessionmaker, write_sessionmaker=sessionmaker, clock=SYSTEM_CLOCK
            )
            started = time.perf_counter()
            result = await schema.execute(
                QUERY, {"query": text, "language": language}, context_value=context
            )
            await context.close()
            elapsed = (time.perf_counter() - started) * 1000
            if result.errors:
                raise RuntimeError(f"{text!r}: {result.errors}")
            assert result.data is not None
            hits = result.data["search"]["totalCount"]
            for key in ("all", language):
                timings[key].milliseconds.append(elapsed)
                timings[key].results.append(hits)
    finally:
        await engine.dispose()
    return timings


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--sqlite", help="SQLite database file to use (created if missing)")
    parser.add_argument("--postgres", help="PostgreSQL URL of a database to use")
    parser.add_argument("--queries", type=int, default=200, help="per language")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    targets = []
    if args.sqlite:
        targets.append(("SQLite", f"sqlite+aiosqlite:///{args.sqlite}"))
    if args.postgres:
        targets.append(("PostgreSQL", args.postgres))
    if not targets:
        parser.error("give --sqlite, --postgres or both")
    for name, url in targets:
        await prepare(url, args.stories)
        timings = await measure(url, await queries(url, args.queries, args.seed))
        print(f"\n{name}, {args.stories:,} stories x 3 languages: search(first: 10)")
        for key, timing in timings.items():
            print("  " + timing.line(key))


if __name__ == "__main__":
    asyncio.run(main())
