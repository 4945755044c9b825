"""Deterministic pseudo-text in English, Turkish and Russian, shaped like real analyses.

Words are made of each language's syllables and letters (Turkish ç ğ ı ö ş ü, Cyrillic), so
sizes in bytes, word lengths and what Markdown rendering and sanitising meet are realistic,
while nothing depends on a word list or a download.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


SYLLABLES: dict[str, tuple[str, ...]] = {
    "en": _words(
        "an ber con dis en for gen hal in ject ka lat men na or pol que ra sion ter u ver wa "
        "ty al es ment pro re st com ing ate tion ic ous"
    ),
    "tr": _words(
        "ak bağ cı çe da en gü ğı hal ış il ka lar ler mı nü öz pa ra sı şe te ul üs ve yı "
        "zı dır lik sel kur tır ön çı ge ba"
    ),
    "ru": _words(
        "ва ли но ст ра ни ко ро ск ов ть ен ие по го пр ол ки за ма де ле ны ый ая че ши "
        "жи щу эк ю ля ци ем ть ств"
    ),
}
LANGUAGES: tuple[str, ...] = ("en", "tr", "ru")
ASCII_SYLLABLES = SYLLABLES["en"]

FIRST_NAMES = _words(
    "Ada Leyla Irina Mehmet Sofia Omar Anna Kemal Olga David Elif Pavel Grace Murat Nadia "
    "Samuel Zeynep Yuri Laura Emre Maria Tomas Defne Sergei Hannah Can Vera Lucas Aylin "
    "Dmitri"
)
LAST_NAMES = _words(
    "Okafor Demir Volkova Hughes Yilmaz Petrov Moreau Kaya Ivanova Lindqvist Aydin Sokolov "
    "Brennan Celik Kuznetsova Duarte Sahin Novak Fischer Ozturk Orlov Haddad Arslan Morozova "
    "Keane Erdem Lebedev Tanaka Koc Romanova"
)


@dataclass(frozen=True, slots=True)
class Pools:
    """Sentences made once per language; bodies are assembled from them."""

    sentences: dict[str, tuple[str, ...]]
    titles: dict[str, tuple[str, ...]]


class Corpus:
    def __init__(self, rng: random.Random, sentences_per_language: int = 4_000) -> None:
        self.rng = rng
        self.pools = Pools(
            sentences={
                lang: tuple(self._sentence(lang) for _ in range(sentences_per_language))
                for lang in LANGUAGES
            },
            titles={
                lang: tuple(self._phrase(lang, 3, 7) for _ in range(sentences_per_language))
                for lang in LANGUAGES
            },
        )

    # -- words ---------------------------------------------------------------------------

    def word(self, language: str) -> str:
        syllables = SYLLABLES[language]
        return "".join(self.rng.choices(syllables, k=self.rng.randint(1, 4)))

    def ascii_word(self) -> str:
        return "".join(self.rng.choices(ASCII_SYLLABLES, k=self.rng.randint(2, 3)))

    def _phrase(self, language: str, low: int, high: int) -> str:
        words = [self.word(language) for _ in range(self.rng.randint(low, high))]
        return words[0].capitalize() + " " + " ".join(words[1:])

    def _sentence(self, language: str) -> str:
        words = [self.word(language) for _ in range(self.rng.randint(9, 18))]
        if self.rng.random() < 0.15:
            i = self.rng.randrange(1, len(words))
            words[i] = f"*{words[i]}*"
        if self.rng.random() < 0.1:
            i = self.rng.randrange(1, len(words))
            words[i] = f"**{words[i]}**"
        if self.rng.random() < 0.3:
            i = self.rng.randrange(2, len(words))
            words[i] += ","
        return words[0].capitalize() + " " + " ".join(words[1:]) + "."

    # -- texts ---------------------------------------------------------------------------

    def sentences(self, language: str, count: int) -> list[str]:
        return self.rng.choices(self.pools.sentences[language], k=count)

    def title(self, language: str) -> str:
        return self.rng.choice(self.pools.titles[language])

    def slug(self, number: int) -> str:
        return f"{self.ascii_word()}-{self.ascii_word()}-{self.ascii_word()}-{number}"

    def paragraph(self, language: str, low: int = 3, high: int = 6) -> str:
        return " ".join(self.sentences(language, self.rng.randint(low, high)))

    def body(self, language: str, footnote_keys: Sequence[str], target: int = 3_600) -> str:
        """About ``target`` characters of Markdown: paragraphs, headings, a list, a quote, a
        link, and one reference to each footnote key in order (the first one twice)."""
        blocks: list[str] = []
        size = 0
        while size < target:
            roll = self.rng.random()
            if blocks and roll < 0.12:
                block = "## " + self.title(language)
            elif blocks and roll < 0.2:
                block = "\n".join(f"- {s}" for s in self.sentences(language, 3))
            elif blocks and roll < 0.25:
                block = "> " + self.paragraph(language, 1, 2)
            elif roll < 0.32:
                text = self.paragraph(language, 2, 4)
                link = f"[{self.word(language)}](https://example.org/{self.ascii_word()})"
                block = f"{text} {link}."
            else:
                block = self.paragraph(language)
            blocks.append(block)
            size += len(block) + 2
        # References go at sentence ends of paragraphs spread over the body, in key order.
        paragraphs = [i for i, b in enumerate(blocks) if not b.startswith(("## ", "- ", "> "))]
        for n, key in enumerate(footnote_keys):
            i = paragraphs[min(len(paragraphs) - 1, n * len(paragraphs) // len(footnote_keys))]
            blocks[i] += f"[^{key}]"
        if footnote_keys:
            blocks[-1] += f" {self.sentences(language, 1)[0][:-1]}.[^{footnote_keys[0]}]"
        return "\n\n".join(blocks)

    def person(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"
