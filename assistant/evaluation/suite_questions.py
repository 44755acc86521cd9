"""Keep the suite's question sets in shape: a held-out third per corpus, and the partnership article's sample.

    .venv/bin/python -m assistant.evaluation.suite_questions

1. Every question of `evals/corpora/*/questions.jsonl` without a "split" gets one: within each corpus and kind,
   questions are ordered by a hash of their id and the first third is "heldout", the rest "dev" (questions added
   to a corpus later: in hash order, held out until a third of the corpus is). The rule looks at ids only, never
   at a question's wording or at how the assistant does on it; a split once written is kept.
2. `evals/corpora/partnership/` is the shipped article as one corpus of the suite: a copy of `corpus/`, and 30
   questions drawn the same way from the article's own sets (20 from `evals/dev_questions.jsonl` as "dev", 10
   from `evals/heldout_questions.jsonl` as "heldout"), each kind in proportion. The article's eval set
   (`evals/questions.jsonl`) stays out of the suite: it is measured on its own.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections import defaultdict
from pathlib import Path

from assistant.config import project_root

EVALS = project_root() / "evals"
SUITE = EVALS / "corpora"
PARTNERSHIP = SUITE / "partnership"
HELD_OUT_EVERY = 3
PARTNERSHIP_DEV, PARTNERSHIP_HELDOUT = 20, 10


def _order(question: dict) -> str:
    return hashlib.sha1(question["id"].encode("utf-8")).hexdigest()


def _read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _write(path: Path, questions: list[dict]) -> None:
    path.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in questions), encoding="utf-8")


def assign_splits(path: Path) -> tuple[int, int]:
    """Give every question of a set without a split one; returns (dev, heldout) counts.

    A new set: within each kind, the first third by id hash is held out. Questions added to a set later are
    ordered by id hash too, and the first of them are held out until a third of the whole set is."""
    questions = _read(path)
    fresh = [q for q in questions if "split" not in q]
    if len(fresh) == len(questions):
        by_kind: dict[str, list[dict]] = defaultdict(list)
        for question in questions:
            by_kind[question["kind"]].append(question)
        for group in by_kind.values():
            held = round(len(group) / HELD_OUT_EVERY)
            for rank, question in enumerate(sorted(group, key=_order)):
                question["split"] = "heldout" if rank < held else "dev"
    elif fresh:
        held = max(0, round(len(questions) / HELD_OUT_EVERY) - sum(q["split"] == "heldout" for q in questions
                                                                    if "split" in q))
        for rank, question in enumerate(sorted(fresh, key=_order)):
            question["split"] = "heldout" if rank < held else "dev"
    _write(path, questions)
    heldout = sum(q["split"] == "heldout" for q in questions)
    return len(questions) - heldout, heldout


def _sample(questions: list[dict], n: int) -> list[dict]:
    """`n` questions, each kind in proportion, the first of each kind by id hash."""
    by_kind: dict[str, list[dict]] = defaultdict(list)
    for question in sorted(questions, key=_order):
        by_kind[question["kind"]].append(question)
    exact = {kind: n * len(group) / len(questions) for kind, group in by_kind.items()}
    shares = {kind: int(share) for kind, share in exact.items()}
    for kind in sorted(exact, key=lambda k: shares[k] - exact[k])[: n - sum(shares.values())]:
        shares[kind] += 1  # largest remainders first, so that the sample has exactly n questions
    return [q for kind, group in sorted(by_kind.items()) for q in group[: shares[kind]]]


def build_partnership() -> int:
    """Write the partnership corpus of the suite (once: an existing question file is kept)."""
    target = PARTNERSHIP / "questions.jsonl"
    (PARTNERSHIP / "corpus").mkdir(parents=True, exist_ok=True)
    for source in (EVALS.parent / "corpus").iterdir():
        if source.is_file():
            shutil.copyfile(source, PARTNERSHIP / "corpus" / source.name)
    if target.exists():
        return len(_read(target))
    dev = [{**q, "split": "dev"} for q in _sample(_read(EVALS / "dev_questions.jsonl"), PARTNERSHIP_DEV)]
    heldout = [{**q, "split": "heldout"} for q in _sample(_read(EVALS / "heldout_questions.jsonl"), PARTNERSHIP_HELDOUT)]
    _write(target, dev + heldout)
    return len(dev) + len(heldout)


def main() -> None:
    print(f"partnership: {build_partnership()} questions")
    for path in sorted(SUITE.glob("*/questions.jsonl")):
        dev, heldout = assign_splits(path)
        print(f"{path.parent.name}: {dev} dev, {heldout} heldout")


if __name__ == "__main__":
    main()
