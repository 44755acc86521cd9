"""A question-answering assistant over a document corpus, with exact citations.

    from assistant import Assistant
    bot = Assistant()
    answer = bot.ask("Who has the right of first refusal?")
"""

from .assistant import Assistant, StreamEvent
from .calibration import Calibration
from .config import Settings, load_settings
from .errors import (
    AssistantError,
    AssistantRuntimeError,
    ConfigError,
    EmbeddingModelError,
    IndexMismatchError,
    LLMUnavailableError,
    UserInputError,
)
from .models import Answer, Citation, Passage, Provenance, SentenceProvenance, Turn
from .validation import EmptyQuestionError, QuestionTooLongError

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
