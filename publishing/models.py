"""Every mapped class, imported once so ``Base.metadata`` is complete (alembic, tests)."""

from publishing.articles.models import (
    Article,
    ArticleRevision,
    ArticleStatus,
    ContributorCredit,
    CreditRole,
    Story,
    story_tags,
)
from publishing.authors.models import Author, AuthorBio
from publishing.changes.models import ContentChange
from publishing.db import Base
from publishing.footnotes.models import Footnote, Source
from publishing.imports.models import ImportedMedia, ImportRecord
from publishing.languages.models import Language
from publishing.media.models import (
    ArticleAttachment,
    ArticleFeaturedImage,
    AuthorAvatar,
    MediaAsset,
    MediaKind,
    MediaText,
)
from publishing.menus.models import Menu, MenuItem
from publishing.search.models import ArticleSearch
from publishing.sections.models import Section, SectionTranslation, story_sections
from publishing.seo.models import ArticleSeo, AuthorSeo, SectionSeo, TagSeo
from publishing.similar.models import RelatedArticle, SimilarArticle
from publishing.site.models import ArticleSchemaType, PermalinkPattern, Site, SiteText
from publishing.tags.models import Tag, TagName
from publishing.tokens.models import ApiToken, InstanceSecret
from publishing.translations.machine_marks import MachineSegment
from publishing.translations.tasks.models import TranslationTask
from publishing.webhooks.models import PublicationMarker, Webhook, WebhookDelivery, WebhookEvent

__all__ = [
    "ApiToken",
    "Article",
    "ArticleAttachment",
    "ArticleFeaturedImage",
    "ArticleRevision",
    "ArticleSchemaType",
    "ArticleSearch",
    "ArticleSeo",
    "ArticleStatus",
    "Author",
    "AuthorAvatar",
    "AuthorBio",
    "AuthorSeo",
    "Base",
    "ContentChange",
    "ContributorCredit",
    "CreditRole",
    "Footnote",
    "ImportRecord",
    "ImportedMedia",
    "InstanceSecret",
    "Language",
    "MachineSegment",
    "MediaAsset",
    "MediaKind",
    "MediaText",
    "Menu",
    "MenuItem",
    "PermalinkPattern",
    "PublicationMarker",
    "RelatedArticle",
    "Section",
    "SectionSeo",
    "SectionTranslation",
    "SimilarArticle",
    "Site",
    "SiteText",
    "Source",
    "Story",
    "Tag",
    "TagName",
    "TagSeo",
    "TranslationTask",
    "Webhook",
    "WebhookDelivery",
    "WebhookEvent",
    "story_sections",
    "story_tags",
]
