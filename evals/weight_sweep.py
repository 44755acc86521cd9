"""Sweep the extractive answerer's scoring weights over a question set, through the official eval runner.

    .venv/bin/python evals/weight_sweep.py evals/dev_questions.jsonl
    .venv/bin/python evals/weight_sweep.py evals/dev_questions.jsonl SECOND_SENTENCE_MARGIN=0.02,0.04,0.06

Without NAME=values arguments it sweeps GRID below; with them, only the named constants of
assistant/extractive.py over the given values (the dense weight and the abstention thresholds are fitted by
evals/fit_calibration.py instead).

Run it on the development set, never on the eval set the gate runs. Each setting is scored by the mean of
answer accuracy, citation precision and abstention accuracy (three of the gate's metrics).
"""

from __future__ import annotations

import itertools
import sys

import assistant.extractive as extractive
from assistant import Assistant
from assistant.evaluation import evaluate, load_questions

GRID = {
    "NEARBY_SHARE": [0.3, 0.5, 0.7, 0.8, 0.9],
    "SOFT_SHARE": [0.6, 0.8, 1.0],
}


def _number(value: str) -> int | float:
    """A swept value: a count stays an int (Chroma wants `n_results` to be one), anything else is a float."""
    return int(value) if value.strip().isdigit() else float(value)


def main(path: str, overrides: list[str]) -> None:
    grid = GRID
    if overrides:
        grid = {name: [_number(v) for v in values.split(",")] for name, values in (o.split("=", 1) for o in overrides)}
        for name in grid:
            if not hasattr(extractive, name):
                raise SystemExit(f"assistant/extractive.py has no constant {name}")
    questions = load_questions(path)
    bot = Assistant()
    bot.index()
    rows = []
    for values in itertools.product(*grid.values()):
        for name, value in zip(grid, values):
            setattr(extractive, name, value)
        bot._extractive = None  # a fresh answerer reads the patched weights
        summary = evaluate(bot, questions)
        metrics = (summary["answer_accuracy"], summary["citation_precision"], summary["abstention_accuracy"])
        rows.append((sum(metrics) / 3, values, metrics))
        print(dict(zip(grid, values)), "answer %.3f precision %.3f abstention %.3f mean %.3f" % (*metrics, rows[-1][0]), flush=True)
    for mean, values, _ in sorted(rows, reverse=True)[:5]:
        print("best:", dict(zip(grid, values)), f"mean {mean:.3f}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
