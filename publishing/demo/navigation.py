"""The demo's sections and menus: Analysis, Commentary, Reports (with Country Reports inside),
every demo story filed under them, and a primary and a footer menu in each demo language.
Idempotent like the rest of the seed: what exists is left alone."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from publishing.access import Actor
from publishing.articles.models import Article, ArticleStatus, Story
from publishing.demo import content
from publishing.menus.editing import MenuItemData, replace_menu
from publishing.menus.models import Menu
from publishing.sections.editing import NewSection, SectionTextData, create_section, file_story
from publishing.sections.models import SectionTranslation
from publishing.tags.models import Tag


@dataclass(frozen=True, slots=True)
class DemoSection:
    key: str
    parent: str | None
    # language -> (name, slug, description)
    texts: dict[str, tuple[str, str, str]]


SECTIONS: tuple[DemoSection, ...] = (
    DemoSection(
        "analysis",
        None,
        {
            "en": ("Analysis", "analysis", "In-depth analysis of policy questions."),
            "tr": ("Analiz", "analiz", "Politika sorularına derinlemesine bakış."),
            "ru": ("Аналитика", "analitika", "Подробный анализ политических вопросов."),
        },
    ),
    DemoSection(
        "commentary",
        None,
        {
            "en": ("Commentary", "commentary", "Short takes on the news."),
            "tr": ("Yorum", "yorum", "Gündeme kısa yorumlar."),
            "ru": ("Комментарии", "kommentarii", "Короткие комментарии к новостям."),
        },
    ),
    DemoSection(
        "reports",
        None,
        {
            "en": ("Reports", "reports", "Long-form research reports."),
            "tr": ("Raporlar", "raporlar", "Kapsamlı araştırma raporları."),
            "ru": ("Доклады", "doklady", "Развёрнутые исследовательские доклады."),
        },
    ),
    DemoSection(
        "country-reports",
        "reports",
        {
            "en": ("Country Reports", "country-reports", "Reports on one country each."),
            "tr": ("Ülke Raporları", "ulke-raporlari", "Her biri tek bir ülkeye dair raporlar."),
            "ru": ("Страновые доклады", "stranovye-doklady", "Доклады об отдельных странах."),
        },
    ),
)

# Story key -> (primary section, other sections).
FILING: dict[str, tuple[str, tuple[str, ...]]] = {
    "gas-hub": ("analysis", ("reports",)),
    "nuclear-verification": ("analysis", ("commentary",)),
    "carbon-border": ("country-reports", ("analysis",)),
    "eu-turkiye-migration": ("analysis", ()),
    "data-transfers": ("commentary", ()),
    "after-new-start": ("commentary", ()),
    "anatolian-drought": ("reports", ()),
    "disinflation": ("analysis", ()),
    "throttling": ("commentary", ()),
    "iran-snapback": ("analysis", ()),
}

CONTACT = {"en": "Contact", "tr": "İletişim", "ru": "Контакты"}
CONTACT_URL = "https://example.org/contact"


async def seed_navigation(session: AsyncSession, actor: Actor, now: dt.datetime) -> None:
    sections = await _sections(session, actor, now)
    await _file_stories(session, sections)
    await _menus(session, actor, sections, now)


async def _sections(session: AsyncSession, actor: Actor, now: dt.datetime) -> dict[str, int]:
    ids: dict[str, int] = {}
    for demo in SECTIONS:
        _, slug, _ = demo.texts["en"]
        found = await session.scalar(
            select(SectionTranslation.section_id).where(
                SectionTranslation.language == "en", SectionTranslation.slug == slug
            )
        )
        if found is None:
            section = await create_section(
                session,
                actor,
                NewSection(
                    translations=[
                        SectionTextData(lang, name, s, description)
                        for lang, (name, s, description) in demo.texts.items()
                    ],
                    parent_id=None if demo.parent is None else ids[demo.parent],
                    position=len(ids),
                ),
                now=now,
            )
            found = section.id
        ids[demo.key] = found
    return ids


async def _story_of(session: AsyncSession, key: str) -> Story | None:
    story = next(s for s in content.STORIES if s.key == key)
    original = story.versions[0]
    return await session.scalar(
        select(Story)
        .join(Article, Article.story_id == Story.id)
        .where(Article.language == original.language, Article.slug == original.slug)
    )


async def _file_stories(session: AsyncSession, sections: dict[str, int]) -> None:
    for key, (primary, others) in FILING.items():
        story = await _story_of(session, key)
        if story is not None and story.primary_section_id is None:
            await file_story(session, story, sections[primary], [sections[o] for o in others])


async def _published_version(session: AsyncSession, key: str, language: str) -> int | None:
    story = await _story_of(session, key)
    if story is None:
        return None
    found: int | None = await session.scalar(
        select(Article.id).where(
            Article.story_id == story.id,
            Article.language == language,
            Article.status == ArticleStatus.PUBLISHED,
        )
    )
    return found


async def _menus(
    session: AsyncSession, actor: Actor, sections: dict[str, int], now: dt.datetime
) -> None:
    tags = dict((await session.execute(select(Tag.slug, Tag.id))).all())
    for language in content.LANGUAGES:
        featured = await _published_version(session, "gas-hub", language)
        primary = [
            MenuItemData(section_id=sections["analysis"]),
            MenuItemData(section_id=sections["commentary"]),
            MenuItemData(
                section_id=sections["reports"],
                children=[MenuItemData(section_id=sections["country-reports"])],
            ),
            *([MenuItemData(article_id=featured)] if featured is not None else []),
        ]
        footer = [
            MenuItemData(tag_id=tags["climate"]),
            MenuItemData(tag_id=tags["arms-control"]),
            MenuItemData(label=CONTACT[language], url=CONTACT_URL),
        ]
        for name, items in (("primary", primary), ("footer", footer)):
            exists = await session.scalar(
                select(Menu.id).where(Menu.name == name, Menu.language == language)
            )
            if exists is None:
                await replace_menu(
                    session, actor, name, language, items, expected_version=None, now=now
                )
