from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from publishing.db import Base, UTCDateTime


class Author(Base):
    __tablename__ = "authors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    avatar_url: Mapped[str | None] = mapped_column(String(2000))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    bios: Mapped[list[AuthorBio]] = relationship(
        back_populates="author", cascade="all, delete-orphan", passive_deletes=True
    )


class AuthorBio(Base):
    __tablename__ = "author_bios"

    author_id: Mapped[int] = mapped_column(
        ForeignKey("authors.id", ondelete="CASCADE"), primary_key=True
    )
    # A language stays enabled while content uses it.
    language: Mapped[str] = mapped_column(
        ForeignKey("languages.code", ondelete="RESTRICT"), primary_key=True
    )
    markdown: Mapped[str] = mapped_column(Text)

    author: Mapped[Author] = relationship(back_populates="bios")
