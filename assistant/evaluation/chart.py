"""report.png: the metrics as bars beside the baseline's, and a histogram of latencies."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from assistant.evaluation.metrics import METRIC_KEYS

RATIO_KEYS = [key for key in METRIC_KEYS if not key.startswith("latency")]
_SHORT = {
    "answer_accuracy": "answer acc.",
    "what_if_accuracy": "what-if acc.",
    "citation_precision": "cit. precision",
    "citation_recall": "cit. recall",
    "abstention_accuracy": "abstention acc.",
    "false_abstention_rate": "false abst. rate",
    "retrieval_recall_at_1": "recall@1",
    "retrieval_recall_at_k": "recall@k",
    "mrr": "MRR",
}


SUITE_BARS = ("answer_accuracy", "citation_precision", "abstention_accuracy", "retrieval_recall_at_k")


def write_chart(summary: dict[str, Any], out_dir: Path) -> Path:
    """Write DIR/report.png; returns its path. Unmeasured metrics are left out of the bars."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "report.png"
    if "corpora" in summary:
        figure, (bars, histogram) = plt.subplots(1, 2, figsize=(15, 5.5), gridspec_kw={"width_ratios": [3, 1]})
        _corpus_bars(bars, summary)
    else:
        figure, (bars, histogram) = plt.subplots(1, 2, figsize=(13, 4.8), gridspec_kw={"width_ratios": [2.2, 1]})
        _metric_bars(bars, summary)
    _latency_histogram(histogram, summary)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def _metric_bars(axes, summary: dict[str, Any]) -> None:
    keys = [key for key in RATIO_KEYS if summary.get(key) is not None]
    baseline = summary.get("baseline") or {}
    positions = list(range(len(keys)))
    width = 0.4 if baseline else 0.7
    ours = axes.bar([p - (width / 2 if baseline else 0) for p in positions], [summary[k] for k in keys], width, label="ours")
    axes.bar_label(ours, fmt="%.2f", fontsize=8)
    theirs = [(p, baseline[k]) for p, k in zip(positions, keys) if baseline.get(k) is not None]
    if theirs:
        bars = axes.bar([p + width / 2 for p, _ in theirs], [v for _, v in theirs], width,
                        label=f"baseline (k={baseline['k']})", color="tab:gray")
        axes.bar_label(bars, fmt="%.2f", fontsize=8)
    axes.set_xticks(positions, [_SHORT[k] for k in keys], rotation=30, ha="right")
    axes.set_ylim(0, 1.15)
    axes.set_title(f"Metrics over {summary['n']} questions (k={summary.get('k')})")
    axes.legend(loc="upper center", ncols=2, fontsize=8)


def _corpus_bars(axes, summary: dict[str, Any]) -> None:
    """Per corpus and pooled (held-out part, then all): answer accuracy, citation precision, abstention, recall@k."""
    groups = [(name, figures) for name, figures in summary["corpora"].items()]
    groups += [("pooled held-out", summary["pooled"]["heldout"]), ("pooled", summary["pooled"])]
    width = 0.8 / len(SUITE_BARS)
    for i, key in enumerate(SUITE_BARS):
        xs = [g + (i - (len(SUITE_BARS) - 1) / 2) * width for g in range(len(groups))]
        values = [figures.get(key) for _, figures in groups]
        axes.bar([x for x, v in zip(xs, values) if v is not None], [v for v in values if v is not None], width,
                 label=_SHORT[key])
    axes.set_xticks(range(len(groups)), [name for name, _ in groups], rotation=30, ha="right", fontsize=8)
    axes.set_ylim(0, 1.1)
    axes.axvline(len(groups) - 2.5, color="black", linewidth=0.8)
    axes.set_title(f"Per corpus and pooled ({summary['n']} questions, k={summary.get('k')})")
    axes.legend(loc="upper center", ncols=len(SUITE_BARS), fontsize=8)


def _latency_histogram(axes, summary: dict[str, Any]) -> None:
    latencies = [q["latency_ms"] for q in summary["per_question"] if q.get("latency_ms") is not None]
    if latencies:
        axes.hist(latencies, bins=min(30, max(5, len(latencies) // 3)), color="tab:green")
        for key, style in (("latency_ms_p50", "--"), ("latency_ms_p95", ":")):
            if summary.get(key) is not None:
                axes.axvline(summary[key], color="black", linestyle=style, label=f"{key[-3:]} {summary[key]:.0f} ms")
        axes.legend()
    axes.set_title("ask() latency, warm")
    axes.set_xlabel("ms")
    axes.set_ylabel("questions")
