from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from publishing.db import Base, UTCDateTime, portable_enum


class MediaKind(enum.StrEnum):
    IMAGE = "IMAGE"
    DOCUMENT = "DOCUMENT"
    # Allowed by the table now, so adding them later needs no constraint change.
    AUDIO = "AUDIO"
    VIDEO = "VIDEO"


class MediaAsset(Base):
    """One uploaded file: what it is, where its bytes are, and what editors said about it."""

    __tablename__ = "media_assets"
    __table_args__ = (
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint("byte_size >= 0", name="byte_size_not_negative"),
        CheckConstraint(
            "(width IS NULL AND height IS NULL) OR (width > 0 AND height > 0)",
            name="dimensions_positive",
        ),
        # A focal point has both coordinates or neither (neither: the centre).
        CheckConstraint(
            "(focal_x IS NULL AND focal_y IS NULL) OR "
            "(focal_x >= 0 AND focal_x <= 1 AND focal_y >= 0 AND focal_y <= 1)",
            name="focal_point_in_range",
        ),
        # The media library: newest first, optionally of one kind.
        Index("ix_media_assets_library", "kind", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Random and URL-safe: names the stored bytes and appears in every URL of the asset, so
    # URLs reveal neither the row id nor the content hash, and a deleted asset's files are
    # never confused with a later upload of the same bytes.
    key: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[MediaKind] = mapped_column(portable_enum(MediaKind, "media_kind"))
    # The client's file name, cleaned (no path, no control characters); shown on downloads.
    file_name: Mapped[str] = mapped_column(String(255))
    # Sniffed from the bytes, never taken from the client.
    media_type: Mapped[str] = mapped_column(String(100))
    # Of the stored file (images are stored re-encoded, without their metadata).
    byte_size: Mapped[int] = mapped_column(BigInteger)
    # SHA-256 (hex) of the bytes as uploaded: the same bytes uploaded again give this asset.
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    # Where a cover crop centres, as fractions of width and height; None is the centre.
    focal_x: Mapped[float | None] = mapped_column(Float)
    focal_y: Mapped[float | None] = mapped_column(Float)
    credit: Mapped[str | None] = mapped_column(String(300))
    # Derived at ingest: a BlurHash to paint before the image arrives, and the dominant
    # colour as #rrggbb; ``derived_with`` names the code that made them, so a change of
    # method is a recompute of the rows that differ, not a guess.
    placeholder: Mapped[str | None] = mapped_column(String(100))
    dominant_color: Mapped[str | None] = mapped_column(String(7))
    derived_with: Mapped[str | None] = mapped_column(String(40))
    # Who uploaded it: a token's name, or the process that did (seed, import).
    uploaded_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    # Bumped by every change; updates carry the version they read (optimistic locking).
    version: Mapped[int] = mapped_column(Integer, default=1)

    texts: Mapped[list[MediaText]] = relationship(
        back_populates="asset",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="MediaText.language",
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


def original_path(key: str) -> str:
    """Where an asset's file is in the storage."""
    return f"originals/{key}"


class MediaText(Base):
    """An asset's alt text and caption in one language (plain text; either may be absent)."""

    __tablename__ = "media_texts"
    __table_args__ = (
        CheckConstraint("alt IS NOT NULL OR caption IS NOT NULL", name="alt_or_caption"),
    )

    asset_id: Mapped[int] = mapped_column(
        ForeignKey("media_assets.id", ondelete="CASCADE"), primary_key=True
    )
    # A language stays enabled while content uses it.
    language: Mapped[str] = mapped_column(
        ForeignKey("languages.code", ondelete="RESTRICT"), primary_key=True
    )
    alt: Mapped[str | None] = mapped_column(Text)
    caption: Mapped[str | None] = mapped_column(Text)

    asset: Mapped[MediaAsset] = relationship(back_populates="texts")


class ArticleFeaturedImage(Base):
    """The image of one language version of an article: its card, social preview and header."""

    __tablename__ = "article_featured_images"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    # An asset in use cannot be deleted; the library lists what uses it.
    asset_id: Mapped[int] = mapped_column(
        ForeignKey("media_assets.id", ondelete="RESTRICT"), index=True
    )


class AuthorAvatar(Base):
    """An author's portrait (``authors.avatar_url`` is the older, external address)."""

    __tablename__ = "author_avatars"

    author_id: Mapped[int] = mapped_column(
        ForeignKey("authors.id", ondelete="CASCADE"), primary_key=True
    )
    asset_id: Mapped[int] = mapped_column(
        ForeignKey("media_assets.id", ondelete="RESTRICT"), index=True
    )


class ArticleAttachment(Base):
    """A document attached to one language version of an article, in the order shown."""

    __tablename__ = "article_attachments"
    __table_args__ = (
        CheckConstraint("position >= 0", name="position_not_negative"),
        UniqueConstraint("article_id", "position"),
    )

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    asset_id: Mapped[int] = mapped_column(
        ForeignKey("media_assets.id", ondelete="RESTRICT"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer)
