"""Set a gate's floors in evals/thresholds.json from a measured run: each metric's figure minus 0.03 (a rate of
mistakes: plus 0.03, as a ceiling), with the command that measured it.

    .venv/bin/assistant eval --out /tmp/eval                                  # evals/questions.jsonl
    .venv/bin/python evals/set_floors.py eval /tmp/eval/summary.json
    .venv/bin/assistant eval --suite evals/corpora --out /tmp/suite
    .venv/bin/python evals/set_floors.py suite_dev /tmp/suite/summary.json   # the suite's pooled dev part

Floors guard against regressions; they are never typed by hand.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

THRESHOLDS = Path(__file__).resolve().parent / "thresholds.json"
MARGIN = 0.03
FLOORED = ("answer_accuracy", "what_if_accuracy", "citation_precision", "abstention_accuracy")
CEILINGS = ("false_abstention_rate",)


def gate_from(summary: dict, gate: str) -> dict:
    """The gate entry for `gate` from a summary.json (the suite's gate reads its pooled dev part)."""
    figures = summary["pooled"]["dev"] if gate == "suite_dev" else summary
    measured = {key: figures[key] for key in (*FLOORED, *CEILINGS) if figures.get(key) is not None}
    return {
        "command": re.sub(r"\s--out\s+\S+", "", summary.get("command") or ""),
        "measured": measured,
        "min": {key: round(max(0.0, measured[key] - MARGIN), 3) for key in FLOORED if key in measured},
        "max": {key: round(min(1.0, measured[key] + MARGIN), 3) for key in CEILINGS if key in measured},
    }


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("eval", "suite_dev"):
        print("usage: set_floors.py eval|suite_dev SUMMARY.json", file=sys.stderr)
        return 2
    gate, summary_path = argv
    summary = json.loads(Path(summary_path).read_text(encoding="utf-8"))
    if gate == "suite_dev" and "pooled" not in summary:
        print(f"error: {summary_path} is not a suite run (assistant eval --suite ...).", file=sys.stderr)
        return 2
    thresholds = json.loads(THRESHOLDS.read_text(encoding="utf-8")) if THRESHOLDS.exists() else {}
    thresholds[gate] = gate_from(summary, gate)
    THRESHOLDS.write_text(json.dumps(thresholds, indent=2) + "\n", encoding="utf-8")
    print(f"{gate}: {json.dumps(thresholds[gate]['min'])} max {json.dumps(thresholds[gate]['max'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
