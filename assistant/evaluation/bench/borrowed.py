"""Stand-ins for the model and the recogniser at scales too big to embed: real vectors, borrowed for distractors."""

from __future__ import annotations

import zlib
from collections.abc import Callable
from pathlib import Path

from assistant.evaluation.bench.common import REAL_CORPUS, normalise


class BorrowedVectors:
    """Stands in for embedding distractor text at scales too big to embed in the time budget.

    Text from the real corpus and every query get the real model's vectors. A distractor gets the real vector
    of one of a pool of embedded distractors, chosen by a hash of its text, plus a little seeded noise: the
    vector distribution (and so the HNSW graph's shape and search cost) stays realistic, the build skips the
    model. Recall measured on such an index would mean nothing, so the report leaves it out.
    """

    def __init__(self, embed: Callable[[list[str]], object], pool_texts: list[str]):
        import numpy as np

        self._embed = embed
        self._real = normalise(" ".join(p.read_text(encoding="utf-8") for p in REAL_CORPUS.glob("*.md")))
        self._pool = np.asarray(embed(pool_texts), dtype=np.float32)

    def is_real(self, text: str) -> bool:
        """Whether a text comes from the real corpus (its tail occurs in it)."""
        return normalise(text)[-80:] in self._real

    def __call__(self, texts: list[str]):
        import numpy as np

        out = np.zeros((len(texts), self._pool.shape[1]), dtype=np.float32)
        real = [i for i, t in enumerate(texts) if self.is_real(t)]
        if real:
            out[real] = np.asarray(self._embed([texts[i] for i in real]), dtype=np.float32)
        for i, text in enumerate(texts):
            if i in real:
                continue
            h = zlib.crc32(text.encode("utf-8"))
            noise = np.random.default_rng(h).normal(0.0, 0.3 / np.sqrt(out.shape[1]), out.shape[1])
            v = self._pool[h % len(self._pool)] + noise
            out[i] = v / np.linalg.norm(v)
        return out


class BorrowedEntities:
    """With borrowed vectors, distractor text is not read by the named-entity recogniser either (it would take
    longer than embedding it); the real corpus is."""

    def __init__(self, find, is_real: Callable[[str], bool]):
        self._find, self._is_real = find, is_real

    def __call__(self, texts):
        texts = list(texts)
        real = [i for i, t in enumerate(texts) if self._is_real(t)]
        found = dict(zip(real, self._find([texts[i] for i in real])))
        return [found.get(i, "") for i in range(len(texts))]



def pool_texts(corpus: Path, n: int = 256) -> list[str]:
    """Passages of the first distractor files: the texts whose real vectors the distractors borrow."""
    real = {p.name for p in REAL_CORPUS.glob("*.md")}
    files = sorted(p for p in corpus.rglob("*") if p.suffix in (".md", ".txt") and p.name not in real)[:64]
    texts = [p.read_text(encoding="utf-8") for p in files]
    return [t[i : i + 700] for t in texts for i in range(0, len(t), 600)][:n]
