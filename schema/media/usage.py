"""What uses a media asset, for editorial tools: the same list deleteMedia's refusal names.

``MediaAsset.usage`` (schema.media.types) gives it on each asset, batched for a page of the
media library; ``mediaUsage(id)`` is the older, one-asset query, kept for its clients."""

from __future__ import annotations

import strawberry
from strawberry import relay
from strawberry.types import Info

from publishing.media import reading
from publishing.media.editing import Usage
from publishing.media.usage import find_usages
from schema.context import Context
from schema.mutations import decode_one
from schema.permissions import Requires


# A usage's kind is its GraphQL type's name in lower case ("article", "author"; "page" and
# "section" to come), so a new kind needs no entry here.
def _type_name(kind: str) -> str:
    return kind[:1].upper() + kind[1:]


@strawberry.type(description="Something that shows a media asset.")
class MediaUsage:
    kind: str = strawberry.field(
        description='What uses it: "article", "page", "author", "tag" or "section" today; more '
        "kinds of content may come, so treat this as an open list."
    )
    id: strawberry.ID = strawberry.field(
        description="The global ID of what uses it (an Article, Page, Author, Tag or Section)."
    )
    field: str = strawberry.field(
        description='Where it shows the asset: "featuredImage", "attachments", "body", "avatar", '
        '"image" (a section\'s) or "seo.socialImage" today; an open list too.'
    )
    label: str = strawberry.field(description="For people: a title and language, or a name.")

    @classmethod
    def from_domain(cls, usage: Usage) -> MediaUsage:
        global_id = relay.GlobalID(_type_name(usage.kind), str(usage.id))
        return cls(
            kind=usage.kind, id=strawberry.ID(str(global_id)), field=usage.field, label=usage.label
        )


def asset_id(value: strawberry.ID) -> int:
    """The database id in the global ID of an Image or a Document."""
    try:
        type_name = relay.GlobalID.from_id(str(value)).type_name
    except Exception:  # undecodable: decode_one reports it
        type_name = "Image"
    return decode_one(value, "Document" if type_name == "Document" else "Image")


@strawberry.type
class MediaUsageQueries:
    @strawberry.field(
        description="What uses an Image or Document (deleteMedia is refused while anything "
        "does). For editorial tools: a token is required.",
        extensions=[Requires(reading.BROWSE_MEDIA)],
        deprecation_reason="Ask the asset itself: `node(id: $id) { ... on MediaAsset { usage "
        "{ kind id field label } } }`, which also lists usage for a whole media library page.",
    )
    async def media_usage(self, info: Info[Context, None], id: strawberry.ID) -> list[MediaUsage]:
        database_id = asset_id(id)
        async with info.context.reads.session() as session:
            found = await find_usages(session, database_id)
        return [MediaUsage.from_domain(usage) for usage in found]
