"""Would a learned scorer choose better sentences than the answerer's fitted formula? Measured, not assumed.

    .venv/bin/python evals/studies/scorer_study.py --store-root /tmp/study-stores [--suite evals/corpora]

Every corpus of the suite is ingested (into --store-root, reused by a second run) and every answerable question
(fact, not answered by the clause engine) is asked through `Assistant.ask`. While it answers, the candidates the
extractive answerer scored are recorded with their general measures (dense similarity, term coverage, the
retrieval rank, whether the type and focus checks let them through, the unit's layout).
A candidate is right when it holds an evidence string of the question.

Printed, on the dev part and on the held-out part: how often the answerer's own best-scored candidate is right,
against a logistic regression and gradient boosting over the same measures, each corpus scored by a model fitted
on the other corpora' dev questions (leave-one-corpus-out), and the held-out part by a model fitted on all dev
questions. The candidate pool is the same for all, so the figures compare the scorers alone.
"""

from __future__ import annotations

import argparse
import math
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.answer.candidates import Reader
from assistant.answer.scoring import Scorer
from assistant.evaluation.fit_calibration import EVALS, open_suite
from assistant.evaluation.matching import normalise
from assistant.index.sentences import points_back
from assistant.ingest.segmentation import CODE, FIELD, HEADING, ITEM, ROW
from assistant.text import terms

MEASURES = ("dense", "coverage", "score", "dense_gap", "coverage_gap", "score_gap", "inverse_rank",
            "fits", "typed", "is_heading", "is_item", "is_row", "is_field", "is_code", "log_length",
            "points_back", "novelty", "asks")


@dataclass
class Question:
    corpus: str
    split: str
    rows: np.ndarray  # candidates x MEASURES
    right: np.ndarray  # 1 where the candidate holds evidence
    own_choice: int  # index of the candidate the answerer ranks first (-1: none fits)


class Recorder:
    """Records, for the question being asked, the candidates the answerer scored and those that fit."""

    def __init__(self):
        self.scored: list = []
        self.fitting: list = []
        self.query = None  # the Question the answerer read
        score, fitting = Scorer.score, Reader.fitting
        recorder = self

        def recording_score(scorer, question, candidates):
            score(scorer, question, candidates)
            recorder.query, recorder.scored = question, list(candidates)

        def recording_fitting(reader, question, candidates):
            out = fitting(reader, question, candidates)
            recorder.fitting = list(out)
            return out

        Scorer.score = recording_score
        Reader.fitting = recording_fitting

    def reset(self):
        self.scored, self.fitting, self.query = [], [], None


def holds(text: str, evidence: list[str]) -> bool:
    haystack = normalise(text)
    return any(normalise(e) in haystack or len(haystack) >= 25 and haystack in normalise(e) for e in evidence)


def measures(recorder: Recorder, kind: str | None) -> np.ndarray:
    cands = recorder.scored
    fitting = {id(c) for c in recorder.fitting}
    top_dense = max(c.dense for c in cands)
    top_cover = max(c.coverage for c in cands)
    top_score = max(c.score for c in cands)
    asked = set(terms(recorder.query.search_text))
    rows = []
    for c in cands:
        own = set(terms(c.display))
        rows.append([
            c.dense, c.coverage, c.score, c.dense - top_dense, c.coverage - top_cover, c.score - top_score,
            1.0 / c.rank if c.rank else 0.0, float(id(c) in fitting), float(kind is not None),
            float(c.kind == HEADING), float(c.kind == ITEM), float(c.kind == ROW), float(c.kind == FIELD),
            float(c.kind == CODE), math.log1p(len(c.display.split())), float(points_back(c.text)),
            len(own - asked) / len(own) if own else 0.0, float(c.display.rstrip().endswith("?")),
        ])
    return np.array(rows, dtype=np.float64)


def read_questions(corpora, recorder: Recorder) -> list[Question]:
    from tqdm import tqdm

    out = []
    for corpus in tqdm(corpora, desc="questions", unit="corpus", file=sys.stderr):
        for split, questions in (("dev", corpus.dev), ("heldout", corpus.heldout)):
            for q in questions:
                if q.kind != "fact" or not q.evidence:
                    continue
                recorder.reset()
                answer = corpus.bot.ask(q.question, history=q.history)
                if answer.tool or not recorder.scored:
                    continue
                kind = recorder.query.kind
                rows = measures(recorder, kind)
                right = np.array([holds(c.display, q.evidence) for c in recorder.scored], dtype=np.int64)
                fitting = [i for i in range(len(rows)) if rows[i, MEASURES.index("fits")]]
                own = max(fitting, key=lambda i: recorder.scored[i].score) if fitting else -1
                out.append(Question(corpus.name, split, rows, right, own))
    return out


def top1(questions: list[Question], choose) -> tuple[int, int]:
    """(right first choices, questions with a right candidate in the pool)."""
    pool = [q for q in questions if q.right.any()]
    return sum(int(q.right[choose(q)]) for q in pool), len(pool)


def share(part: int, whole: int) -> str:
    return f"{part / whole:.3f}" if whole else "-"


def own(q: Question) -> int:
    """The answerer's first choice; where nothing fit its checks (it abstains), its best-scored candidate all the
    same, so that the formula's ranking is compared on every question with a right candidate."""
    return q.own_choice if q.own_choice >= 0 else int(np.argmax(q.rows[:, MEASURES.index("score")]))


def fit_model(kind: str, questions: list[Question]):
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    x = np.vstack([q.rows for q in questions])
    y = np.concatenate([q.right for q in questions])
    model = (make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced"))
             if kind == "logistic" else HistGradientBoostingClassifier(max_depth=3, max_iter=200, learning_rate=0.05))
    return model.fit(x, y)


def learned(kind: str, train: list[Question], test: list[Question]) -> dict[int, int]:
    model = fit_model(kind, train)
    return {id(q): int(np.argmax(model.predict_proba(q.rows)[:, 1])) for q in test}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suite", type=Path, default=EVALS / "corpora")
    parser.add_argument("--store-root", type=Path, required=True)
    args = parser.parse_args(argv)
    corpora = open_suite(args.suite, args.store_root)
    recorder = Recorder()
    questions = read_questions(corpora, recorder)
    dev = [q for q in questions if q.split == "dev"]
    heldout = [q for q in questions if q.split == "heldout"]
    names = sorted({q.corpus for q in dev})
    pooled = {split: (sum(q.right.any() for q in qs), len(qs)) for split, qs in (("dev", dev), ("held out", heldout))}
    found = [f"{split} {with_right} of {n} ({share(with_right, n)})" for split, (with_right, n) in pooled.items()]
    print("answerable questions read, and those with a right candidate in the pool: " + ", ".join(found))
    print(f"{'scorer':<28} {'dev (out of fold)':>20} {'held out':>12}")
    rows = {"answerer's fitted formula": (top1(dev, own), top1(heldout, own))}
    for kind in ("logistic", "boosting"):
        choice: dict[int, int] = {}
        for name in names:  # each corpus scored by a model that never saw it
            choice.update(learned(kind, [q for q in dev if q.corpus != name], [q for q in dev if q.corpus == name]))
        held = learned(kind, dev, heldout)
        rows[kind] = (top1(dev, lambda q: choice[id(q)]), top1(heldout, lambda q: held[id(q)]))
    for name, ((d_right, d_n), (h_right, h_n)) in rows.items():
        print(f"{name:<28} {d_right:>4}/{d_n} = {share(d_right, d_n)} {h_right:>4}/{h_n} = {share(h_right, h_n)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
