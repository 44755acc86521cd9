"""Sweep the extractive answerer's abstention thresholds over a question set.

    .venv/bin/python evals/calibrate.py evals/dev_questions.jsonl

Calibrate on a development set, never on the eval set the gate runs: the thresholds chosen here are
then measured, unchanged, by `assistant eval`.
"""

from __future__ import annotations

import json
import sys
from itertools import product

from assistant import Assistant
from assistant.conversation import condense
from assistant.extractive import ExtractiveAnswerer
from assistant.validation import validate_history


def matches(answer_text: str, groups: list[list[str]]) -> bool:
    lowered = answer_text.lower()
    return all(any(s.lower() in lowered for s in group) for group in groups)


def main(path: str) -> None:
    bot = Assistant()
    index = bot.index()
    rows = []
    for line in open(path, encoding="utf-8"):
        if not line.strip():
            continue
        q = json.loads(line)
        if q["kind"] == "what_if":
            continue
        query = condense(q["question"], validate_history(q.get("history")))
        passages = index.search(query.search_text, bot.settings.k)
        rows.append((q, query, passages))
    grid = product([0.2, 0.25, 0.3, 0.35], [0.3, 0.35, 0.4, 0.45, 0.5, 0.55])
    print("min_dense min_score  answer_acc  abstention_acc  mean")
    for min_dense, min_score in grid:
        answerer = ExtractiveAnswerer(index, min_dense=min_dense, min_score=min_score)
        right = {"fact": [0, 0], "unanswerable": [0, 0]}
        for q, query, passages in rows:
            answer = answerer.answer(query, passages)
            ok = answer.abstained if q["kind"] == "unanswerable" else (not answer.abstained and matches(answer.text, q["answer_must_include"]))
            right[q["kind"]][0] += ok
            right[q["kind"]][1] += 1
        fact = right["fact"][0] / max(right["fact"][1], 1)
        abst = right["unanswerable"][0] / max(right["unanswerable"][1], 1)
        print(f"{min_dense:9.2f} {min_score:9.2f}  {fact:10.3f}  {abst:14.3f}  {(fact + abst) / 2:.3f}")


if __name__ == "__main__":
    main(sys.argv[1])
