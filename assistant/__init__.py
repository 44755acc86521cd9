"""A question-answering assistant over a document corpus, with exact citations.

    from assistant import Assistant
    bot = Assistant()
    answer = bot.ask("Who has the right of first refusal?")
"""

from assistant.assistant import Assistant, StreamEvent
from assistant.answer.calibration import Calibration
from assistant.config import Settings, load_settings
from assistant.errors import (
    AssistantError,
    AssistantRuntimeError,
    ConfigError,
    EmbeddingModelError,
    IndexMismatchError,
    LLMUnavailableError,
    UserInputError,
)
from assistant.models import Answer, Citation, Passage, Provenance, SentenceProvenance, Turn
from assistant.answer.validation import EmptyQuestionError, QuestionTooLongError

__all__ = [
    "Answer",
    "Assistant",
    "AssistantError",
    "AssistantRuntimeError",
    "Calibration",
    "Citation",
    "ConfigError",
    "EmbeddingModelError",
    "EmptyQuestionError",
    "IndexMismatchError",
    "LLMUnavailableError",
    "Passage",
    "Provenance",
    "QuestionTooLongError",
    "SentenceProvenance",
    "Settings",
    "StreamEvent",
    "Turn",
    "UserInputError",
    "load_settings",
]
