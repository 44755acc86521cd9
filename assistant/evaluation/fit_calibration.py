"""Fit the extractive answerer's weights and abstention thresholds on the suite's pooled dev questions.

    .venv/bin/python -m assistant.evaluation.fit_calibration     # evals/corpora -> assistant/answer/calibration.json
    .venv/bin/python -m assistant.evaluation.fit_calibration --suite DIR --store-root /tmp/fit-stores --passes 2

Every corpus of the suite is ingested (into --store-root, kept so that a second run reuses it) and its dev
questions are run through the eval runner (`Assistant.ask`, as `assistant eval` asks them) under each candidate
calibration. Coordinate ascent from the calibration in use: each parameter in turn takes the value of its grid
that passes the most pooled dev questions, as long as the gain holds in both halves of the dev set (split by
question id), no corpus passes fewer of its dev questions than it did at the start and the pooled citation
precision does not fall (a change stays only if the pooled figures gain and no corpus loses); a tie keeps the
value in use. Nor may a setting fail a floor of the CI gate
(evals/thresholds.json: the suite's gates over these dev questions, and the article's eval set) that the values
in use keep: a fit CI would reject is no fit. The held-out questions are run only at the end, before and after,
and printed: they choose nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from tqdm import tqdm

from assistant import Assistant, Calibration, load_settings
from assistant.answer.calibration import FILE, MODEL_FILE, fitted
from assistant.config import project_root
from assistant.evaluation import evaluate, load_questions
from assistant.evaluation.gate import EVAL_SET, check_gate, load_thresholds, suite_gates
from assistant.evaluation.metrics import summarise
from assistant.evaluation.runner import EvalRun, QuestionResult, run_eval
from assistant.evaluation.suite import discover_suite

EVALS = project_root() / "evals"
GRIDS = {  # each includes the value in use, whatever it is
    "dense_weight": [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7],
    "min_dense": [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55],
    "min_score": [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55],
    "winner_margin": [0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 1.0],
    "winner_min_dense": [0.15, 0.2, 0.25, 0.3, 0.35, 0.4],
    "min_typed_dense": [0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 1.0],
    "nearby_share": [0.0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0],
    "soft_share": [0.0, 0.4, 0.6, 0.7, 0.8, 0.9, 1.0],
    "focus_idf_share": [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6],
    "soft_match_min": [0.5, 0.55, 0.6, 0.65, 0.7, 0.8],
    "full_coverage": [0.8, 0.9, 0.95, 0.999, 1.01],  # above 1: every answer needs the dense floor
    "earlier_turn_share": [0.0, 0.25, 0.5, 0.75, 1.0],
    "value_window": [3, 4, 6, 8, 10],
    "name_window": [30, 45, 60, 90, 120],
    "rank_penalty": [0.0, 0.0025, 0.005, 0.01, 0.02],
    "mirror_weight": [0.0, 0.05, 0.1, 0.15, 0.2],  # 0: the cue is off
    "position_bonus": [0.0, 0.05, 0.1, 0.15, 0.2],
    "time_frame_weight": [0.0, 0.04, 0.08, 0.12, 0.16],
    "second_sentence_margin": [0.0, 0.02, 0.04, 0.06, 0.08, 0.1, 0.15],
    "same_idea_margin": [0.0, 0.01, 0.02, 0.03, 0.05],
    "already_said": [0.5, 0.6, 0.7, 0.8, 0.9, 1.01],  # above 1: nothing counts as heard
    "max_sentences": [1, 2, 3],
    "max_followers": [0, 1, 2, 3],
}
FIGURES = ("answer_accuracy", "citation_precision", "abstention_accuracy", "false_abstention_rate")
Results = dict[str, list[QuestionResult]]  # each corpus's results


class Corpus:
    """One corpus of the suite, ingested, with an assistant that answers its questions."""

    def __init__(self, name: str, bot: Assistant, dev: list, heldout: list):
        self.name, self.bot, self.dev, self.heldout = name, bot, dev, heldout

    def run(self, calibration: Calibration, split: str) -> list[QuestionResult]:
        self.bot.calibration = calibration
        return run_eval(self.bot, self.dev if split == "dev" else self.heldout).results


def open_suite(suite_dir: Path, store_root: Path) -> list[Corpus]:
    settings = load_settings()
    corpora = []
    for corpus in tqdm(discover_suite(suite_dir), desc="ingest", unit="corpus", file=sys.stderr):
        local = settings.model_copy(update={"corpus_dir": corpus.corpus_dir, "store_dir": store_root / corpus.name,
                                            "chroma_url": None})
        bot = Assistant(local)
        bot.ingest()
        corpora.append(Corpus(corpus.name, bot, [q for q in corpus.questions if q.split != "heldout"],
                              [q for q in corpus.questions if q.split == "heldout"]))
    return corpora


class Gates:
    """The CI gate's floors (evals/thresholds.json): each suite gate over its corpora's dev results, and the
    article's eval set (evals/questions.jsonl), asked under a calibration."""

    def __init__(self, store_root: Path):
        settings = load_settings()
        self.article = Assistant(settings.model_copy(update={"store_dir": store_root / "article-eval",
                                                             "chroma_url": None}))
        self.article.ingest()
        self.questions = load_questions(EVALS / "questions.jsonl")

    def failures(self, calibration: Calibration, results: Results) -> set[str]:
        """Each floor this calibration fails, as "gate: metric"."""
        failed = set()
        for name, (thresholds, corpora) in suite_gates().items():
            names = corpora or tuple(results)
            if thresholds and set(names) <= set(results):
                summary = summarise(EvalRun([r for c in names for r in results[c]], 5))
                failed |= {f"{name}: {line.split()[0]}" for line in check_gate(summary, thresholds)}
        self.article.calibration = calibration
        summary = evaluate(self.article, self.questions)
        return failed | {f"{EVAL_SET}: {line.split()[0]}" for line in check_gate(summary, load_thresholds(gate=EVAL_SET))}


def passes(corpora: list[Corpus], calibration: Calibration, split: str = "dev") -> Results:
    return {c.name: c.run(calibration, split) for c in corpora}


def count(results: Results) -> dict[str, int]:
    return {name: sum(r.passed for r in rs) for name, rs in results.items()}


def fit(corpora: list[Corpus], start: Calibration, rounds: int, gates: Gates,
        names: tuple[str, ...] = tuple(GRIDS)) -> tuple[Calibration, Results, Results]:
    """Coordinate ascent over GRIDS; returns the fitted calibration and the dev results before and after.

    A setting is admissible when it passes more dev questions in each half of the dev set (`halves`), no corpus
    passes fewer, the pooled dev citation precision does not fall (more answers bought with wrong citations are
    no gain), and it fails no CI floor the start keeps."""
    first = passes(corpora, start)
    floor, least_precision = count(first), pooled(first)["citation_precision"] or 0.0
    failing = gates.failures(start, first)
    if failing:
        print(f"the values in use already fail {', '.join(sorted(failing))}", file=sys.stderr)
    best, best_results = start, first
    grids = {name: GRIDS[name] for name in names}
    steps = tqdm(total=rounds * sum(len(set(g) | {getattr(start, n)}) for n, g in grids.items()), desc="fit",
                 unit="setting", file=sys.stderr)
    for _ in range(rounds):
        moved = False
        for name, grid in grids.items():
            for value in sorted(set(grid) | {getattr(best, name)}):
                steps.update()
                if value == getattr(best, name):
                    continue
                candidate = replace(best, **{name: value})
                results = passes(corpora, candidate)
                counts = count(results)
                if (all(counts[c] >= floor[c] for c in floor)
                        and (pooled(results)["citation_precision"] or 0.0) >= least_precision
                        and all(now > then for now, then in zip(halves(results), halves(best_results)))
                        and gates.failures(candidate, results) <= failing):
                    best, best_results, moved = candidate, results, True
                    steps.set_postfix_str(f"{name}={value}: {sum(counts.values())} passed")
        if not moved:
            break
    steps.close()
    return best, first, best_results


def halves(results: Results) -> tuple[int, int]:
    """Dev questions passed in each half of the dev set, split by a hash of the question's id: a setting is taken
    only if it passes more in both, a gain that replicates rather than one a few questions of one kind make."""
    passed = [0, 0]
    for rs in results.values():
        for r in rs:
            passed[int(hashlib.sha1(r.question.id.encode()).hexdigest(), 16) % 2] += r.passed
    return passed[0], passed[1]


def pooled(results: Results) -> dict:
    """The eval's summary of every corpus's results together."""
    return summarise(EvalRun([r for rs in results.values() for r in rs], 5))


def figures(results: Results) -> dict[str, float | None]:
    summary = pooled(results)
    return {key: summary[key] for key in FIGURES} | {"passed": sum(count(results).values()),
                                                      "questions": sum(map(len, results.values()))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--suite", type=Path, default=EVALS / "corpora")
    parser.add_argument("--store-root", type=Path, default=None, help="keep the suite's stores here (reused)")
    parser.add_argument("--passes", type=int, default=2, help="rounds of coordinate ascent (default 2)")
    parser.add_argument("--out", type=Path, default=None,
                        help="default: the shipped calibration.json, or, for an embedding model that is a local folder "
                             "(ASSISTANT_EMBEDDING_MODEL), calibration.json in that folder")
    parser.add_argument("--only", default="", help="comma-separated parameters to fit (default: every one)")
    args = parser.parse_args(argv)
    names = tuple(filter(None, args.only.split(","))) or tuple(GRIDS)
    unknown = set(names) - set(GRIDS)
    if unknown:
        parser.error(f"unknown parameter(s): {', '.join(sorted(unknown))}; the parameters are: {', '.join(GRIDS)}")
    model = load_settings().embedding_model
    args.out = args.out or (Path(model).expanduser() / MODEL_FILE if Path(model).expanduser().is_dir() else FILE)
    with tempfile.TemporaryDirectory(prefix="fit-calibration-") as tmp:
        corpora = open_suite(args.suite, args.store_root or Path(tmp))
        start = fitted(model)  # a model without a calibration of its own starts from the shipped one
        calibration, dev_before, dev_after = fit(corpora, start, args.passes, Gates(args.store_root or Path(tmp)), names)
        heldout_before = passes(corpora, start, "heldout")
        heldout_after = heldout_before if calibration == start else passes(corpora, calibration, "heldout")
    report = {"dev": {"before": figures(dev_before), "after": figures(dev_after)},
              "heldout": {"before": figures(heldout_before), "after": figures(heldout_after)}}
    before, after = count(dev_before), count(dev_after)
    print(f"{'corpus':28} dev passed before -> after")
    for name in before:
        print(f"{name:28} {before[name]:3} -> {after[name]:3}")
    for split, parts in report.items():
        for when, values in parts.items():
            shown = ", ".join(f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in values.items())
            print(f"{split:8} {when:6}: {shown}")
    print("calibration:", json.dumps(calibration.to_dict()))
    command = f"python -m assistant.evaluation.fit_calibration --suite {args.suite.name} --passes {args.passes}" + (
        f" --only {','.join(names)}" if args.only else "")
    # A fit of some parameters leaves the others as an earlier fit set them: the file names every fit since the
    # last fit of all of them.
    earlier = json.loads(args.out.read_text(encoding="utf-8")).get("fitted_by", []) if args.only and args.out.exists() else []
    args.out.write_text(json.dumps({
        "calibration": calibration.to_dict(),
        "fitted_by": ([earlier] if isinstance(earlier, str) else earlier) + [command],
        "fitted_on": "the dev questions of every corpus of the suite, pooled; a gain must hold in both halves of them, "
                     "no corpus may pass fewer, "
                     "the pooled citation precision may not fall, and no floor of the CI gate may fail",
        "before": start.to_dict(),
        "dev_passed_by_corpus": {"before": before, "after": after},
        "figures": report,
    }, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
