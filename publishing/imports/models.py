from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from publishing.db import Base, UTCDateTime


class ImportRecord(Base):
    """What one object of another system (a WordPress post, user, term or menu) became here.

    Keyed on the system, the site and the object's own id there, so importing the same export
    again finds what it wrote before, and two sites never collide. ``fingerprint`` is a hash
    of the source object as last imported: equal means nothing to do.
    """

    __tablename__ = "import_records"
    __table_args__ = (
        UniqueConstraint("system", "site", "kind", "external_id"),
        # Exactly one target; CASE keeps the arithmetic portable (SQLite and PostgreSQL).
        CheckConstraint(
            "(CASE WHEN article_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN author_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN tag_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN section_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN menu_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_target",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    system: Mapped[str] = mapped_column(String(50))  # "wordpress"
    site: Mapped[str] = mapped_column(String(500))  # the exporting site's base URL
    kind: Mapped[str] = mapped_column(String(20))  # "post", "author", "term", "section", "menu"
    external_id: Mapped[str] = mapped_column(String(200))
    # Deleting the target deletes its record: a later import brings the object back.
    article_id: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("authors.id", ondelete="CASCADE"), index=True
    )
    tag_id: Mapped[int | None] = mapped_column(
        ForeignKey("tags.id", ondelete="CASCADE"), index=True
    )
    section_id: Mapped[int | None] = mapped_column(
        ForeignKey("sections.id", ondelete="CASCADE"), index=True
    )
    menu_id: Mapped[int | None] = mapped_column(
        ForeignKey("menus.id", ondelete="CASCADE"), index=True
    )
    fingerprint: Mapped[str | None] = mapped_column(String(64))
    # The article's (or menu's) version the import left: a different one means an editor
    # changed it here since, and the import does not overwrite that.
    target_version: Mapped[int | None] = mapped_column(Integer)
    imported_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class ImportedMedia(Base):
    """One file of another system (a WordPress attachment, or an upload a body shows that no
    attachment item describes) and the media asset it became, or why it has not yet.

    Keyed like ``ImportRecord``; ``asset_id`` is None while the file is pending (unreachable,
    refused, missing from the copied folder): ``failure`` says why, and every import tries
    it again. Deleting the asset deletes the row, so a later import fetches the file anew.
    """

    __tablename__ = "imported_media"
    __table_args__ = (
        UniqueConstraint("system", "site", "external_id"),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    system: Mapped[str] = mapped_column(String(50))
    site: Mapped[str] = mapped_column(String(500))
    # "attachment:611", or for an upload known only by its address "url:" and the SHA-256
    # of its host and path (addresses can be longer than a key should be).
    external_id: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(Text)  # the address it is fetched from
    asset_id: Mapped[int | None] = mapped_column(
        ForeignKey("media_assets.id", ondelete="CASCADE"), index=True
    )
    failure: Mapped[str | None] = mapped_column(String(500))  # why it is pending
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # failed tries so far
    imported_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
