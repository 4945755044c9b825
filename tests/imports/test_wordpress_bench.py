"""The import benchmark runs: a small generated export imports, and again changes nothing."""

from __future__ import annotations

import asyncio

from bench.wordpress import run
from migrations import upgrade


def test_the_import_benchmark_runs_end_to_end(empty_url: str) -> None:
    upgrade(empty_url)
    result = asyncio.run(run(empty_url, 12))
    assert result.created >= 12
    assert result.unchanged_again == result.created
    assert set(result.first) >= {"read", "total"} and result.first["total"] > 0
