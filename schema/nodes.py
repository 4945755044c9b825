"""Relay's ``node`` and ``nodes``: any public object by its global ID."""

from __future__ import annotations

from collections import defaultdict

import strawberry
from strawberry import relay
from strawberry.types import Info

from schema.articles.types import Article
from schema.authors.types import Author
from schema.context import Context
from schema.errors import UserInputError
from schema.media.types import Document, Image
from schema.pages.types import Page
from schema.sections.types import Section
from schema.tags.types import Tag

NODE_TYPES: dict[str, type[relay.Node]] = {
    "Article": Article,
    "Author": Author,
    "Tag": Tag,
    "Image": Image,
    "Document": Document,
    "Page": Page,
    "Section": Section,
}
MAX_NODES = 100


def _parse(raw: str) -> tuple[str, str]:
    try:
        global_id = relay.GlobalID.from_id(raw)
    except Exception as exc:  # any undecodable value: the message below says what is wanted
        raise UserInputError(
            f"{raw[:60]!r} is not a global ID; pass an `id` this API returned.", argument="id"
        ) from exc
    return global_id.type_name, global_id.node_id


async def _resolve(info: Info[Context, None], raws: list[str]) -> list[relay.Node | None]:
    parsed = [_parse(raw) for raw in raws]
    wanted: dict[str, list[str]] = defaultdict(list)
    for type_name, node_id in parsed:
        # Unknown types and non-numeric ids name nothing: null, as for a deleted object.
        if type_name in NODE_TYPES and node_id.isdigit():
            wanted[type_name].append(node_id)
    found: dict[tuple[str, str], relay.Node | None] = {}
    for type_name, ids in wanted.items():
        nodes = await NODE_TYPES[type_name].resolve_nodes(info=info, node_ids=ids)
        found.update(((type_name, i), n) for i, n in zip(ids, nodes, strict=True))
    return [found.get(key) for key in parsed]


@strawberry.type
class NodeQueries:
    @strawberry.field(description="Any public object by its global ID; null when none is visible.")
    async def node(self, info: Info[Context, None], id: strawberry.ID) -> relay.Node | None:
        return (await _resolve(info, [str(id)]))[0]

    @strawberry.field(description="Several objects by global ID, in order (at most 100).")
    async def nodes(
        self, info: Info[Context, None], ids: list[strawberry.ID]
    ) -> list[relay.Node | None]:
        if len(ids) > MAX_NODES:
            raise UserInputError(f"`ids` may hold at most {MAX_NODES} IDs.", argument="ids")
        return await _resolve(info, [str(i) for i in ids])
