from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from publishing.db import Base, UTCDateTime

# Exactly one of the four targets is set (validation says which is wrong; this keeps it so).
ONE_TARGET = (
    "(CASE WHEN story_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN section_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN tag_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN url IS NULL THEN 0 ELSE 1 END) = 1"
)


class Menu(Base):
    """A named menu ("primary", "footer") in one language; its items are replaced whole."""

    __tablename__ = "menus"
    __table_args__ = (
        UniqueConstraint("name", "language"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    language: Mapped[str] = mapped_column(ForeignKey("languages.code", ondelete="RESTRICT"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class MenuItem(Base):
    """One link of a menu, in order among its siblings, pointing at one thing.

    A story target is the story (any kind): the menu shows its version in the menu's language.
    Targets RESTRICT deletion: the services refuse to delete what a menu shows (IN_MENU)."""

    __tablename__ = "menu_items"
    __table_args__ = (
        CheckConstraint(ONE_TARGET, name="one_target"),
        CheckConstraint("position >= 0", name="position_not_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    menu_id: Mapped[int] = mapped_column(ForeignKey("menus.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("menu_items.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    # Shown instead of the target's title or name.
    label: Mapped[str | None] = mapped_column(String(200))
    story_id: Mapped[int | None] = mapped_column(
        ForeignKey("stories.id", ondelete="RESTRICT"), index=True
    )
    section_id: Mapped[int | None] = mapped_column(
        ForeignKey("sections.id", ondelete="RESTRICT"), index=True
    )
    tag_id: Mapped[int | None] = mapped_column(
        ForeignKey("tags.id", ondelete="RESTRICT"), index=True
    )
    url: Mapped[str | None] = mapped_column(String(2000))
