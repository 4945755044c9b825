from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from publishing.media import reading
from publishing.media.models import MediaAsset as MediaAssetModel
from schema.context import Context
from schema.media.types import MediaAssetConnection, MediaKindFilter, media_node
from schema.pagination import Keyset, Page
from schema.permissions import Requires


def _media_key(values: list[Any]) -> int:
    (asset_id,) = values
    if not isinstance(asset_id, int):
        raise TypeError("a media cursor holds an id")
    return asset_id


MEDIA: Keyset[int] = Keyset("media", lambda key: (key,), _media_key)


@strawberry.input(description="Narrows the media library; every part left out matches all.")
class MediaFilter:
    kind: MediaKindFilter | None = None
    media_types: list[str] | None = strawberry.field(
        default=None, description='Any of these media types: ["image/png", "image/jpeg"].'
    )
    uploaded_by: str | None = None
    name_contains: str | None = strawberry.field(
        default=None, description="Part of the file name, in any case."
    )

    def to_domain(self) -> reading.MediaFilter:
        return reading.MediaFilter(
            kinds=() if self.kind is None else (self.kind.value,),
            media_types=tuple(self.media_types or ()),
            uploaded_by=self.uploaded_by,
            name_contains=self.name_contains,
        )


@strawberry.type
class MediaQueries:
    @strawberry.field(
        description="The media library, newest first; `first` from 1 to 100 (default 20). "
        "For editorial tools: a token is required.",
        extensions=[Requires(reading.BROWSE_MEDIA)],
    )
    async def media_assets(
        self,
        info: Info[Context, None],
        first: int | None = None,
        after: str | None = None,
        filter: MediaFilter | None = None,
    ) -> MediaAssetConnection:
        reads = info.context.reads
        page = Page.of(MEDIA, first, after)
        media_filter = reading.MediaFilter() if filter is None else filter.to_domain()
        async with reads.session() as session:
            rows = await reading.list_media(
                session, limit=page.fetch, after=page.after, media_filter=media_filter
            )

        async def count() -> int:
            async with reads.session() as session:
                return await reading.count_media(session, media_filter)

        def key(asset: MediaAssetModel) -> int:
            return asset.id

        return page.connection(MediaAssetConnection, rows, key=key, node=media_node, count=count)
