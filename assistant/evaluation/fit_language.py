"""Fit how sure the language identifier must be before a question is told it is not in the documents' language.

Data: the dev questions of every corpus of the suite (`evals/corpora/*/questions.jsonl`, split "dev") and the
article's dev set (`evals/dev_questions.jsonl`). A question whose `language` field names another language than
English (the suite's documents are all English) is positive; every other question is an English one. The
threshold is the middle of the interval that maximises balanced accuracy on the dev questions; the held-out
questions (split "heldout", and the article's eval set) are only measured. Writes `assistant/ingest/language.json`,
which `assistant.ingest.language` reads.

    .venv/bin/python -m assistant.evaluation.fit_language
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import assistant.ingest.language
from assistant.config import project_root

EVALS = project_root() / "evals"
OUT = Path(assistant.ingest.language.__file__).with_name("language.json")  # where min_confidence() reads it
DOCUMENT_LANGUAGE = "en"


def questions() -> list[dict]:
    """Every question with its split ("dev" or "heldout") and whether it is in another language."""
    rows = []
    sets = [(path, None) for path in sorted((EVALS / "corpora").glob("*/questions.jsonl"))]
    sets += [(EVALS / "dev_questions.jsonl", "dev"), (EVALS / "questions.jsonl", "heldout")]
    for path, split in sets:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                rows.append({"question": row["question"], "split": split or row.get("split", "dev"),
                             "other": row.get("language", DOCUMENT_LANGUAGE) != DOCUMENT_LANGUAGE,
                             "source": path.parent.name if split is None else path.stem})
    return rows


def score(rows: list[dict]) -> None:
    """Each question's confidence that it is in another language: the identifier's probability, 0 for English."""
    from assistant.ingest.language import identify

    for row in rows:
        language, probability = identify(row["question"])
        row["language"], row["score"] = language, probability if language != DOCUMENT_LANGUAGE else 0.0


def rates(rows: list[dict], threshold: float) -> dict[str, float]:
    other = [r for r in rows if r["other"]]
    english = [r for r in rows if not r["other"]]
    tpr = sum(r["score"] >= threshold for r in other) / len(other) if other else float("nan")
    tnr = sum(r["score"] < threshold for r in english) / len(english) if english else float("nan")
    return {"other_language_questions": len(other), "english_questions": len(english),
            "told_other_language": round(tpr, 4), "english_left_alone": round(tnr, 4)}


def fit(rows: list[dict]) -> float:
    """The middle of the best interval of thresholds by balanced accuracy."""
    candidates = sorted({r["score"] for r in rows} | {1.0001})
    best, best_value = [], -1.0
    for threshold in candidates:
        measured = rates(rows, threshold)
        value = (measured["told_other_language"] + measured["english_left_alone"]) / 2
        if value > best_value + 1e-12:
            best, best_value = [threshold], value
        elif abs(value - best_value) <= 1e-12:
            best.append(threshold)
    upper = best[0]  # the lowest threshold of the best run
    lower = max([s for s in candidates if s < upper], default=0.0)
    return round((lower + upper) / 2, 4)


def main() -> int:
    rows = questions()
    score(rows)
    dev = [r for r in rows if r["split"] == "dev"]
    heldout = [r for r in rows if r["split"] != "dev"]
    threshold = fit(dev)
    result = {"min_confidence": threshold, "command": "python -m assistant.evaluation.fit_language",
              "dev": rates(dev, threshold), "heldout": rates(heldout, threshold)}
    OUT.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=1))
    missed = [r for r in heldout if (r["score"] >= threshold) != r["other"]]
    for row in missed:
        print(f"held out, wrong: {row['source']}: {row['language']} {row['score']:.3f} {row['question']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
