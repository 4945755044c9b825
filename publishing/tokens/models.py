from __future__ import annotations

import datetime as dt

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from publishing.access import Role
from publishing.db import Base, UTCDateTime, portable_enum


class ApiToken(Base):
    """An editorial token. Only a hash of its secret is stored; the token is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    # The token reads "prs_<public_id>_<secret>"; the public part finds the row, the secret
    # is checked against its hash in constant time.
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    role: Mapped[Role] = mapped_column(portable_enum(Role, "token_role"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class InstanceSecret(Base):
    """Random keys this installation generates for itself (e.g. to sign preview links), shared
    by every process that uses the database, so nothing needs configuring."""

    __tablename__ = "instance_secrets"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
