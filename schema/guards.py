"""Limits on what one GraphQL operation may ask for: depth, aliases, tokens and estimated cost.

Depth, aliases and cost (schema.estimate) are measured before the operation is validated or
executed. Strawberry's own QueryDepthLimiter and MaxAliasesLimiter walk a fragment again at
every spread, so fragments that spread the next one twice make them take exponential time (16
such levels took 0.2 s; each further level doubles it); the estimate visits each fragment
once. Validation then only runs on documents whose expanded size the cost limit bounds.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import Any

from graphql import ExecutionResult, GraphQLError, get_variable_values
from graphql.execution.values import VariableValues
from strawberry.extensions import DisableIntrospection, MaxTokensLimiter, SchemaExtension
from strawberry.types.graphql import OperationType

from schema.estimate import (
    MAX_NESTING,
    UNBOUNDED_LIST_SIZE,
    Estimate,
    NestedTooDeeply,
    estimate,
    pick_operation,
)
from schema.fairness import (
    Budget,
    Charge,
    HeavyExecutor,
    HeavyLane,
    Overloaded,
    execute_apart,
    overloaded,
    throttled,
)
from schema.pagination import DEFAULT_PAGE_SIZE


@dataclass(frozen=True, slots=True)
class QueryLimits:
    """What one operation may ask for; every value comes from settings."""

    max_depth: int = 15
    max_aliases: int = 30
    max_tokens: int = 5_000
    max_cost: int = 50_000


def _limit_error(code: str, message: str, limit: int, requested: int) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code, "limit": limit, "requested": requested})


def violation(found: Estimate, limits: QueryLimits) -> GraphQLError | None:
    """The first limit ``found`` exceeds, as the error the client gets; None if within all."""
    if found.depth > limits.max_depth:
        return _limit_error(
            "MAX_DEPTH_EXCEEDED",
            f"Query depth limit exceeded: the operation nests fields {found.depth} levels "
            f"deep; the limit is {limits.max_depth}.",
            limits.max_depth,
            found.depth,
        )
    if found.aliases > limits.max_aliases:
        return _limit_error(
            "MAX_ALIASES_EXCEEDED",
            f"Alias limit exceeded: the operation uses {found.aliases:,} aliases (counting "
            f"each fragment spread); the limit is {limits.max_aliases:,}.",
            limits.max_aliases,
            found.aliases,
        )
    if found.cost > limits.max_cost:
        return _limit_error(
            "MAX_COST_EXCEEDED",
            f"Query cost limit exceeded: the estimated cost is {found.cost:,}; the limit is "
            f"{limits.max_cost:,}. Every field costs 1 and a list multiplies what it holds by "
            f"its `first` ({DEFAULT_PAGE_SIZE} when not given; {UNBOUNDED_LIST_SIZE} for "
            "lists without `first`): ask for fewer items or fewer fields.",
            limits.max_cost,
            found.cost,
        )
    return None


class QueryGuard(SchemaExtension):
    """Refuses an operation over a limit before validation; charges a valid one to its
    client's budget, queues a heavy one before execution and executes a heavy query apart
    (schema.fairness); reports every
    estimate, and the budget, in the response's `extensions.cost`, as GitHub and Shopify do.

    The estimate counts the variables as execution will see them, so the guard coerces them
    itself; when they cannot be coerced, it answers their errors in place of executing
    (as graphql-core would, but without suggestions when ``hide_suggestions``)."""

    def __init__(self, limits: QueryLimits, *, hide_suggestions: bool = False) -> None:
        self.limits = limits
        self.hide_suggestions = hide_suggestions
        self.estimate: Estimate | None = None
        # What the client's budget said when charged (schema.fairness), and whether to tell.
        self.charge: Charge | None = None
        self.report = False
        self.variable_errors: list[GraphQLError] = []

    def on_operation(self) -> Iterator[None]:
        try:
            yield
        except GraphQLError as error:
            self._name_token_limit(error)
            raise
        for error in self.execution_context.pre_execution_errors or ():
            self._name_token_limit(error)

    def _name_token_limit(self, error: GraphQLError) -> None:
        # The parser enforces the token limit; give its error a code like the other limits.
        if "tokens. Parsing aborted" in error.message and not error.extensions:
            error.extensions = {"code": "MAX_TOKENS_EXCEEDED", "limit": self.limits.max_tokens}

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is not None:
            try:
                self.estimate = estimate(
                    context.schema._schema,
                    context.graphql_document,
                    context.operation_name,
                    self._coerce_variables(),
                )
            except NestedTooDeeply:
                raise _limit_error(
                    "MAX_DEPTH_EXCEEDED",
                    "Query depth limit exceeded: selections and fragment spreads are nested "
                    f"more than {MAX_NESTING} levels deep.",
                    MAX_NESTING,
                    MAX_NESTING + 1,
                ) from None
            refused = None if self.estimate is None else violation(self.estimate, self.limits)
            if refused is not None:
                # Raised, not recorded: a validation cache later in line would overwrite it.
                raise refused
        yield

    def _coerce_variables(self) -> VariableValues | None:
        """The operation's variables as execution coerces them; None (errors kept for
        on_execute) when they cannot be, or when no operation can be picked."""
        context = self.execution_context
        assert context.graphql_document is not None
        operation = pick_operation(context.graphql_document, context.operation_name)
        if operation is None:
            return None
        coerced = get_variable_values(
            context.schema._schema,
            operation.variable_definitions or (),
            context.variables or {},
            hide_suggestions=self.hide_suggestions,
        )
        if isinstance(coerced, list):
            self.variable_errors = coerced
            return None
        return coerced

    async def on_execute(self) -> AsyncIterator[None]:
        if self.variable_errors:
            # Set as the result, execution is skipped: the operation answers these errors,
            # and costs the client nothing.
            self.execution_context.result = ExecutionResult(None, self.variable_errors)
            yield
            return
        # Valid and within the limits: the client's budget pays for it; a heavy operation
        # takes its place in the lane (or in its queue) first (schema.fairness).
        context = self.execution_context.context
        budget: Budget | None = getattr(context, "budget", None)
        lane: HeavyLane | None = getattr(context, "heavy_lane", None)
        cost = self.estimate.cost if self.estimate is not None else 0

        async def pay() -> None:
            if budget is not None and self.estimate is not None:
                self.charge = await budget.charge(cost)
                self.report = getattr(context, "report_budget", True)
                if self.charge is not None and not self.charge.admitted:
                    raise throttled(self.charge, cost)

        if lane is None or not lane.is_heavy(cost):
            await pay()
            yield
            return
        async with contextlib.AsyncExitStack() as held:
            try:
                # Paid for once its place is taken: refused for want of one, it costs the
                # client nothing, even while the budget's store answers (Redis) others
                # arriving at the same time are placed.
                await held.enter_async_context(lane.place(first=pay))
            except Overloaded:
                raise overloaded(lane.threshold) from None
            executor: HeavyExecutor | None = getattr(context, "heavy_executor", None)
            execution = self.execution_context
            if executor is not None and execution.operation_type is OperationType.QUERY:
                # Executed on the executor's loop; set as the result, Strawberry takes it as
                # its own execution's.
                execution.result = await execute_apart(execution, executor)
            yield

    def get_results(self) -> dict[str, Any]:
        if self.estimate is None:
            return {}
        cost: dict[str, Any] = {"requested": self.estimate.cost, "limit": self.limits.max_cost}
        if self.charge is not None and self.report:
            cost["throttleStatus"] = self.charge.status.as_extension()
        return {"cost": cost}


def guard_extensions(
    limits: QueryLimits, *, introspection: bool = True, hide_suggestions: bool = False
) -> list[Callable[[], SchemaExtension]]:
    """The guards, as factories (a fresh extension per request); they go first in line."""
    extensions: list[Callable[[], SchemaExtension]] = [
        lambda: QueryGuard(limits, hide_suggestions=hide_suggestions),
        lambda: MaxTokensLimiter(max_token_count=limits.max_tokens),
    ]
    if not introspection:
        extensions.append(DisableIntrospection)
    return extensions
