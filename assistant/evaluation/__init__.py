"""The eval runner: measure the assistant on a question set (format and metrics: EVAL_FORMAT.md).

    from assistant import Assistant
    from assistant.evaluation import evaluate, load_questions, write_outputs
    summary = evaluate(Assistant(), load_questions("evals/questions.jsonl"))
    write_outputs(summary, Path("evals/out"))
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from assistant.config import Settings
from assistant.evaluation.gate import Thresholds, check_gate, default_thresholds_path, load_thresholds
from assistant.evaluation.metrics import METRIC_KEYS
from assistant.evaluation.questions import Question, QuestionSetError, load_questions
from assistant.evaluation.runner import Answerer, EvalRun, Progress, QuestionResult, run_eval


def evaluate(
    assistant: Answerer,
    questions: list[Question],
    *,
    k: int | None = None,
    baseline_settings: Settings | None = None,
    progress: Progress | None = None,
    baseline_progress: Progress | None = None,
    meta: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """summary.json as a dict; with `baseline_settings`, the tutorial baseline is measured on the same questions."""
    from assistant.evaluation.report import build_summary

    run = run_eval(assistant, questions, k=k, progress=progress)
    baseline = None
    if baseline_settings is not None:
        from assistant.evaluation.baseline import run_baseline

        baseline = run_baseline(baseline_settings, run.retrieval_questions(), progress=baseline_progress)
    return build_summary(run, baseline=baseline, meta=meta)


def write_outputs(summary: dict[str, Any], out_dir: Path, gate_failures: list[str] | None = None) -> list[Path]:
    """Write summary.json, report.md and report.png into `out_dir`; returns their paths."""
    from assistant.evaluation.chart import write_chart
    from assistant.evaluation.report import write_markdown, write_summary

    return [write_summary(summary, out_dir), write_markdown(summary, out_dir, gate_failures), write_chart(summary, out_dir)]


__all__ = [
    "METRIC_KEYS",
    "Answerer",
    "EvalRun",
    "Question",
    "QuestionResult",
    "QuestionSetError",
    "Thresholds",
    "check_gate",
    "default_thresholds_path",
    "evaluate",
    "load_questions",
    "load_thresholds",
    "run_eval",
    "write_outputs",
]
