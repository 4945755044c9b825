"""Fair sharing: budgets of cost points per client, and a lane for heavy operations.

Both act on an operation once it is validated and its cost estimated (schema.guards), before
it executes:

- **Budgets.** The request's ``Budget`` (made by the HTTP edge for its token or client address)
  is charged the estimate. When it holds less, the operation does not run: its one error has
  ``extensions.code = "THROTTLED"`` and says when enough points will have come back; the edge
  answers it with HTTP 429 and ``Retry-After``. The estimate is what is charged: the cost of
  what an operation actually returned is not measured afterwards.
- **The heavy lane.** An operation estimated above ``HeavyLane.threshold`` takes one of its
  ``concurrency`` places first, waiting in a queue of at most ``queue`` operations (the wait
  counts against the request's deadline, schema.deadline); with the queue full it is refused
  with ``OVERLOADED`` (HTTP 503 with ``Retry-After``). Lighter operations never wait there.
- **Executed apart.** A heavy query, once it has its place, executes on a ``HeavyExecutor``:
  an event loop of its own with database engines of its own (api.heavy), so the slices of
  CPU work it takes (building and resolving thousands of objects) never hold up the loop
  serving the light operations. Its result comes back to the request, which goes on as if
  the operation had executed here: errors, masking, ``extensions.cost``; cutting the request
  off at its deadline cancels the work there. Mutations execute where they arrive: they use
  the request's media storage, which belongs to the serving loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
from collections import deque
from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass
from inspect import isawaitable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from graphql import ExecutionResult, GraphQLError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from strawberry.execution import optimized_is_awaitable
from strawberry.schema._graphql_core import execution_context_class_kwargs
from strawberry.types import ExecutionContext

if TYPE_CHECKING:
    from schema.context import Context

T = TypeVar("T")
Sessionmaker = async_sessionmaker[AsyncSession]

THROTTLED = "THROTTLED"
OVERLOADED = "OVERLOADED"
# Seconds a client refused by a full heavy lane is told to wait.
OVERLOADED_RETRY_AFTER = 1


@dataclass(frozen=True, slots=True)
class ThrottleStatus:
    """A budget as a client sees it, named as Shopify names it in ``extensions.cost``."""

    maximum: int
    available: float
    restore_rate: float

    def as_extension(self) -> dict[str, Any]:
        return {
            "maximumAvailable": self.maximum,
            # Whole points: a budget refills continuously, fractions say nothing useful.
            "currentlyAvailable": math.floor(self.available),
            # 50, not 50.0, when whole, as clients written against Shopify expect.
            "restoreRate": (
                int(self.restore_rate)
                if float(self.restore_rate).is_integer()
                else self.restore_rate
            ),
        }


@dataclass(frozen=True, slots=True)
class Charge:
    """What charging a budget gave: admitted or not, and the budget after it."""

    admitted: bool
    status: ThrottleStatus
    # Seconds until the budget holds what was asked (0 when admitted).
    wait: float = 0.0

    @property
    def retry_after(self) -> int:
        """``wait`` in whole seconds, rounded up, as HTTP's Retry-After takes it."""
        return max(1, math.ceil(self.wait - 1e-9)) if not self.admitted else 0


class Budget(Protocol):
    """The budget of the client behind one request."""

    async def charge(self, cost: int) -> Charge | None:
        """Take ``cost`` points if the budget holds them; None when no budget can be kept
        (its store is unreachable): the operation runs, unlimited."""
        ...


def throttled(charge: Charge, cost: int) -> GraphQLError:
    return GraphQLError(
        f"Throttled: this operation costs {cost:,} points and your budget holds "
        f"{math.floor(charge.status.available):,} of {charge.status.maximum:,}; it refills at "
        f"{charge.status.restore_rate:g} points a second. Retry in {charge.retry_after} s.",
        extensions={"code": THROTTLED, "retryAfter": charge.retry_after},
    )


class Overloaded(Exception):
    """The heavy lane and its queue are full."""


def overloaded(threshold: int) -> GraphQLError:
    return GraphQLError(
        "Overloaded: too many expensive operations (estimated cost above "
        f"{threshold:,}) are running or waiting on this server. Retry in "
        f"{OVERLOADED_RETRY_AFTER} s, or ask for fewer items.",
        extensions={"code": OVERLOADED, "retryAfter": OVERLOADED_RETRY_AFTER},
    )


class HeavyLane:
    """At most ``concurrency`` heavy operations at once in this process, ``queue`` more
    waiting, first come first served."""

    def __init__(self, *, threshold: int, concurrency: int, queue: int) -> None:
        self.threshold = threshold
        self.concurrency = concurrency
        self.queue = queue
        self.running = 0
        self._waiting: deque[asyncio.Future[None]] = deque()

    @property
    def waiting(self) -> int:
        return len(self._waiting)

    def is_heavy(self, cost: int) -> bool:
        return cost > self.threshold

    @property
    def full(self) -> bool:
        """Whether an operation arriving now would be refused."""
        return self.running >= self.concurrency and len(self._waiting) >= self.queue

    @contextlib.asynccontextmanager
    async def place(
        self, first: Callable[[], Coroutine[Any, Any, None]] | None = None
    ) -> AsyncIterator[None]:
        """Hold a place while the block runs; raises Overloaded when none can be waited for.

        ``first`` runs once a place or a place in the queue is taken, before waiting for the
        turn (charging the budget: an operation refused here is never charged, however many
        arrive at once); what it raises gives the place up and propagates."""
        turn: asyncio.Future[None] | None = None
        if self.running < self.concurrency and not self._waiting:
            self.running += 1
        else:
            if len(self._waiting) >= self.queue:
                raise Overloaded
            turn = asyncio.get_running_loop().create_future()
            self._waiting.append(turn)
        try:
            if first is not None:
                await first()
            if turn is not None:
                await turn  # handed over by a finishing operation, already counted running
        except BaseException:
            if turn is None or (turn.done() and not turn.cancelled()):
                self._release()  # running, or handed over just as the wait was cut off
            else:
                self._waiting.remove(turn)
            raise
        try:
            yield
        finally:
            self._release()

    def _release(self) -> None:
        while self._waiting:
            turn = self._waiting.popleft()
            if not turn.done():
                turn.set_result(None)  # the place goes to it: `running` stays the same
                return
        self.running -= 1


class HeavyExecutor(Protocol):
    """Where heavy queries execute: an event loop apart from the one serving requests, with
    its own read and write sessionmakers (an async engine belongs to the loop it is used on)."""

    async def run(self, work: Callable[[Sessionmaker, Sessionmaker], Coroutine[Any, Any, T]]) -> T:
        """``work(read, write)`` on that loop; its result or exception comes back to the
        caller. Cancelling the caller's wait cancels the work."""
        ...


async def execute_apart(execution: ExecutionContext, executor: HeavyExecutor) -> ExecutionResult:
    """Execute the validated operation of ``execution`` on ``executor``, as Strawberry executes
    it in the request (same executor class and arguments; none of the schema's extensions
    hooks into resolvers, so no middleware), with the request's context bound to the
    executor's sessionmakers."""
    strawberry_schema = execution.schema
    document = execution.graphql_document
    assert document is not None
    context: Context = execution.context
    serving = asyncio.get_running_loop()

    async def execute(read: Sessionmaker, write: Sessionmaker) -> ExecutionResult:
        apart = context.apart(read, write, serving)
        try:
            result = strawberry_schema._get_execute_function()(
                strawberry_schema._schema,
                document,
                root_value=execution.root_value,
                middleware=None,
                variable_values=execution.variables,
                operation_name=execution.operation_name,
                context_value=apart,
                is_awaitable=optimized_is_awaitable,
                **execution_context_class_kwargs(strawberry_schema.execution_context_class),
                **strawberry_schema._get_custom_context_kwargs(execution.operation_extensions),
            )
            executed: ExecutionResult = await result if isawaitable(result) else result
            return executed
        finally:
            await apart.close()

    return await executor.run(execute)
