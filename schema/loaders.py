"""Per-request DataLoaders: one batched statement per relation, whatever the page size.

Each batch runs as its own task; batches take the request's read session in turn (see
schema.reads and the AsyncSession trap in the stack notes), never at the same time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable, Mapping, Sequence
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from publishing.access import Actor
from publishing.articles import reading as articles
from publishing.articles.models import StoryKind
from publishing.articles.visibility import Visibility
from publishing.authors import reading as authors
from publishing.media import reading as media
from publishing.media.usage import usages_by_media
from publishing.sections import reading as sections
from publishing.seo import reading as seo
from publishing.similar import reading as similar
from publishing.tags import reading as tags
from publishing.translations import machine_marks
from publishing.translations.exchange import snapshots_by_version
from publishing.webhooks import subscriptions as webhooks
from publishing.webhooks.subscriptions import DeliveryView
from schema.reads import Reads

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Loaders:
    def __init__(self, reads: Reads, visibility: Visibility, reader: Actor | None) -> None:
        self.reads = reads
        self.visibility = visibility
        v = visibility
        self.article_by_id = self._loader(
            lambda s, ids: articles.articles_by_id(s, ids, v), default=None
        )
        self.page_by_id = self._loader(
            lambda s, ids: articles.articles_by_id(s, ids, v, StoryKind.PAGE), default=None
        )
        self.versions_by_story = self._loader(articles.versions_by_story, default=[])
        self.footnotes_by_article = self._loader(articles.footnotes_by_article, default=[])
        self.credits_by_article = self._loader(articles.credits_by_article, default=[])
        self.tags_by_story = self._loader(tags.tags_by_story, default=[])
        self.tag_by_id = self._loader(tags.tags_by_id, default=None)
        self.section_by_id = self._loader(sections.sections_by_id, default=None)
        self.sections_by_parent = self._loader(sections.children_by_section, default=[])
        self.breadcrumbs_by_section = self._loader(sections.breadcrumbs_by_section, default=[])
        self.sections_by_story = self._loader(
            sections.sections_by_story, default=sections.StorySections(None, [])
        )
        self.author_by_id = self._loader(authors.authors_by_id, default=None)
        self.bios_by_author = self._loader(authors.bios_by_author, default={})
        self.media_by_id = self._loader(media.media_by_id, default=None)
        self.texts_by_media = self._loader(media.texts_by_media, default={})
        self.featured_image_by_article = self._loader(
            media.featured_images_by_article, default=None
        )
        self.avatar_by_author = self._loader(media.avatars_by_author, default=None)
        self.attachments_by_article = self._loader(media.attachments_by_article, default=[])
        # SEO overrides with their social images: an article version's, or every language's
        # of an author, a tag or a section.
        self.seo_by_article = self._loader(seo.article_seo_by_article, default=None)
        self.seo_by_author = self._loader(
            lambda s, ids: seo.localized_seo_by_owner(s, seo.AUTHOR_SEO, ids), default={}
        )
        self.seo_by_tag = self._loader(
            lambda s, ids: seo.localized_seo_by_owner(s, seo.TAG_SEO, ids), default={}
        )
        self.seo_by_section = self._loader(
            lambda s, ids: seo.localized_seo_by_owner(s, seo.SECTION_SEO, ids), default={}
        )
        self.usages_by_media = self._loader(usages_by_media, default=[])
        # Keys are (article id, version): what translations were made from, in one statement.
        self.snapshot_by_version = self._loader(snapshots_by_version, default=None)
        self.machine_segments_by_article = self._loader(machine_marks.marks_by_article, default=[])
        self.revisions_by_article = self._loader(
            lambda s, ids: articles.revisions_by_article(s, ids, reader), default=[]
        )
        # Keys are (article id, how many): a page's similar posts come in one statement.
        self.similar_by_article = self._loader(
            lambda s, keys: similar.similar_by_article(s, keys, v), default=[]
        )
        # Keys are (webhook id, how many, older than which delivery).
        self.recent_deliveries = self._loader(_recent_deliveries, default=[])
        self.delivery_counts = self._loader(webhooks.delivery_counts, default=0)

    def _loader(
        self,
        fetch: Callable[[AsyncSession, Sequence[K]], Awaitable[Mapping[K, V]]],
        *,
        default: V,
    ) -> DataLoader[K, V]:
        async def load(keys: list[K]) -> list[V]:
            async with self.reads.session() as session:
                found = await fetch(session, keys)
            return [found.get(key, default) for key in keys]

        return DataLoader(load_fn=load)


async def _recent_deliveries(
    session: AsyncSession, keys: Sequence[tuple[int, int, int | None]]
) -> dict[tuple[int, int, int | None], list[DeliveryView]]:
    pages: dict[tuple[int, int | None], list[int]] = defaultdict(list)
    for webhook_id, limit, before in keys:
        pages[limit, before].append(webhook_id)
    found: dict[tuple[int, int, int | None], list[DeliveryView]] = {}
    # One statement per distinct page: a listing of webhooks asks for the same first page.
    for (limit, before), ids in pages.items():
        views = await webhooks.recent_deliveries(session, ids, limit, before)
        found.update(((i, limit, before), views.get(i, [])) for i in ids)
    return found
