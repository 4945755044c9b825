"""What a reader typed, parsed once and written out for each backend's query language.

Readers get what web search engines taught them: words (all must match), "quoted phrases",
``-word`` and ``-"phrase"`` to exclude, and ``or`` between two alternatives. Anything else
(parentheses, operators of FTS5 or tsquery, stray quotes, SQL) is searched as plain text:
every word reaches the database inside a quoted string, never as syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from publishing.errors import invalid

MAX_QUERY_LENGTH: Final = 200
# Tokens of any script: a term without one (punctuation, emoji) cannot match anything.
_WORDLIKE: Final = re.compile(r"[^\W_]")
# On SQLite's unstemmed table a single word also matches longer words it begins (Turkish
# suffixes): only from this many characters, so short words stay precise.
_PREFIX_FROM: Final = 4
# Control characters (NUL above all, which PostgreSQL text cannot hold) separate words.
_CONTROL: Final = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class Term:
    text: str  # as typed, without quotes
    phrase: bool  # quoted: matched as written, words adjacent


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    # Every group must match; a group is one term or alternatives joined with "or".
    required: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...]
    truncated: bool = False

    @property
    def is_searchable(self) -> bool:
        """False when nothing is asked for: only exclusions, or no word at all."""
        return bool(self.required)

    def websearch(self) -> str:
        """For PostgreSQL's ``websearch_to_tsquery``, every term quoted."""
        groups = [" or ".join(_quoted(t.text) for t in group) for group in self.required]
        groups += [f"-{_quoted(t.text)}" for t in self.excluded]
        return " ".join(groups)

    def fts5(self, *, prefixes: bool) -> str:
        """An FTS5 MATCH expression; ``prefixes`` lets single words match as word starts."""

        def term(t: Term) -> str:
            text = _quoted(t.text)
            if prefixes and not t.phrase and " " not in t.text and len(t.text) >= _PREFIX_FROM:
                return f"{text} *"
            return text

        required = " AND ".join(
            f"({' OR '.join(term(t) for t in group)})" for group in self.required
        )
        return "".join([required, *(f" NOT {_quoted(t.text)}" for t in self.excluded)])

    @property
    def fingerprint(self) -> str:
        """Stable text naming this query, so a cursor cannot move to another search."""
        return self.websearch()


def _quoted(text: str) -> str:
    # Quotes were taken out while parsing; FTS5 and websearch both read "..." as a phrase.
    return f'"{text}"'


def cap(text: str) -> tuple[str, bool]:
    """At most MAX_QUERY_LENGTH characters, cut between words where possible."""
    if len(text) <= MAX_QUERY_LENGTH:
        return text, False
    cut = text[:MAX_QUERY_LENGTH]
    if not text[MAX_QUERY_LENGTH].isspace() and " " in cut.strip():
        cut = cut[: cut.rstrip().rfind(" ")]
    return cut, True


def _terms(text: str) -> list[tuple[Term, bool]]:
    """(term, excluded) in order; the word ``or`` comes back as a phrase-less Term("or")."""
    found: list[tuple[Term, bool]] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        negated = text[i] == "-" and i + 1 < n and not text[i + 1].isspace()
        if negated:
            i += 1
        if text[i] == '"':
            end = text.find('"', i + 1)
            end = n if end < 0 else end  # an unclosed quote runs to the end
            words = " ".join(text[i + 1 : end].split())
            found.append((Term(words, phrase=True), negated))
            i = end + 1
        else:
            start = i
            while i < n and not text[i].isspace() and text[i] != '"':
                i += 1
            found.append((Term(text[start:i], phrase=False), negated))
    return found


def parse(text: str) -> ParsedQuery:
    """The reader's query; an empty one is an input error (there is nothing to look for)."""
    text = _CONTROL.sub(" ", text).strip()
    if not text:
        invalid(("query",), "EMPTY", "The search query is empty: type at least one word.")
    capped, truncated = cap(text)
    required: list[list[Term]] = []
    excluded: list[Term] = []
    joining = False  # the previous item was "or" after a required term
    for term, negated in _terms(capped):
        if not negated and not term.phrase and term.text.casefold() == "or":
            joining = bool(required)
            continue
        if not _WORDLIKE.search(term.text):
            continue
        if negated:
            excluded.append(term)
        elif joining:
            required[-1].append(term)
        else:
            required.append([term])
        joining = False
    return ParsedQuery(
        required=tuple(tuple(group) for group in required),
        excluded=tuple(excluded),
        truncated=truncated,
    )
