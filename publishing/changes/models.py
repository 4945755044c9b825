from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer, Text
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
