"""Rebuild the search index, and optionally similar posts, after a bulk load.

    python -m publishing.search.rebuild DATABASE_URL [--similar]

The editorial services keep both current on every write; rows written around them (the
benchmark generator, SQL imports) are not indexed until this runs. Each part runs in one
transaction, so readers keep the old index until the new one is complete.
"""

from __future__ import annotations

import argparse
import asyncio
import time

from publishing.db import create_engine
from publishing.search.indexing import rebuild_index
from publishing.similar.computing import rebuild as rebuild_similar


async def rebuild(database_url: str, *, similar: bool = False) -> None:
    engine = create_engine(database_url)
    try:
        started = time.perf_counter()
        async with engine.begin() as connection:
            indexed = await connection.run_sync(rebuild_index)
        print(f"Indexed {indexed:,} articles in {time.perf_counter() - started:,.1f} s.")
        if similar:
            started = time.perf_counter()
            async with engine.begin() as connection:
                scored = await connection.run_sync(rebuild_similar)
            elapsed = time.perf_counter() - started
            print(f"Similar posts of {scored:,} articles in {elapsed:,.1f} s.")
    finally:
        await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database_url")
    parser.add_argument("--similar", action="store_true", help="recompute similar posts too")
    args = parser.parse_args()
    asyncio.run(rebuild(args.database_url, similar=args.similar))


if __name__ == "__main__":
    main()
