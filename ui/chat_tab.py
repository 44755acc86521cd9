"""The chat handler: stream an answer from the Assistant as chat messages, errors as messages too."""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from assistant import Assistant, AssistantError, Citation, UserInputError

from ui.formatting import TRACE_TITLE, answer_markdown, error_message, history_turns, trace_markdown

log = logging.getLogger(__name__)

EMPTY_MESSAGE = "Please type a question about the documents, for example: Until when does the partnership last?"
BACKENDS = ("extractive", "llm")
REMEMBERED_ANSWERS = 1000  # answers kept for feedback; the oldest are forgotten first


class AssistantPool:
    """One Assistant per (backend, k), all sharing the first one's settings and index store."""

    def __init__(self, base: Assistant):
        self.base = base
        self._lock = threading.Lock()
        self._pool: dict[tuple[str, int], Assistant] = {(base.settings.backend, base.settings.k): base}
        self._answers: OrderedDict[str, tuple[Any, list]] = OrderedDict()  # shown text -> (Answer, history turns)

    def remember(self, shown: str, answer: Any, history: list) -> None:
        """Keep what an answer shown in the chat was made of, so that feedback on it can be recorded in full."""
        with self._lock:
            self._answers[shown] = (answer, history)
            while len(self._answers) > REMEMBERED_ANSWERS:
                self._answers.popitem(last=False)

    def recall(self, shown: str) -> tuple[Any, list] | None:
        """The answer (and its history) behind a message shown in the chat, if still remembered."""
        with self._lock:
            return self._answers.get(shown)

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
        """The assistant for these settings, made on first use; all of them share the base one's open index."""
        backend = backend if backend in self.backends() else self.settings.backend
        k = int(k) if k else self.settings.k
        with self._lock:
            if (backend, k) not in self._pool:
                self._pool[(backend, k)] = self.base.derive(backend=backend, k=k)
            return self._pool[(backend, k)]


def read_sources(corpus_dir: Path, citations: Sequence[Citation]) -> dict[str, str]:
    """The text of each cited source file, as the index read it; unreadable files are left out."""
    from assistant.ingest.corpus import read_text

    texts: dict[str, str] = {}
    for source in {c.source for c in citations}:
        try:
            texts[source] = read_text(corpus_dir / source)
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            log.warning("Cannot read %s for its citation: %s", source, exc)
    return texts


def tool_trace(question: str, corpus_dir: Path, citations: Sequence[Citation] = ()) -> str:
    """The clause engine's trace for a question, read the way the engine's own parser reads it, its quotes
    numbered as the answer's `citations` number them."""
    from assistant.clauses import evaluate, parse_question

    return trace_markdown(evaluate(parse_question(question).scenario, corpus_dir=corpus_dir), citations)


def respond(pool: AssistantPool, message: str, history: list[dict[str, Any]], backend: str, k: int) -> Iterator[list[dict]]:
    """Yield the reply so far as a list of chat messages: the text while it streams, then the cited answer.

    When the clause tool answered, a collapsed trace message comes first. Errors become one message.
    """
    if not isinstance(message, str) or not message.strip():
        yield [_message(error_message(EMPTY_MESSAGE))]
        return
    try:
        bot = pool.get(backend, k)
        if bot.needs_ingest():  # the documents changed since the index was built: say so while reading them
            yield [_message("⏳ The documents changed: reading them again before answering…")]
            for done, total in _ingesting(bot):
                yield [_message(f"⏳ The documents changed: reading them again before answering… {done}/{total}")]
        text = ""
        turns = history_turns(history)
        for event in bot.stream(message, history=turns):
            if event.type == "text":
                text += event.text
                yield [_message(text)]
            elif event.type == "answer" and event.answer is not None:
                messages = _final_messages(bot, message, event.answer)
                pool.remember(messages[-1]["content"], event.answer, turns)
                yield messages
    except UserInputError as exc:
        yield [_message(error_message(str(exc)))]
    except AssistantError as exc:
        yield [_message(error_message(f"The assistant could not answer: {exc}"))]
    except Exception as exc:  # a user never sees a stack trace; the log keeps it
        log.exception("chat handler failed")
        yield [_message(error_message(f"Something went wrong ({type(exc).__name__}). The details are in the server log."))]


def record_like(pool: AssistantPool, shown: Any, liked: bool | str) -> str:
    """Record a thumbs up or down on an answer shown in the chat; returns a line for the page."""
    from assistant.feedback import record_feedback

    content = shown[0] if isinstance(shown, list) and shown else shown
    remembered = pool.recall(content if isinstance(content, str) else str(content))
    if remembered is None:
        return "That answer is no longer in memory: ask again to give feedback on it."
    answer, history = remembered
    record_feedback(pool.settings.store_dir, answer, liked is True or liked == "Like", history)
    return "Thanks: your feedback is saved."


def _ingesting(bot: Assistant) -> Iterator[tuple[int, int]]:
    """Ingest in a thread, yielding its progress (steps done, steps in all) as it goes."""
    import queue

    steps: queue.Queue = queue.Queue()
    failure: list[BaseException] = []

    def run():
        try:
            bot.ingest(progress=lambda done, total: steps.put((done, total)))
        except BaseException as exc:  # re-raised in the request's thread
            failure.append(exc)
        finally:
            steps.put(None)

    threading.Thread(target=run, daemon=True).start()
    while (step := steps.get()) is not None:
        yield step
    if failure:
        raise failure[0]


def _final_messages(bot: Assistant, question: str, answer: Any) -> list[dict]:
    corpus_dir = bot.settings.corpus_dir
    messages = []
    if answer.tool is not None:
        try:
            trace = tool_trace(question, corpus_dir, answer.citations)
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
