from __future__ import annotations

from enum import Enum

import strawberry

from publishing.languages.service import LanguageInfo


@strawberry.enum(description="Writing direction of a language.")
class Direction(Enum):
    LTR = "LTR"
    RTL = "RTL"


@strawberry.type(description="An enabled language, named as CLDR names it.")
class Language:
    code: str = strawberry.field(description='BCP 47 tag, e.g. "en", "tr", "pt-BR".')
    name: str = strawberry.field(description='English name, e.g. "Turkish".')
    native_name: str = strawberry.field(description='The language\'s own name, e.g. "Türkçe".')
    direction: Direction

    @classmethod
    def from_info(cls, info: LanguageInfo) -> Language:
        return cls(
            code=info.code,
            name=info.name,
            native_name=info.native_name,
            direction=Direction(info.direction),
        )
