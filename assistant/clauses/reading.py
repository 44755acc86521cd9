"""A question as read against a pack: what the readers of its facts share."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assistant.clauses import cues
from assistant.clauses.cues import Token
from assistant.clauses.pack import FactSpec, Pack


@dataclass
class Reading:
    """A question read against one pack: the facts it states, the words each was read from, notes for the user."""

    pack: str
    text: str
    facts: dict[str, Any] = field(default_factory=dict)
    evidence: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    hypothetical: bool = False

    @property
    def covered(self) -> bool:
        return bool(self.facts)


def token_at(words: tuple[Token, ...], offset: int) -> int:
    """The index of the first token at or after a character offset (the last token, past the end)."""
    return next((i for i, t in enumerate(words) if t.start >= offset), len(words) - 1)


def unread(pack: Pack, reading: Reading, words: tuple[Token, ...], *types: str) -> dict[str, FactSpec]:
    """The pack's facts of these types that are not read yet and whose `only_with` words (if any) the question
    holds."""
    return {n: s for n, s in pack.facts.items() if s.type in types and n not in reading.facts
            and (not s.read.only_with or cues.first_of(s.read.only_with, words) is not None)}


def span(words: tuple[Token, ...], start: int, end: int, text: str) -> str:
    """The question's words from token `start` up to token `end`."""
    return text[words[start].start:words[end - 1].end]
