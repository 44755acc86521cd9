"""The assistants the tabs share: one per (backend, k) chosen in the chat's settings, all over one index, and
the answers shown in the chat, remembered so that feedback on one can be recorded in full."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from assistant import Assistant

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
