from __future__ import annotations

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from publishing.db import Base


class Language(Base):
    """An enabled language. Only the tag is stored: names and direction come from CLDR."""

    __tablename__ = "languages"

    code: Mapped[str] = mapped_column(String(35), primary_key=True)
    # Order in which languages are offered; the lowest is the publication's default language.
    position: Mapped[int] = mapped_column(Integer, default=0)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
