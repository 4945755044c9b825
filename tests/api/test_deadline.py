"""An operation still running at its request's deadline answers UNAVAILABLE in the response.

``schema.deadline`` relies on two behaviours of Strawberry rather than on its HTTP view's
internals: an async ``on_operation`` hook runs in the task that executes the operation, around
all of it, and an exception a hook raises becomes the operation's one error. These tests hold
both, on a schema of their own, so an upgrade of Strawberry that changes either fails here.
The database-backed case (a hung PostgreSQL) is in tests/hardening/test_database_faults.py.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import strawberry

from schema import build_schema
from schema.deadline import OperationDeadline
from schema.unavailable import MESSAGE, UNAVAILABLE


@dataclass
class Waits:
    """A resolver that waits until told to answer, and what became of its wait."""

    answer: asyncio.Event
    cancelled: bool = False
    deadline: float | None = None


@strawberry.type
class Query:
    @strawberry.field
    async def slow(self, info: strawberry.Info) -> str:
        waits: Waits = info.context
        try:
            await waits.answer.wait()
        except asyncio.CancelledError:
            waits.cancelled = True
            raise
        return "done"


schema = strawberry.Schema(query=Query, extensions=[OperationDeadline])


async def test_an_operation_past_its_deadline_is_cancelled_and_answers_unavailable() -> None:
    loop = asyncio.get_running_loop()
    waits = Waits(asyncio.Event(), deadline=loop.time() + 0.05)
    # Were the deadline not kept, the resolver would answer late rather than hang the test.
    late = loop.call_later(5, waits.answer.set)
    result = await schema.execute("{ slow }", context_value=waits)
    late.cancel()
    assert waits.cancelled
    assert result.data is None
    assert [(e.message, e.extensions) for e in result.errors or ()] == [
        (MESSAGE, {"code": UNAVAILABLE})
    ]


async def test_an_operation_that_ends_in_time_answers_as_usual() -> None:
    waits = Waits(asyncio.Event(), deadline=asyncio.get_running_loop().time() + 60)
    waits.answer.set()
    result = await schema.execute("{ slow }", context_value=waits)
    assert result.errors is None and result.data == {"slow": "done"}
    assert not waits.cancelled


async def test_without_a_deadline_nothing_is_bounded() -> None:
    waits = Waits(asyncio.Event())
    asyncio.get_running_loop().call_later(0.05, waits.answer.set)
    result = await schema.execute("{ slow }", context_value=waits)
    assert result.data == {"slow": "done"}


def test_the_api_schema_bounds_every_operation_first() -> None:
    # Outermost, so the deadline covers the guards and every other extension too.
    assert build_schema().extensions[0] is OperationDeadline
