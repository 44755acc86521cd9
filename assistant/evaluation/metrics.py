"""The metrics of summary.json, computed from a run's per-question results (EVAL_FORMAT.md)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from assistant.evaluation.runner import EvalRun, QuestionResult

METRIC_KEYS = (
    "answer_accuracy",
    "what_if_accuracy",
    "citation_precision",
    "citation_recall",
    "abstention_accuracy",
    "false_abstention_rate",
    "retrieval_recall_at_1",
    "retrieval_recall_at_k",
    "mrr",
    "latency_ms_p50",
    "latency_ms_p95",
)


def share(flags: Iterable[bool]) -> float | None:
    """The share of true flags, rounded; None when there are none to count."""
    values = list(flags)
    return round(sum(values) / len(values), 4) if values else None


def mean(values: Iterable[float]) -> float | None:
    """The mean, rounded; None for no values."""
    values = list(values)
    return round(sum(values) / len(values), 4) if values else None


def percentile(values: Iterable[float], q: float) -> float | None:
    """The q-th percentile (0-100) by linear interpolation between closest ranks; None for no values."""
    ordered = sorted(values)
    if not ordered:
        return None
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    value = ordered[low] + (ordered[high] - ordered[low]) * (position - low)
    return round(value, 1)


def retrieval_metrics(ranks: list[int | None], k: int) -> dict[str, float | None]:
    """recall@1, recall@k and MRR (reciprocal rank of the first evidence passage within the top k, else 0)."""
    within = [r if r is not None and r <= k else None for r in ranks]
    return {
        "retrieval_recall_at_1": share(r == 1 for r in within),
        "retrieval_recall_at_k": share(r is not None for r in within),
        "mrr": mean(1 / r if r else 0.0 for r in within),
    }


def summarise(run: EvalRun) -> dict[str, Any]:
    """summary.json's metrics (without per_question): each None when no question measures it."""
    results = run.results
    answerable = [r for r in results if r.question.answerable]
    what_if = [r for r in results if r.question.kind == "what_if"]
    unanswerable = [r for r in results if not r.question.answerable]
    citations = [c for r in answerable if not r.abstained for c in r.citations]
    counted = [r for r in results if r.retrieval_counted]
    latencies = [r.latency_ms for r in results if r.latency_ms is not None]
    summary: dict[str, Any] = {
        "n": len(results),
        "answer_accuracy": share(r.correct for r in answerable),
        "what_if_accuracy": share(r.correct for r in what_if),
        "citation_precision": share(c["supports"] for c in citations),
        "citation_recall": share(r.supported for r in answerable),
        "abstention_accuracy": share(r.abstained for r in unanswerable),
        "false_abstention_rate": share(r.abstained for r in answerable),
        **retrieval_metrics([r.retrieval_rank for r in counted], run.k),
        "latency_ms_p50": percentile(latencies, 50),
        "latency_ms_p95": percentile(latencies, 95),
        # Of the questions put to the llm backend's model, the share whose answer the extractive one replaced.
        "fallback_rate": share(r.fell_back for r in results if r.asked_model),
    }
    summary["k"] = run.k
    summary["counts"] = counts(results)
    return summary


def counts(results: list[QuestionResult]) -> dict[str, int]:
    """How many questions (and citations) each metric was measured over."""
    answerable = [r for r in results if r.question.answerable]
    return {
        "fact": sum(r.question.kind == "fact" for r in results),
        "what_if": sum(r.question.kind == "what_if" for r in results),
        "unanswerable": sum(not r.question.answerable for r in results),
        "citations": sum(len(r.citations) for r in answerable if not r.abstained),
        "retrieval": sum(r.retrieval_counted for r in results),
        "answered_by_tool": sum(r.tool is not None for r in results),
        "errors": sum(r.error is not None for r in results),
        "passed": sum(r.passed for r in results),
    }
