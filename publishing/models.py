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
from publishing.db import Base
from publishing.footnotes.models import Footnote, Source
from publishing.languages.models import Language
from publishing.tags.models import Tag, TagName
from publishing.tokens.models import ApiToken, InstanceSecret

__all__ = [
    "ApiToken",
    "Article",
    "ArticleRevision",
    "ArticleStatus",
    "Author",
    "AuthorBio",
    "Base",
    "ContributorCredit",
    "CreditRole",
    "Footnote",
    "InstanceSecret",
    "Language",
    "Source",
    "Story",
    "Tag",
    "TagName",
    "story_tags",
]
