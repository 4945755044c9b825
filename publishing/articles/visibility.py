"""Who sees what: the one rule every read path applies."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, true

from publishing.articles.models import Article, ArticleStatus


@dataclass(frozen=True, slots=True)
class Visibility:
    """What one reader may see at one moment.

    The public sees an article when it is published and its publication time has come, so
    scheduling needs no background job. Editorial readers see every status.
    """

    now: dt.datetime
    include_unpublished: bool = False

    def clause(self) -> ColumnElement[bool]:
        if self.include_unpublished:
            return true()
        return and_(Article.status == ArticleStatus.PUBLISHED, Article.published_at <= self.now)

    def allows(self, article: Article) -> bool:
        if self.include_unpublished:
            return True
        return (
            article.status is ArticleStatus.PUBLISHED
            and article.published_at is not None
            and article.published_at <= self.now
        )
