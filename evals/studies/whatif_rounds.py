"""The blind what-if rounds as a chart: what-ifs right per round and document, when the round was first measured
(blind: its questions unread) and now. Ids tell the round (see evals/whatif-blind*/README.md).

    .venv/bin/python evals/studies/whatif_rounds.py --out evals/whatif-rounds.png \
        --now BLIND/summary.json BLIND2/summary.json --first ROUND3/summary.json ROUND5/summary.json ...

The NOW summaries are runs of `assistant eval --suite evals/whatif-blind`, `evals/whatif-blind-2`,
`evals/whatif-governance` (PEP 13's sets) and `evals/whatif-deprecation` (the Kubernetes deprecation policy's); each
FIRST summary a run made when a round was new (its questions unread); a round's first figure comes from the first
of them that holds it.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

ROUNDS = {"-wi-c": "round 2\n(held out)", "-wi-d": "round 3", "-wi-e": "round 4\n(held out)", "-wi-f": "round 5",
          "-wi-g": "round 6", "-wi-i": "round 7", "-wi-j": "round 8", "-wi-m": "round 9", "-wi-n": "round 10", "-wi-p": "round 11",
          "-wi-q": "round 12", "-wi-r": "round 13", "-wi-s": "round 14\n(held out)", "-wi-t": "round 15",
          "-wi-u": "set u", "-wi-v": "set v\n(held out)", "-wi-w": "set w", "-wi-x": "set x", "-wi-y": "set y",
          "-wi-z": "set z\n(held out)", "deprec-wi-a": "set a", "deprec-wi-b": "set b", "deprec-wi-c": "set c",
          "deprec-wi-h": "set h\n(held out)", "deprec-wi-z": "set z\n(held out)"}
CORPORA = {"cc-by-licence": "licence", "leave-policy": "leave", "partnership": "article", "policy-guide": "PEP 13",
           "deprecation-policy": "deprecation"}


def round_of(question_id: str) -> str | None:
    """The round a question belongs to: the longest tag its id holds ("deprec-wi-c01" is set c, not round 2)."""
    return max((tag for tag in ROUNDS if tag in question_id), key=len, default=None)


def right(result: dict) -> bool:
    """What what_if_accuracy counts: answered, with every group of the answer matched (a citation not needed)."""
    return not result["abstained"] and "missing" not in (result.get("reason") or "")


def right_per_round(summary: dict) -> dict[tuple[str, str], tuple[int, int]]:
    """(round tag, corpus) -> (what-ifs right, what-ifs asked)."""
    found = {}
    for corpus, run in summary["corpora"].items():
        for tag in ROUNDS:
            asked = [q for q in run["per_question"] if round_of(q["id"]) == tag and q["kind"] == "what_if"]
            if asked:
                found[(tag, corpus)] = (sum(right(q) for q in asked), len(asked))
    return found


def main(now_paths: list[str], first_paths: list[str], out: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    now = {k: v for path in now_paths for k, v in right_per_round(json.loads(Path(path).read_text())).items()}
    first: dict[tuple[str, str], tuple[int, int]] = {}
    for path in first_paths:
        for key, figures in right_per_round(json.loads(Path(path).read_text())).items():
            first.setdefault(key, figures)
    keys = sorted((k for k in now if k in first), key=lambda k: (list(ROUNDS).index(k[0]), k[1]))
    labels = [f"{ROUNDS[tag]}\n{CORPORA.get(corpus, corpus)}" for tag, corpus in keys]
    figure, axes = plt.subplots(figsize=(max(16, 0.55 * len(keys)), 5))
    positions = range(len(keys))
    for offset, (label, figures, colour) in enumerate((("first measured, blind", first, "tab:gray"),
                                                       ("now", now, "tab:blue"))):
        shares = [figures[k][0] / figures[k][1] for k in keys]
        bars = axes.bar([p + (offset - 0.5) * 0.4 for p in positions], shares, 0.4, label=label, color=colour)
        axes.bar_label(bars, labels=[f"{figures[k][0]}/{figures[k][1]}" for k in keys], fontsize=7)
    axes.set_xticks(list(positions), labels, fontsize=7)
    axes.set_ylim(0, 1.12)
    axes.set_ylabel("what-ifs answered right")
    axes.set_title("Blind what-if rounds: each measured once before its questions were read; held-out rounds never "
                   "read")
    axes.legend(loc="lower right")
    figure.tight_layout()
    figure.savefig(out, dpi=110)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--now", nargs="+", required=True)
    parser.add_argument("--first", nargs="+", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    main(args.now, args.first, args.out)
