"""How well an embedding model ranks the sentence units that answer a question (issue 32's retrieval measure).

Over the answerable questions of the chosen corpora and splits (records made by `pairs`), each figure a share,
with the questions it is measured over:

- `top1_dense20`: the model's first unit among the shipped model's dense top 20 holds evidence (questions with
  a right unit in that pool);
- `top1_answerer`: the same among the units of the five passages the answerer reads (its candidate pool);
- `r1`, `r5`: a right unit is first / in the first five of the whole corpus by the model (questions with a right
  unit anywhere).

The pools are the shipped model's, fixed, so every model is compared on the same candidates; `r1`/`r5` let a
model bring other units forward.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from assistant.evaluation.finetune.pairs import CorpusData

FIGURES = ("top1_dense20", "top1_answerer", "r1", "r5")


@dataclass
class Tally:
    hits: dict[str, int]
    over: dict[str, int]

    @classmethod
    def empty(cls) -> Tally:
        return cls({f: 0 for f in FIGURES}, {f: 0 for f in FIGURES})

    def add(self, other: Tally) -> None:
        for f in FIGURES:
            self.hits[f] += other.hits[f]
            self.over[f] += other.over[f]

    def share(self, figure: str) -> float | None:
        return self.hits[figure] / self.over[figure] if self.over[figure] else None

    def row(self) -> str:
        return " | ".join(f"{self.share(f):.3f} ({self.hits[f]}/{self.over[f]})" if self.over[f] else "-"
                          for f in FIGURES)


def measure(corpora: list[CorpusData], names: set[str], splits: set[str],
            encode: Callable[[list[str]], object]) -> dict[str, Tally]:
    """A tally per corpus of the named corpora, over their questions of the given splits."""
    import numpy as np

    out = {}
    for corpus in corpora:
        items = [i for i in corpus.items if corpus.name in names and i.split in splits and i.right]
        if not items:
            continue
        units = np.asarray(encode(corpus.units))
        queries = np.asarray(encode([i.query for i in items]))
        tally = Tally.empty()
        for item, q in zip(items, queries):
            similarity = units @ q
            right = set(item.right)
            for figure, pool in (("top1_dense20", item.dense_pool), ("top1_answerer", item.pool)):
                if right & set(pool):
                    tally.over[figure] += 1
                    tally.hits[figure] += max(pool, key=lambda i: (similarity[i], -i)) in right
            order = np.argsort(-similarity, kind="stable")
            tally.over["r1"] += 1
            tally.over["r5"] += 1
            tally.hits["r1"] += int(order[0]) in right
            tally.hits["r5"] += bool(right & {int(i) for i in order[:5]})
        out[corpus.name] = tally
    return out


def pooled(tallies: dict[str, Tally]) -> Tally:
    total = Tally.empty()
    for tally in tallies.values():
        total.add(tally)
    return total
