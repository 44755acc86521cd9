"""What a question needs besides the vectors in Chroma, written once at ingest beside the store and opened, not
rebuilt, by every process: the chunks' texts and metadata, the BM25 index (bm25s, memory-mapped), the corpus
statistics the answerer weighs words with, and the sentence vectors as one memory-mapped matrix.

One folder per index collection (`<store_dir>/index-files/<collection>/`); `complete` is written last, so a
folder from an ingest that did not finish is never read. A missing or incomplete folder (an index built before
these files existed, or a Chroma server's index built elsewhere) makes the index build them in memory instead.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

FOLDER = "index-files"
_COMPLETE = "complete"
_CHUNKS = "chunks.json"
_STATS = "stats.json"
_BM25 = "bm25"
_SENTENCE_VECTORS = "sentences.f32"
_SENTENCE_KEYS = "sentence-keys.json"


@dataclass
class CorpusStats:
    """How often each term occurs (in how many chunks), and the acronyms the corpus spells out or implies."""

    document_frequency: dict[str, int]
    chunks: int
    initials: list[str]  # of capitalised runs ("Financial Times" -> "ft")
    spelled_out: dict[str, str]  # acronym -> phrase ("agi" -> "artificial general intelligence")


def folder(store_dir: Path, collection: str) -> Path:
    """The folder of one index collection's files."""
    return store_dir / FOLDER / collection


class SentenceMatrixWriter:
    """Appends sentence vectors batch by batch to a raw float32 file, so that memory never holds them all."""

    def __init__(self, target: Path):
        target.mkdir(parents=True, exist_ok=True)
        self.target = target
        self._file = (target / _SENTENCE_VECTORS).open("wb")
        self.keys: list[str] = []
        self.dimension = 0

    def add(self, keys: list[str], vectors: np.ndarray) -> None:
        import numpy as np

        rows = np.ascontiguousarray(vectors, dtype=np.float32)
        self.dimension = rows.shape[1]
        self._file.write(rows.tobytes())
        self.keys.extend(keys)

    def close(self) -> None:
        self._file.close()
        (self.target / _SENTENCE_KEYS).write_text(json.dumps({"dimension": self.dimension, "keys": self.keys}),
                                                  encoding="utf-8")


def write(target: Path, ids: list[str], texts: list[str], metas: list[dict], bm25: Any, stats: CorpusStats) -> None:
    """Write everything but the sentence matrix (which `SentenceMatrixWriter` streams), then mark it complete."""
    target.mkdir(parents=True, exist_ok=True)
    (target / _CHUNKS).write_text(json.dumps({"ids": ids, "texts": texts, "metas": metas}), encoding="utf-8")
    (target / _STATS).write_text(json.dumps(stats.__dict__), encoding="utf-8")
    bm25.save(str(target / _BM25), show_progress=False)
    (target / _COMPLETE).write_text("1", encoding="utf-8")


def read(target: Path) -> dict[str, Any] | None:
    """The chunks, statistics and BM25 index of a complete folder (BM25 memory-mapped), else None."""
    if not (target / _COMPLETE).exists():
        return None
    import bm25s

    chunks = json.loads((target / _CHUNKS).read_text(encoding="utf-8"))
    stats = CorpusStats(**json.loads((target / _STATS).read_text(encoding="utf-8")))
    bm25 = bm25s.BM25.load(str(target / _BM25), mmap=True, show_progress=False)
    return {"chunks": chunks, "stats": stats, "bm25": bm25}


def sentence_matrix(target: Path) -> tuple[list[str], np.ndarray] | None:
    """The sentence vectors' keys and their matrix, memory-mapped, or None when the folder has none."""
    import numpy as np

    keys_file = target / _SENTENCE_KEYS
    if not (target / _COMPLETE).exists() or not keys_file.exists():
        return None
    data = json.loads(keys_file.read_text(encoding="utf-8"))
    keys, dimension = data["keys"], data["dimension"]
    if not keys:
        return keys, np.zeros((0, 0), dtype=np.float32)
    return keys, np.memmap(target / _SENTENCE_VECTORS, dtype=np.float32, mode="r", shape=(len(keys), dimension))


def remove(store_dir: Path, collection: str) -> None:
    """Delete one index collection's files (what is already gone is no error)."""
    shutil.rmtree(folder(store_dir, collection), ignore_errors=True)
