"""Set a gate's floors in evals/thresholds.json from a measured run: each metric's figure minus 0.03 (a rate of
mistakes: plus 0.03, as a ceiling), with the command that measured it.

    .venv/bin/assistant eval --out /tmp/eval                                  # evals/questions.jsonl
    .venv/bin/python -m assistant.evaluation.set_floors eval /tmp/eval/summary.json
    .venv/bin/assistant eval --suite evals/corpora --out /tmp/suite
    .venv/bin/python -m assistant.evaluation.set_floors suite_dev /tmp/suite/summary.json  # the suite's pooled dev part
    .venv/bin/python -m assistant.evaluation.set_floors suite_dev_added /tmp/added/summary.json  # corpora added later
    .venv/bin/python -m assistant.evaluation.set_floors suite_conversations /tmp/conv/summary.json  # another suite folder

A suite gate (any name starting "suite_") records the corpora of the run that measured it: it holds those, and
a corpus added to the suite later gets a gate of its own (a run of a suite folder holding only the new corpora).
It also records the suite folder the run read (`--suite evals/conversations`: "conversations"), when it is not
evals/corpora.

Floors guard against regressions; they are never typed by hand, and they only rise: a floor the new run would
set lower than the one in thresholds.json (or a ceiling higher) keeps the one there, and says so.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from assistant.evaluation.gate import MAIN_SUITE, SUITE, default_thresholds_path

THRESHOLDS = default_thresholds_path()
MARGIN = 0.03
FLOORED = ("answer_accuracy", "what_if_accuracy", "citation_precision", "abstention_accuracy")
CEILINGS = ("false_abstention_rate",)


def gate_from(summary: dict, gate: str) -> dict:
    """The gate entry for `gate` from a summary.json (the suite's gate reads its pooled dev part)."""
    suite = gate.startswith("suite_")
    figures = summary["pooled"]["dev"] if suite else summary
    measured = {key: figures[key] for key in (*FLOORED, *CEILINGS) if figures.get(key) is not None}
    folder = Path(summary["suite"]).name if summary.get("suite") else None  # the folder the suite run read
    return {
        "command": re.sub(r"\s--out\s+\S+", "", summary.get("command") or ""),
        **({"corpora": sorted(summary["corpora"])} if suite else {}),
        **({SUITE: folder} if suite and folder not in (None, MAIN_SUITE) else {}),
        "measured": measured,
        "min": {key: round(max(0.0, measured[key] - MARGIN), 3) for key in FLOORED if key in measured},
        "max": {key: round(min(1.0, measured[key] + MARGIN), 3) for key in CEILINGS if key in measured},
    }


def raised(old: dict | None, new: dict) -> tuple[dict, list[str]]:
    """`new`, with no floor below and no ceiling above those of `old` (the same gate, over the same corpora), and
    the metrics whose bound `old` kept."""
    if not old or old.get("corpora") != new.get("corpora") or old.get(SUITE) != new.get(SUITE):
        return new, []
    kept = [k for k, v in new["min"].items() if v < old.get("min", {}).get(k, v)]
    kept += [k for k, v in new["max"].items() if v > old.get("max", {}).get(k, v)]
    new["min"] = {**old.get("min", {}), **{k: max(v, old.get("min", {}).get(k, v)) for k, v in new["min"].items()}}
    new["max"] = {**old.get("max", {}), **{k: min(v, old.get("max", {}).get(k, v)) for k, v in new["max"].items()}}
    # each bound sits its margin from the measurement it was set from: a kept bound, from the earlier run's
    earlier = old.get("measured", {})
    new["measured"] = {**{k: earlier[k] for k in (*new["min"], *new["max"]) if k in earlier and (
        k in kept or k not in new["measured"])}, **{k: v for k, v in new["measured"].items() if k not in kept}}
    return new, kept


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not (argv[0] == "eval" or argv[0].startswith("suite_")):
        print("usage: python -m assistant.evaluation.set_floors eval|suite_<name> SUMMARY.json", file=sys.stderr)
        return 2
    gate, summary_path = argv
    summary = json.loads(Path(summary_path).read_text(encoding="utf-8"))
    if gate.startswith("suite_") and "pooled" not in summary:
        print(f"error: {summary_path} is not a suite run (assistant eval --suite ...).", file=sys.stderr)
        return 2
    thresholds = json.loads(THRESHOLDS.read_text(encoding="utf-8")) if THRESHOLDS.exists() else {}
    thresholds[gate], kept = raised(thresholds.get(gate), gate_from(summary, gate))
    if kept:
        print(f"{gate}: kept the bounds of {', '.join(kept)} (this run measured less)")
    THRESHOLDS.write_text(json.dumps(thresholds, indent=2) + "\n", encoding="utf-8")
    print(f"{gate}: {json.dumps(thresholds[gate]['min'])} max {json.dumps(thresholds[gate]['max'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
