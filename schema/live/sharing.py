"""One execution per change for every subscriber who asked the same thing.

A change may reach a thousand subscribers at once, and executing their selection on it is
most of what delivering it costs. Subscribers of one kind (public readers, or token holders
of one role: they see the same articles) who sent the same document with the same variables
get the same answer, so the first one's execution serves them all: each event payload
carries a table of the answers computed for it (``SharedResults``), and the executor looks
there before executing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from graphql import ExecutionResult

from schema.characters import CheckedExecution


class SharedResults:
    """Answers computed for one event payload, by (operation, variables, reader kind)."""

    def __init__(self) -> None:
        self.answers: dict[tuple[int, str, str], tuple[Any, asyncio.Future[Any]]] = {}


class SharedEventExecution(CheckedExecution):
    def execute_operation(self, *args: Any, **kwargs: Any) -> Any:
        shared = getattr(self.root_value, "shared_results", None)
        if not isinstance(shared, SharedResults):
            return super().execute_operation(*args, **kwargs)
        actor = getattr(self.context_value, "actor", None)
        reader = "public" if actor is None else f"role:{actor.role.value}"
        variables = getattr(self.variable_values, "coerced", self.variable_values)
        key = (id(self.operation), repr(sorted(variables.items())), reader)
        found = shared.answers.get(key)
        # The operation is kept with its answer, so its id cannot be another's meanwhile.
        if found is None or found[0] is not self.operation:
            outcome = super().execute_operation(*args, **kwargs)
            answer: asyncio.Future[Any] = asyncio.ensure_future(_settled(outcome))
            found = (self.operation, answer)
            shared.answers[key] = found
        return _copy_of(found[1])


async def _settled(outcome: Awaitable[Any] | Any) -> Any:
    return await outcome if isinstance(outcome, Awaitable) else outcome


async def _copy_of(answer: asyncio.Future[Any]) -> Any:
    result = await asyncio.shield(answer)
    if isinstance(result, ExecutionResult):
        # Each subscriber's copy: Strawberry sets extensions on the result it is handed.
        return ExecutionResult(result.data, result.errors, result.extensions)
    return result
