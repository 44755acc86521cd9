"""The blind what-if rounds as a chart: what-ifs right per document and set, before and after, from two runs of
`assistant eval --suite evals/whatif-blind` (ids tell the set: -wi-h / -wi-k round 1, -wi-c round 2).

    .venv/bin/python evals/studies/whatif_rounds.py BEFORE/summary.json AFTER/summary.json evals/whatif-rounds.png
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

SETS = {"-wi-h": "round 1 A", "-wi-k": "round 1 B", "-wi-c": "round 2 (held out)"}


def right(result: dict) -> bool:
    """What what_if_accuracy counts: answered, with every group of the answer matched (a citation not needed)."""
    return not result["abstained"] and "missing" not in (result.get("reason") or "")


def right_per_set(summary: dict) -> dict[tuple[str, str], tuple[int, int]]:
    """(corpus, set) -> (what-ifs right, what-ifs asked)."""
    found = {}
    for corpus, run in summary["corpora"].items():
        for tag, name in SETS.items():
            asked = [q for q in run["per_question"] if tag in q["id"] and q["kind"] == "what_if"]
            if asked:
                found[(corpus, name)] = (sum(right(q) for q in asked), len(asked))
    return found


def main(before_path: str, after_path: str, out: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    before = right_per_set(json.loads(Path(before_path).read_text()))
    after = right_per_set(json.loads(Path(after_path).read_text()))
    keys = [k for k in after if k in before]
    labels = [f"{corpus}\n{name}" for corpus, name in keys]
    figure, axes = plt.subplots(figsize=(13, 4.8))
    positions = range(len(keys))
    for offset, (label, figures, colour) in enumerate((("before", before, "tab:gray"), ("after", after, "tab:blue"))):
        shares = [figures[k][0] / figures[k][1] for k in keys]
        bars = axes.bar([p + (offset - 0.5) * 0.4 for p in positions], shares, 0.4, label=label, color=colour)
        axes.bar_label(bars, labels=[f"{figures[k][0]}/{figures[k][1]}" for k in keys], fontsize=8)
    axes.set_xticks(list(positions), labels, fontsize=8)
    axes.set_ylim(0, 1.1)
    axes.set_ylabel("what-ifs answered right")
    axes.set_title("Blind what-if rounds: round 1 was measured once, then tuned on; round 2 is held out")
    axes.legend()
    figure.tight_layout()
    figure.savefig(out, dpi=110)


if __name__ == "__main__":
    main(*sys.argv[1:4])
