from __future__ import annotations

import strawberry
from strawberry.types import Info

from schema.context import Context
from schema.site.types import Site


@strawberry.type
class SiteQueries:
    @strawberry.field(description="The publication: its address, titles and permalink patterns.")
    async def site(self, info: Info[Context, None]) -> Site:
        return Site(_profile=await info.context.site())
