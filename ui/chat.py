"""The chat handler: stream an answer from the Assistant as chat messages, errors as messages too."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from assistant import Assistant, AssistantError, Citation, UserInputError

from .formatting import TRACE_TITLE, answer_markdown, error_message, history_turns, trace_markdown

log = logging.getLogger(__name__)

EMPTY_MESSAGE = "Please type a question about the documents, for example: Until when does the partnership last?"
BACKENDS = ("extractive", "llm")


class AssistantPool:
    """One Assistant per (backend, k), all sharing the first one's settings and index store."""

    def __init__(self, base: Assistant):
        self.base = base
        self._lock = threading.Lock()
        self._pool: dict[tuple[str, int], Assistant] = {(base.settings.backend, base.settings.k): base}

    @property
    def settings(self):
        """The settings every pooled assistant starts from."""
        return self.base.settings

    def backends(self) -> list[str]:
        """The backends one can choose: the llm one only when a chat model is configured."""
        if self.settings.llm or self.settings.backend == "llm":
            return list(BACKENDS)
        return ["extractive"]

    def get(self, backend: str | None, k: int | float | None) -> Assistant:
        """The assistant for these settings, made on first use."""
        backend = backend if backend in self.backends() else self.settings.backend
        k = int(k) if k else self.settings.k
        with self._lock:
            if (backend, k) not in self._pool:
                self._pool[(backend, k)] = Assistant(settings=self.settings, backend=backend, k=k)
            return self._pool[(backend, k)]

    def forget_indexes(self) -> None:
        """Drop every assistant but the base one, so none keeps answering from a replaced index."""
        with self._lock:
            self._pool = {key: bot for key, bot in self._pool.items() if bot is self.base}


def read_sources(corpus_dir: Path, citations: Sequence[Citation]) -> dict[str, str]:
    """The text of each cited source file, as the index read it; unreadable files are left out."""
    from assistant.corpus import read_text

    texts: dict[str, str] = {}
    for source in {c.source for c in citations}:
        try:
            texts[source] = read_text(corpus_dir / source)
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            log.warning("Cannot read %s for its citation: %s", source, exc)
    return texts


def tool_trace(question: str, corpus_dir: Path) -> str:
    """The clause engine's trace for a question, read the way the engine's own parser reads it."""
    from assistant.clauses import evaluate, parse_question

    return trace_markdown(evaluate(parse_question(question).scenario, corpus_dir=corpus_dir))


def respond(pool: AssistantPool, message: str, history: list[dict[str, Any]], backend: str, k: int) -> Iterator[list[dict]]:
    """Yield the reply so far as a list of chat messages: the text while it streams, then the cited answer.

    When the clause tool answered, a collapsed trace message comes first. Errors become one message.
    """
    if not isinstance(message, str) or not message.strip():
        yield [_message(error_message(EMPTY_MESSAGE))]
        return
    try:
        bot = pool.get(backend, k)
        text = ""
        for event in bot.stream(message, history=history_turns(history)):
            if event.type == "text":
                text += event.text
                yield [_message(text)]
            elif event.type == "answer" and event.answer is not None:
                yield _final_messages(bot, message, event.answer)
    except UserInputError as exc:
        yield [_message(error_message(str(exc)))]
    except AssistantError as exc:
        yield [_message(error_message(f"The assistant could not answer: {exc}"))]
    except Exception as exc:  # a user never sees a stack trace; the log keeps it
        log.exception("chat handler failed")
        yield [_message(error_message(f"Something went wrong ({type(exc).__name__}). The details are in the server log."))]


def _final_messages(bot: Assistant, question: str, answer: Any) -> list[dict]:
    corpus_dir = bot.settings.corpus_dir
    messages = []
    if answer.tool is not None:
        try:
            trace = tool_trace(question, corpus_dir)
        except Exception as exc:  # the answer still stands without its trace
            log.warning("Cannot rebuild the clause trace: %s", exc)
            trace = f"The trace could not be rebuilt ({type(exc).__name__})."
        messages.append(_message(trace, {"title": f"{TRACE_TITLE} ({answer.tool})", "status": "done"}))
    messages.append(_message(answer_markdown(answer, read_sources(corpus_dir, answer.citations))))
    return messages


def _message(content: str, metadata: dict | None = None) -> dict:
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if metadata:
        message["metadata"] = metadata
    return message
