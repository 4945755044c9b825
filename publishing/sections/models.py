from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from publishing.db import Base, UTCDateTime


class Section(Base):
    """A place stories are filed under; a section may sit inside another."""

    __tablename__ = "sections"
    __table_args__ = (
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # A section with sub-sections is not deleted out from under them (nor with stories).
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("sections.id", ondelete="RESTRICT"), index=True
    )
    # An image in use cannot be deleted; the media library lists the section among its uses.
    image_id: Mapped[int | None] = mapped_column(
        ForeignKey("media_assets.id", ondelete="RESTRICT"), index=True
    )
    # Order among its siblings (then by id).
    position: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class SectionTranslation(Base):
    """A section's name, slug and description in one language."""

    __tablename__ = "section_translations"
    __table_args__ = (UniqueConstraint("language", "slug"),)

    section_id: Mapped[int] = mapped_column(
        ForeignKey("sections.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(
        ForeignKey("languages.code", ondelete="RESTRICT"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)


# The sections a story appears in besides its primary one (stories.primary_section_id).
story_sections = Table(
    "story_sections",
    Base.metadata,
    Column("story_id", ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "section_id", ForeignKey("sections.id", ondelete="RESTRICT"), primary_key=True, index=True
    ),
    Column("position", Integer, nullable=False, default=0),
)
