"""Words that say what an article is about, and how much two articles share."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Final

_WORD: Final = re.compile(r"[^\W_]+")
# Function words of the enabled demo languages (after folding; see _key). Words shorter
# than _MIN_LENGTH are dropped anyway, so only longer ones are listed.
_STOPWORD_TEXT: Final = """
    about after also among because been before being between both could does during each
    from have here into just more most much must only other over same should since some such
    than that their them then there these they this those through under until very were what
    when where which while will with within would your without against
    ancak artik bile bunu bunun bunlar butun cunku daha degil diye gibi icin ikinci kadar
    olan olarak olmasi olsa sonra sonucu tarafindan yeni yine zaman hala gore uzere nasil
    neden veya hangi fakat
    более будет было были быть весь всех всего даже если есть еще значит когда
    которая которые который между может могут однако очень после потому почему при
    себя свои своих также такие такой только тогда чтобы этим этих этого этой этом
"""
_STOPWORDS: Final = frozenset(_STOPWORD_TEXT.split())
_MIN_LENGTH: Final = 4
# A crude, language-neutral stem: inflected forms mostly share their first six letters
# ("negotiation"/"negotiations", "ядерного"/"ядерное", "ihracatçı"/"ihracatçılar").
_KEY_LENGTH: Final = 6
TITLE_WEIGHT: Final = 2


@lru_cache(maxsize=65_536)
def _key(word: str) -> str | None:
    """The stem key of a lower-case word, or None for one that says little.

    No case and no diacritics, so "Türkiye" and "Turkiye" count as one word. Cached: the same
    words recur in every candidate's title and excerpt."""
    decomposed = unicodedata.normalize("NFKD", word)
    key = "".join(c for c in decomposed if not unicodedata.combining(c))
    if len(key) < _MIN_LENGTH or key in _STOPWORDS or key.isdigit():
        return None
    return key[:_KEY_LENGTH]


@dataclass(frozen=True)
class Signature:
    weights: Counter[str]  # stem key -> weight
    words: tuple[str, ...]  # one word as written (lower case) per key, heaviest first

    def top_keys(self, n: int) -> list[str]:
        """The ``n`` heaviest stem keys, in the order of ``words``."""
        return sorted(self.weights, key=lambda k: (-self.weights[k], k))[:n]

    @cached_property
    def norm(self) -> float:
        return math.sqrt(sum(w * w for w in self.weights.values()))


@lru_cache(maxsize=8_192)
def signature(title: str, subtitle: str | None, excerpt: str | None) -> Signature:
    """What title, subtitle and excerpt are about (cached: a candidate is scored against
    many articles while lists are rebuilt). Callers must not change the result."""
    weights: Counter[str] = Counter()
    words: dict[str, str] = {}
    for text, weight in ((title, TITLE_WEIGHT), (subtitle or "", 1), (excerpt or "", 1)):
        # Python lower-cases a dotted capital I to i + U+0307; the dot goes.
        for word in _WORD.findall(text.lower().replace("\u0307", "")):
            key = _key(word)
            if key is not None:
                weights[key] += weight
                words.setdefault(key, word)
    ordered = sorted(weights, key=lambda k: (-weights[k], k))
    return Signature(weights, tuple(words[k] for k in ordered))


def cosine(a: Signature, b: Signature) -> float:
    """0 (nothing shared) to 1 (the same words in the same proportions); symmetric."""
    if not a.weights or not b.weights:
        return 0.0
    small, large = (a, b) if len(a.weights) <= len(b.weights) else (b, a)
    dot = sum(w * large.weights.get(k, 0) for k, w in small.weights.items())
    return dot / (a.norm * b.norm) if dot else 0.0
