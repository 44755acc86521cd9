"""Multi-turn: folding a follow-up question into the conversation it depends on."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .models import Turn

_ANAPHORA = re.compile(
    r"\b(it|its|they|them|their|theirs|this|that|these|those|he|she|his|her|him|there|the same|then|such)\b",
    re.IGNORECASE,
)
_FOLLOW_UP_START = re.compile(r"^\s*(and|but|also|so|or|what about|how about|and what about|then)\b", re.IGNORECASE)
_WH = re.compile(r"\b(who|whom|whose|what|when|where|why|how|which)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Query:
    """A question ready for retrieval: the text to search with and the earlier question it leans on."""

    question: str
    search_text: str
    previous: str | None = None
    said: str | None = None  # the assistant's last reply: a follow-up wants something it has not said yet

    @property
    def is_follow_up(self) -> bool:
        """Whether the question was read together with an earlier one."""
        return self.previous is not None


def last_user_question(history: list[Turn]) -> str | None:
    """The most recent user message of a conversation."""
    for turn in reversed(history):
        if turn.role == "user" and turn.content.strip():
            return turn.content.strip()
    return None


def last_reply(history: list[Turn]) -> str | None:
    """The most recent assistant message of a conversation."""
    for turn in reversed(history):
        if turn.role == "assistant" and turn.content.strip():
            return turn.content.strip()
    return None


def is_follow_up(question: str) -> bool:
    """Whether a question reads as depending on an earlier turn (pronouns, 'and ...', 'what about ...')."""
    if _FOLLOW_UP_START.search(question):
        return True
    if _ANAPHORA.search(question):
        return True
    return len(question.split()) <= 3 or not _WH.search(question) and len(question.split()) <= 5


def condense(question: str, history: list[Turn]) -> Query:
    """Read a follow-up together with the previous user question; a standalone question stays as it is."""
    previous = last_user_question(history)
    if previous is None or not is_follow_up(question):
        return Query(question, question)
    return Query(question, f"{previous} {question}", previous, last_reply(history))
