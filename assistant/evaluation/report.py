"""The run's outputs: summary.json and report.md."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from assistant.evaluation.metrics import METRIC_KEYS, retrieval_metrics, summarise
from assistant.evaluation.runner import EvalRun

RETRIEVAL_KEYS = ("retrieval_recall_at_1", "retrieval_recall_at_k", "mrr")
_LABELS = {
    "answer_accuracy": "answer accuracy",
    "what_if_accuracy": "what-if accuracy",
    "citation_precision": "citation precision",
    "citation_recall": "citation recall",
    "abstention_accuracy": "abstention accuracy",
    "false_abstention_rate": "false abstention rate",
    "retrieval_recall_at_1": "retrieval recall@1",
    "retrieval_recall_at_k": "retrieval recall@k",
    "mrr": "MRR",
    "latency_ms_p50": "latency p50 (ms)",
    "latency_ms_p95": "latency p95 (ms)",
}


def build_summary(run: EvalRun, *, baseline: dict[str, Any] | None = None, meta: dict[str, Any] | None = None) -> dict[str, Any]:
    """summary.json: the metrics of EVAL_FORMAT.md, then meta, the baseline and per_question."""
    summary = summarise(run)
    summary.update(meta or {})
    if baseline is not None:
        ranks = [r.retrieval_rank for r in run.results if r.retrieval_counted]
        ours = {"k": baseline["k"], **retrieval_metrics(ranks, baseline["k"])} if run.k >= baseline["k"] else None
        summary["baseline"] = {**baseline, "ours_at_same_k": ours}
    summary["per_question"] = [r.to_json() for r in run.results]
    return summary


def write_summary(summary: dict[str, Any], out_dir: Path) -> Path:
    """Write DIR/summary.json; returns its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "summary.json"
    path.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def write_markdown(summary: dict[str, Any], out_dir: Path, gate_failures: list[str] | None = None) -> Path:
    """Write DIR/report.md: the metrics beside the baseline's, the gate, and a table of failures; returns its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "report.md"
    render = render_suite_markdown if "corpora" in summary else render_markdown
    path.write_text(render(summary, gate_failures), encoding="utf-8")
    return path


def render_markdown(summary: dict[str, Any], gate_failures: list[str] | None = None) -> str:
    """report.md's text."""
    counts = summary.get("counts", {})
    lines = ["# Eval report", ""]
    if summary.get("command"):
        lines += [f"Command: `{summary['command']}`", ""]
    lines += [
        f"{summary['n']} questions ({counts.get('fact', 0)} fact, {counts.get('what_if', 0)} what-if, "
        f"{counts.get('unanswerable', 0)} unanswerable); {counts.get('passed', 0)} passed. "
        f"Backend {summary.get('backend', '?')}, k={summary.get('k')}; "
        f"retrieval metrics over {counts.get('retrieval', 0)} questions that went to retrieval, "
        f"{counts.get('answered_by_tool', 0)} answered by a tool.{_fallback_sentence(summary)}",
        "",
    ]
    lines += _metrics_table(summary)
    if gate_failures is not None:
        lines += ["", "## Gate", ""]
        lines += [f"- FAIL: {f}" for f in gate_failures] if gate_failures else ["Passed: every metric is at or above evals/thresholds.json."]
    lines += ["", "## Failures", ""] + _failure_table(summary["per_question"])
    if summary.get("baseline"):
        lines += ["", f"Baseline: {summary['baseline']['name']} ({summary['baseline']['chunks']} chunks), "
                  "searched with the question alone (no condensation of follow-ups)."]
    return "\n".join(lines) + "\n"


SUITE_COLUMNS = ("answer_accuracy", "what_if_accuracy", "citation_precision", "abstention_accuracy",
                 "false_abstention_rate", "retrieval_recall_at_k", "mrr")
_SUITE_HEAD = ("answer acc.", "what-if acc.", "cit. precision", "abstention acc.", "false abst.", "recall@k", "MRR")


def render_suite_markdown(summary: dict[str, Any], gate_failures: list[str] | None = None) -> str:
    """report.md's text for a suite: per corpus and pooled, for the held-out part, the dev part and all questions."""
    corpora = summary["corpora"]
    pooled = summary["pooled"]
    counts = {split: pooled[split]["n"] for split in ("dev", "heldout")}
    lines = ["# Suite eval report", ""]
    if summary.get("command"):
        lines += [f"Command: `{summary['command']}`", ""]
    lines += [f"{len(corpora)} corpora, {summary['n']} questions ({counts['dev']} dev, {counts['heldout']} held out: "
              f"measured, never tuned on); {summary['counts']['passed']} passed. Backend {summary.get('backend', '?')}, "
              f"k={summary.get('k')}.{_fallback_sentence(summary)} Baseline: the LangChain tutorial pipeline on the "
              "same documents (retrieval only: it composes no answer), its recall@4 and MRR beside ours at the same "
              "depth.", ""]
    for title, part in (("Held-out part", "heldout"), ("Dev part", "dev"), ("All questions", None)):
        lines += [f"## {title}", ""] + _suite_table(corpora, pooled, part) + [""]
    if gate_failures is not None:
        lines += ["## Gate (pooled dev part)", ""]
        lines += [f"- FAIL: {f}" for f in gate_failures] if gate_failures else ["Passed: every metric is at or above evals/thresholds.json."]
        lines += [""]
    lines += ["## Failures", ""]
    for name, corpus in corpora.items():
        failed = [q for q in corpus["per_question"] if not q["passed"]]
        lines += [f"### {name} ({len(failed)} of {corpus['n']})", ""] + _failure_table(corpus["per_question"]) + [""]
    return "\n".join(lines)


def _fallback_sentence(summary: dict[str, Any]) -> str:
    """How often the llm backend's answer was replaced by the extractive one; "" when no model was asked."""
    rate = summary.get("fallback_rate")
    return "" if rate is None else f" The extractive answer replaced the model's on {rate:.1%} of its questions."


def _suite_table(corpora: dict[str, Any], pooled: dict[str, Any], part: str | None) -> list[str]:
    rows = ["| corpus | n | " + " | ".join(_SUITE_HEAD) + " | baseline recall@4 | ours recall@4 | baseline MRR |",
            "| --- | --- | " + " | ".join("---" for _ in _SUITE_HEAD) + " | --- | --- | --- |"]
    for name, figures in [*corpora.items(), ("**pooled**", pooled)]:
        chosen = figures[part] if part else figures
        cells = " | ".join(_fmt(key, chosen.get(key)) for key in SUITE_COLUMNS)
        baseline = figures.get("baseline") if part is None else None
        same_k = (baseline or {}).get("ours_at_same_k") or {}
        extra = (f"{_fmt('', baseline['retrieval_recall_at_k'])} | {_fmt('', same_k.get('retrieval_recall_at_k'))} | "
                 f"{_fmt('', baseline['mrr'])}") if baseline else " |  | "
        rows.append(f"| {name} | {chosen['n']} | {cells} | {extra} |")
    return rows


def _metrics_table(summary: dict[str, Any]) -> list[str]:
    baseline = summary.get("baseline")
    ours_k = f"(k={summary.get('k')})"
    if not baseline:
        rows = ["| metric | value |", "| --- | --- |"]
        return rows + [f"| {_LABELS[key]} | {_fmt(key, summary.get(key))} |" for key in METRIC_KEYS]
    same_k = baseline.get("ours_at_same_k") or {}
    rows = ["| metric | ours | baseline |", "| --- | --- | --- |"]
    for key in METRIC_KEYS:
        label = _LABELS[key].replace("@k", f"@k {ours_k} / baseline k={baseline['k']}") if key == "retrieval_recall_at_k" else _LABELS[key]
        theirs = _fmt(key, baseline.get(key)) if key in RETRIEVAL_KEYS else ""
        rows.append(f"| {label} | {_fmt(key, summary.get(key))} | {theirs} |")
    if same_k:
        rows.append(f"| retrieval recall@{same_k['k']} (same k) | {_fmt('', same_k['retrieval_recall_at_k'])} | "
                    f"{_fmt('', baseline['retrieval_recall_at_k'])} |")
        rows.append(f"| MRR@{same_k['k']} (same k) | {_fmt('', same_k['mrr'])} | {_fmt('', baseline['mrr'])} |")
    return rows


def _failure_table(per_question: list[dict[str, Any]]) -> list[str]:
    failed = [q for q in per_question if not q["passed"]]
    if not failed:
        return ["None."]
    rows = ["| id | kind | reason | answer |", "| --- | --- | --- | --- |"]
    for q in failed:
        rows.append(f"| {q['id']} | {q['kind']} | {_cell(q.get('reason') or '')} | {_cell(q['answer'], 120)} |")
    return rows


def _fmt(key: str, value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:.1f}" if key.startswith("latency") else f"{value:.3f}"


def _cell(text: str, limit: int | None = None) -> str:
    text = " ".join(text.split()).replace("|", "\\|")
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"
