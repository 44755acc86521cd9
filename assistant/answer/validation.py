"""Checks on what callers pass in: questions and conversation history."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from assistant.errors import UserInputError
from assistant.models import Turn
from assistant.text import clean_question

MAX_QUESTION_CHARS = 2000


class EmptyQuestionError(UserInputError):
    """The question is empty or blank."""


class QuestionTooLongError(UserInputError):
    """The question is longer than the assistant accepts."""


class BadHistoryError(UserInputError):
    """The conversation history is not a list of user/assistant turns."""


def validate_question(question: object) -> str:
    """The question with control characters stripped; raises a UserInputError when it cannot be asked."""
    if not isinstance(question, str):
        raise EmptyQuestionError(f"The question must be text, not {type(question).__name__}.")
    cleaned = clean_question(question)
    if not cleaned:
        raise EmptyQuestionError("The question is empty: type a question about the documents.")
    if len(cleaned) > MAX_QUESTION_CHARS:
        raise QuestionTooLongError(
            f"The question is {len(cleaned)} characters long; the limit is {MAX_QUESTION_CHARS}. Shorten it."
        )
    return cleaned


def validate_history(history: Iterable[Turn | Mapping] | None) -> list[Turn]:
    """Earlier turns as Turn objects; accepts dicts with role and content."""
    if history is None:
        return []
    turns = []
    for i, item in enumerate(history):
        try:
            turn = item if isinstance(item, Turn) else Turn.model_validate(dict(item))
        except Exception:
            raise BadHistoryError(
                f"History item {i} must be {{'role': 'user' or 'assistant', 'content': '...'}}."
            ) from None
        turns.append(Turn(role=turn.role, content=clean_question(turn.content)))
    return turns
