"""Running a question set through the public Assistant API and recording what happened to each question."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from assistant.assistant import FALLBACK_NOTICE
from assistant.errors import ConfigError, UserInputError
from assistant.models import Answer, Passage, Turn
from assistant.evaluation.matching import contains_evidence, first_evidence_rank, missing_groups
from assistant.evaluation.questions import Question

Progress = Callable[[int, int], None]
DEFAULT_K = 5


class Answerer(Protocol):
    """What the runner needs of an assistant: the two public calls of `Assistant`."""

    def ask(self, question: str, history: list[Turn] | None = None) -> Answer: ...

    def retrieve(self, question: str, history: list[Turn] | None = None, k: int | None = None) -> list[Passage]: ...


@dataclass
class QuestionResult:
    """What the assistant did with one question, and how that measures up."""

    question: Question
    answer: str = ""
    abstained: bool = False
    tool: str | None = None
    backend: str | None = None  # the backend whose answer was returned ("llm", "extractive", "rules")
    notice: str | None = None
    asked_backend: str | None = None  # the backend the assistant was set to answer with
    citations: list[dict[str, Any]] = field(default_factory=list)  # each Citation, plus "supports"
    missing: list[list[str]] = field(default_factory=list)
    latency_ms: float | None = None
    retrieval_rank: int | None = None  # rank of the first passage with evidence; None when none in top k
    retrieval_counted: bool = False  # went to retrieval and has evidence
    error: str | None = None

    @property
    def correct(self) -> bool:
        """fact/what_if: answered with every group matched; unanswerable: abstained."""
        if self.error:
            return False
        if not self.question.answerable:
            return self.abstained
        return not self.abstained and not self.missing

    @property
    def supported(self) -> bool:
        """Whether an answer (not an abstention) carries at least one citation that supports it."""
        return not self.abstained and not self.error and any(c["supports"] for c in self.citations)

    @property
    def passed(self) -> bool:
        """Correct, and for fact/what_if also backed by a supporting citation."""
        return self.correct and (self.supported or not self.question.answerable)

    @property
    def fell_back(self) -> bool:
        """Whether the llm backend's answer was replaced by the extractive one (its notice says why)."""
        return (self.asked_backend == "llm" and self.tool is None and self.backend == "extractive"
                and FALLBACK_NOTICE in (self.notice or ""))

    @property
    def asked_model(self) -> bool:
        """Whether the question was put to the llm backend's model: not answered by a tool, nor by a note without
        it (a question in another language), nor refused."""
        return self.asked_backend == "llm" and self.tool is None and not self.error and (
            self.backend == "llm" or self.fell_back)

    @property
    def reason(self) -> str | None:
        """Why the question failed, in a line; None when it passed."""
        if self.passed:
            return None
        if self.error:
            return f"error: {self.error}"
        if not self.question.answerable:
            return "answered instead of abstaining"
        if self.abstained:
            return "abstained"
        problems = []
        if self.missing:
            problems.append("missing " + "; ".join(_either(group) for group in self.missing))
        if not self.citations:
            problems.append("no citation")
        elif not self.supported:
            problems.append(f"none of {len(self.citations)} citation(s) contains the evidence")
        return ", ".join(problems)

    def to_json(self) -> dict[str, Any]:
        """The per_question record of summary.json."""
        record: dict[str, Any] = {
            "id": self.question.id,
            "kind": self.question.kind,
            "passed": self.passed,
            "answer": self.answer,
            "abstained": self.abstained,
            "tool": self.tool,
            "backend": self.backend,
            "notice": self.notice,
            "citations": self.citations,
        }
        if not self.passed:
            record["reason"] = self.reason
        record["latency_ms"] = None if self.latency_ms is None else round(self.latency_ms, 1)
        record["retrieval_rank"] = self.retrieval_rank
        return record


@dataclass
class EvalRun:
    """The results of one run of a question set."""

    results: list[QuestionResult]
    k: int

    def retrieval_questions(self) -> list[Question]:
        """The questions the retrieval metrics are measured over."""
        return [r.question for r in self.results if r.retrieval_counted]


def run_eval(assistant: Answerer, questions: list[Question], *, k: int | None = None, progress: Progress | None = None) -> EvalRun:
    """Ask every question (with its history) and retrieve for it; the first question is asked once untimed to warm up."""
    settings = getattr(assistant, "settings", None)
    k = k or getattr(settings, "k", None) or DEFAULT_K
    chunks = ChunkTexts(assistant)
    if questions:
        _warm_up(assistant, questions[0])
    results = []
    for done, question in enumerate(questions, start=1):
        results.append(_run_one(assistant, question, k, chunks))
        results[-1].asked_backend = getattr(settings, "backend", None)
        if progress:
            progress(done, len(questions))
    return EvalRun(results, k)


def _warm_up(assistant: Answerer, question: Question) -> None:
    try:
        assistant.ask(question.question, history=question.history)
    except ConfigError:
        raise
    except UserInputError:
        pass  # a bad question: the timed run records it


def _run_one(assistant: Answerer, question: Question, k: int, chunks: ChunkTexts) -> QuestionResult:
    result = QuestionResult(question)
    started = time.perf_counter()
    try:
        answer = assistant.ask(question.question, history=question.history)
    except ConfigError:
        raise  # the settings are wrong: no question can be answered
    except UserInputError as exc:
        result.error = str(exc)
        return result
    result.latency_ms = (time.perf_counter() - started) * 1000
    result.answer, result.abstained, result.tool = answer.text, answer.abstained, answer.tool
    result.backend, result.notice = answer.provenance.backend, answer.notice
    result.missing = missing_groups(answer.text, question.answer_must_include) if question.answerable else []
    if question.evidence and answer.tool is None:
        passages = assistant.retrieve(question.question, history=question.history, k=k)
        chunks.remember(passages)
        result.retrieval_counted = True
        result.retrieval_rank = first_evidence_rank([p.text for p in passages[:k]], question.evidence)
    result.citations = [
        {**c.model_dump(), "supports": bool(question.evidence) and (
            contains_evidence(c.quote, question.evidence) or contains_evidence(chunks.get(c.chunk_id), question.evidence))}
        for c in answer.citations
    ]
    return result


def _either(group: list[str]) -> str:
    return " or ".join(json.dumps(s, ensure_ascii=False) for s in group)


class ChunkTexts:
    """The text of a chunk by id: from the assistant's index when it has one, else from passages seen."""

    def __init__(self, assistant: Any):
        self._assistant = assistant
        self._texts: dict[str, str] | None = None

    def get(self, chunk_id: str | None) -> str | None:
        """The chunk's text, or None when the chunk is unknown."""
        if chunk_id is None:
            return None
        return self._all().get(chunk_id)

    def remember(self, passages: list[Passage]) -> None:
        """Record the text of retrieved passages."""
        self._all().update({p.chunk_id: p.text for p in passages})

    def _all(self) -> dict[str, str]:
        if self._texts is None:
            self._texts = {}
            index = getattr(self._assistant, "index", None)
            if callable(index):
                live = index()
                self._texts.update(zip(live.ids, live.texts))
        return self._texts
