"""Enabled languages, their CLDR names, and the fallback chain for localised fields."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

from babel import Locale, UnknownLocaleError
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from publishing.access import Actor, Permission, Role
from publishing.errors import Issues, UnknownLanguageError
from publishing.integrity import Race, flush
from publishing.languages.models import Language

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class LanguageInfo:
    code: str
    name: str
    native_name: str
    direction: str  # "LTR" or "RTL"


def _capitalised(name: str) -> str:
    # CLDR gives names in mid-sentence case ("русский"); a language menu shows "Русский".
    return name[:1].upper() + name[1:]


@lru_cache(maxsize=256)
def language_info(code: str) -> LanguageInfo:
    """Names and direction of ``code`` from CLDR; raises ValueError for an unknown tag."""
    try:
        locale = Locale.parse(code, sep="-")
    except (UnknownLocaleError, ValueError) as exc:
        raise ValueError(f"{code!r} is not a language CLDR knows") from exc
    english = locale.get_display_name("en") or code
    native = locale.get_display_name(locale) or english
    direction = "RTL" if locale.character_order == "right-to-left" else "LTR"
    return LanguageInfo(code, english, _capitalised(native), direction)


def canonical_tag(code: str) -> str:
    """BCP 47 casing: language lower case, region upper case, script title case."""
    parts = code.replace("_", "-").split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 2 and part.isalpha():
            out.append(part.upper())
        elif len(part) == 4 and part.isalpha():
            out.append(part.title())
        else:
            out.append(part.lower())
    return "-".join(out)


@dataclass(frozen=True, slots=True)
class EnabledLanguages:
    """The publication's languages in their order; the first is the default."""

    codes: tuple[str, ...]

    @property
    def default(self) -> str:
        return self.codes[0]

    def resolve(self, code: str) -> str:
        """The enabled tag for ``code`` (any casing), or UnknownLanguageError naming the rest."""
        tag = canonical_tag(code.strip())
        if tag in self.codes:
            return tag
        raise UnknownLanguageError(code, self.codes)

    def fallback_chain(self, code: str | None) -> tuple[str, ...]:
        """Where to look for a localised value: the language, its base, the default, the rest."""
        chain: list[str] = []
        if code:
            tag = canonical_tag(code)
            chain.append(tag)
            base = tag.split("-")[0]
            if base != tag:
                chain.append(base)
        chain.extend(self.codes)
        return tuple(dict.fromkeys(chain))

    def pick(self, values: Mapping[str, T], code: str | None) -> T | None:
        """The value for the first language in the fallback chain that has one, else any."""
        for tag in self.fallback_chain(code):
            if tag in values:
                return values[tag]
        return next(iter(values.values()), None)


async def load_enabled_languages(session: AsyncSession) -> EnabledLanguages:
    rows = await session.scalars(
        select(Language.code).order_by(Language.is_default.desc(), Language.position)
    )
    return EnabledLanguages(tuple(rows))


async def enable_languages(session: AsyncSession, codes: Iterable[str]) -> list[str]:
    """Enable ``codes`` (first becomes the default when none is set); returns those added."""
    existing = {lang.code: lang for lang in await session.scalars(select(Language))}
    has_default = any(lang.is_default for lang in existing.values())
    added: list[str] = []
    for position, raw in enumerate(codes, start=len(existing)):
        tag = canonical_tag(raw)
        language_info(tag)  # refuse tags CLDR does not know
        if tag in existing:
            continue
        language = Language(code=tag, position=position, is_default=not has_default)
        has_default = True
        session.add(language)
        existing[tag] = language
        added.append(tag)
    await session.flush()
    return added


def infos(codes: Sequence[str]) -> list[LanguageInfo]:
    return [language_info(code) for code in codes]


MAX_LANGUAGE_TAG = 35  # the column's width
ENABLE_LANGUAGE = Permission(Role.ADMIN, "Enabling a language")
# CLDR parses these, but they name no language to publish in ("undetermined", the root locale).
_NOT_LANGUAGES = frozenset({"und", "root"})


async def enable_language(session: AsyncSession, actor: Actor, code: str) -> LanguageInfo:
    """Enable one more language (administrators only), offered after those already enabled;
    it becomes the default only when there is none. Returns its CLDR names."""
    actor.require(ENABLE_LANGUAGE)
    issues = Issues()
    tag = canonical_tag(code.strip())
    info: LanguageInfo | None = None
    if not tag:
        issues.add(("code",), "REQUIRED", "A language tag is required, e.g. 'de' or 'pt-BR'.")
    elif len(tag) > MAX_LANGUAGE_TAG:
        issues.add(
            ("code",), "TOO_LONG", f"A language tag has at most {MAX_LANGUAGE_TAG} characters."
        )
    else:
        try:
            if tag.split("-")[0] in _NOT_LANGUAGES:
                raise ValueError(f"{tag!r} names no language")
            info = language_info(tag)
        except ValueError:
            issues.add(
                ("code",),
                "UNKNOWN_LANGUAGE",
                f"{code[:40]!r} is not a BCP 47 language tag CLDR knows, e.g. 'de' or 'pt-BR'.",
            )
    if info is not None and await session.get(Language, tag) is not None:
        issues.add(("code",), "ALREADY_ENABLED", f"Language {tag!r} is already enabled.")
    issues.raise_if_any()
    assert info is not None

    last = await session.scalar(select(func.max(Language.position)))
    has_default = await session.scalar(select(Language.code).where(Language.is_default).limit(1))
    session.add(
        Language(
            code=tag,
            position=0 if last is None else last + 1,
            is_default=has_default is None,
        )
    )
    enabled_meanwhile = Race(
        ("languages",), ("code",), "ALREADY_ENABLED", f"Language {tag!r} is already enabled."
    )
    await flush(session, [enabled_meanwhile])
    return info
