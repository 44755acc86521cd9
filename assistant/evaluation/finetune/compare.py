"""Two suite runs side by side (`assistant eval --suite ... --out DIR`, before and after a change of model), per
corpus and pooled, dev and held out, and issue 32's adoption rule on the held-out part.

    .venv/bin/python -m assistant.evaluation.finetune.compare BEFORE/summary.json AFTER/summary.json

The rule: held-out pooled answer accuracy up by at least 0.05, and no corpus passing more than one held-out
question fewer.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

FIGURES = ("answer_accuracy", "citation_precision", "abstention_accuracy", "false_abstention_rate")
MIN_GAIN = 0.05
MAX_LOSS = 1


def passed(summary: dict, corpus: str | None, split: str) -> tuple[int, int]:
    records = [r for r in summary["per_question"] if r["split"] == split and (corpus is None or r["corpus"] == corpus)]
    return sum(r["passed"] for r in records), len(records)


def _figures(part: dict) -> str:
    return " / ".join("-" if part.get(f) is None else f"{part[f]:.3f}" for f in FIGURES)


def table(before: dict, after: dict, split: str) -> list[str]:
    lines = [f"| corpus ({split}) | passed before -> after | answer / precision / abstention / false abst. before | after |",
             "| --- | --- | --- | --- |"]
    for corpus in sorted(before["corpora"]):
        b, a = passed(before, corpus, split), passed(after, corpus, split)
        lines.append(f"| {corpus} | {b[0]} -> {a[0]} (of {b[1]}) | {_figures(before['corpora'][corpus][split])} | "
                     f"{_figures(after['corpora'][corpus][split])} |")
    b, a = passed(before, None, split), passed(after, None, split)
    lines.append(f"| **pooled** | {b[0]} -> {a[0]} (of {b[1]}) | {_figures(before['pooled'][split])} | "
                 f"{_figures(after['pooled'][split])} |")
    return lines


def adoption(before: dict, after: dict) -> tuple[bool, str]:
    """Whether the rule holds, and why in words."""
    gain = after["pooled"]["heldout"]["answer_accuracy"] - before["pooled"]["heldout"]["answer_accuracy"]
    losers = {c: passed(before, c, "heldout")[0] - passed(after, c, "heldout")[0] for c in before["corpora"]}
    losers = {c: n for c, n in losers.items() if n > MAX_LOSS}
    met = gain >= MIN_GAIN and not losers
    why = (f"held-out pooled answer accuracy {gain:+.3f} (needs {MIN_GAIN:+.2f}); corpora passing more than "
           f"{MAX_LOSS} held-out question fewer: {', '.join(f'{c} (-{n})' for c, n in losers.items()) or 'none'}")
    return met, why


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    args = parser.parse_args(argv)
    before, after = (json.loads(p.read_text(encoding="utf-8")) for p in (args.before, args.after))
    for split in ("heldout", "dev"):
        print("\n".join(table(before, after, split)) + "\n")
    met, why = adoption(before, after)
    print(f"adoption rule {'MET' if met else 'NOT met'}: {why}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
