"""Sweep the extractive answerer's scoring weights over a question set, through the official eval runner.

    .venv/bin/python evals/weight_sweep.py evals/dev_questions.jsonl

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
    "DENSE_WEIGHT": [0.35, 0.4, 0.45, 0.55, 0.65],
    "NEARBY_SHARE": [0.3, 0.5, 0.7, 0.8, 0.9],
    "SOFT_SHARE": [0.6, 0.8, 1.0],
}


def main(path: str) -> None:
    questions = load_questions(path)
    bot = Assistant()
    bot.index()
    rows = []
    for values in itertools.product(*GRID.values()):
        for name, value in zip(GRID, values):
            setattr(extractive, name, value)
        bot._extractive = None  # a fresh answerer reads the patched weights
        summary = evaluate(bot, questions)
        metrics = (summary["answer_accuracy"], summary["citation_precision"], summary["abstention_accuracy"])
        rows.append((sum(metrics) / 3, values, metrics))
        print(dict(zip(GRID, values)), "answer %.3f precision %.3f abstention %.3f mean %.3f" % (*metrics, rows[-1][0]), flush=True)
    for mean, values, _ in sorted(rows, reverse=True)[:5]:
        print("best:", dict(zip(GRID, values)), f"mean {mean:.3f}")


if __name__ == "__main__":
    main(sys.argv[1])
