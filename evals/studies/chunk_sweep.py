"""Measure retrieval (recall@1, recall@k, MRR) for several chunk sizes, to choose the default by measurement.

    .venv/bin/python evals/studies/chunk_sweep.py evals/dev_questions.jsonl

Run it on a development set, not on the eval set the gate uses.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile

from assistant import Assistant

SETTINGS = [(300, 50), (400, 80), (500, 100), (700, 100), (1000, 200)]


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def main(path: str, k: int = 5) -> None:
    questions = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    questions = [q for q in questions if q.get("evidence")]
    print(f"{len(questions)} questions with evidence; k={k}")
    print("size overlap chunks  recall@1  recall@k  mrr")
    for size, overlap in SETTINGS:
        with tempfile.TemporaryDirectory() as store:
            bot = Assistant(store_dir=store, chunk_size=size, chunk_overlap=overlap)
            chunks = bot.ingest().chunk_count
            hits1 = hitsk = rr = 0.0
            for q in questions:
                evidence = [normalise(e) for e in q["evidence"]]
                passages = bot.retrieve(q["question"], history=q.get("history"), k=k)
                ranks = [i for i, p in enumerate(passages, start=1) if any(e in normalise(p.text) for e in evidence)]
                if ranks:
                    hits1 += ranks[0] == 1
                    hitsk += 1
                    rr += 1 / ranks[0]
            n = len(questions)
            print(f"{size:4d} {overlap:7d} {chunks:6d}  {hits1 / n:8.3f}  {hitsk / n:8.3f}  {rr / n:.3f}")


if __name__ == "__main__":
    main(sys.argv[1])
