from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Integer, String, Text, true
from sqlalchemy.orm import Mapped, mapped_column

from publishing.db import Base, UTCDateTime


class ContentChange(Base):
    """One committed write, named by the surrogate keys it touched.

    Rows are appended in commit order (writers take a lock first), so a reader that has seen
    every id up to N has seen every change committed before N's.
    """

    __tablename__ = "content_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    # Space-separated surrogate keys ("article:12 story:4 articles:en"); "*" for everything.
    keys: Mapped[str] = mapped_column(Text)
    # The article (or page) the change was about, for live subscriptions: its id (kept after
    # a deletion), what happened to it, its language and story kind. None for other writes.
    article_id: Mapped[int | None] = mapped_column(Integer)
    event: Mapped[str | None] = mapped_column(String(16))
    language: Mapped[str | None] = mapped_column(String(35))
    story_kind: Mapped[str | None] = mapped_column(String(16))
    # Whether public readers could see the change (a draft's edits: no; its publication: yes).
    public: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
