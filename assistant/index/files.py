"""What a question needs besides the chunk vectors in Chroma, written at ingest beside a local store and opened,
not rebuilt, by every process: what the index was built from, the chunks' texts and metadata, the BM25 index
(bm25s, memory-mapped), the corpus statistics the answerer weighs words with, and the sentence vectors as one
memory-mapped matrix.

Each ingest writes a new generation folder (`<store_dir>/index-files/<index>/<generation>/`, `<index>` the
collection setting); `complete` is written last, and the store's pointer names the live generation only once it
is complete, so an ingest stopped part-way leaves the previous generation answering. (A Chroma server's index has no such folder: other machines share it,
so it keeps everything in Chroma, see `store.py`.)
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.index.chunk_metas import ChunkMetas
from assistant.errors import AssistantRuntimeError

if TYPE_CHECKING:
    import numpy as np

FOLDER = "index-files"
_COMPLETE = "complete"
_INFO = "info.json"
_CHUNKS = "chunks.json"
_STATS = "stats.json"
_BM25 = "bm25"
_SENTENCE_VECTORS = "sentences.f32"  # one row per sentence vector
_SENTENCE_CHUNKS = "sentence-chunks.u32"  # per row: the position of its chunk in chunks.json
_SENTENCE_DIGESTS = "sentence-digests.u64"  # the rows' text digests, sorted...
_SENTENCE_ORDER = "sentence-order.u32"  # ...and the row of each
_SENTENCE_SHAPE = "sentences.json"
_TERMS = "terms.u32"  # every chunk's BM25 terms, as ids into the vocabulary, one run per chunk...
_TERM_OFFSETS = "term-offsets.u64"  # ...where each chunk's run starts (and the last one ends)
_VOCABULARY = "vocabulary.json"


@dataclass
class CorpusStats:
    """How often each term occurs (in how many chunks), and the acronyms the corpus spells out or implies."""

    document_frequency: dict[str, int]
    chunks: int
    initials: list[str]  # of capitalised runs ("Financial Times" -> "ft")
    spelled_out: dict[str, str]  # acronym -> phrase ("agi" -> "artificial general intelligence")


@dataclass
class ChunkTerms:
    """Each chunk's BM25 terms, in chunk order, as ids into one vocabulary: kept with a generation so that the
    next ingest reads only its new chunks' terms (reading them all again took 1.1 s for a 5 MB file)."""

    vocabulary: list[str]
    ids: np.ndarray  # uint32, one run per chunk
    offsets: np.ndarray  # int64, len(chunks) + 1
    signature: str  # of the tokenizer that made them (`text.terms_signature`)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def of(self, position: int) -> np.ndarray:
        """The term ids of the chunk at `position`."""
        return self.ids[self.offsets[position] : self.offsets[position + 1]]

    def lists(self) -> list[list[int]]:
        """Each chunk's term ids as a list."""
        import numpy as np

        return [run.tolist() for run in np.split(self.ids, self.offsets[1:-1])] if len(self) else []

    def write(self, target: Path) -> None:
        (target / _TERMS).write_bytes(self.ids.astype("uint32").tobytes())
        (target / _TERM_OFFSETS).write_bytes(self.offsets.astype("int64").tobytes())
        (target / _VOCABULARY).write_text(json.dumps({"signature": self.signature, "terms": self.vocabulary}),
                                          encoding="utf-8")

    @classmethod
    def read(cls, target: Path) -> ChunkTerms | None:
        """A complete generation's chunk terms, or None for one written before they were kept."""
        import numpy as np

        if not (target / _COMPLETE).exists() or not (target / _VOCABULARY).exists():
            return None
        vocabulary = json.loads((target / _VOCABULARY).read_text(encoding="utf-8"))
        return cls(vocabulary["terms"], np.fromfile(target / _TERMS, dtype=np.uint32),
                   np.fromfile(target / _TERM_OFFSETS, dtype=np.int64), vocabulary["signature"])


def folder(store_dir: Path, generation: str) -> Path:
    """The folder of one generation of an index's files."""
    return store_dir / FOLDER / generation


def text_digest(text: str) -> int:
    """A 64-bit digest of a text: a stored vector is reused for, and only for, the text it was computed from."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")


class SentenceMatrixWriter:
    """Appends sentence vectors batch by batch to raw files, so that memory never holds them all."""

    def __init__(self, target: Path):
        target.mkdir(parents=True, exist_ok=True)
        self.target = target
        self._vectors = (target / _SENTENCE_VECTORS).open("wb")
        self._chunks = (target / _SENTENCE_CHUNKS).open("wb")
        self._digests: list[int] = []
        self.dimension = 0

    def add(self, digests: list[int], chunk_positions: list[int], vectors: np.ndarray) -> None:
        """Rows of vectors with the digests of their texts (`text_digest`), of the chunks at these positions, which
        come in ascending order: a chunk's rows are one run."""
        import numpy as np

        rows = np.ascontiguousarray(vectors, dtype=np.float32)
        if not len(rows):
            return
        self.dimension = rows.shape[1]
        self._vectors.write(rows.tobytes())
        self._chunks.write(np.asarray(chunk_positions, dtype=np.uint32).tobytes())
        self._digests.extend(int(d) for d in digests)

    def close(self) -> None:
        import numpy as np

        self._vectors.close()
        self._chunks.close()
        digests = np.asarray(self._digests, dtype=np.uint64)
        order = np.argsort(digests, kind="stable").astype(np.uint32)
        (self.target / _SENTENCE_DIGESTS).write_bytes(digests[order].tobytes())
        (self.target / _SENTENCE_ORDER).write_bytes(order.tobytes())
        (self.target / _SENTENCE_SHAPE).write_text(json.dumps({"rows": len(digests), "dimension": self.dimension}))


class SentenceMatrix:
    """The sentence vectors of one generation, memory-mapped: scanned whole for the nearest sentences, and looked
    up by text digest (binary search, nothing built at open) for the vector of a given sentence."""

    def __init__(self, target: Path):
        import numpy as np

        shape = json.loads((target / _SENTENCE_SHAPE).read_text(encoding="utf-8"))
        rows, dimension = shape["rows"], shape["dimension"]
        self.rows = rows
        self._row_digests: np.ndarray | None = None  # each row's digest, made when a whole chunk's rows are copied
        self._folder = target
        self._fd: int | None = None  # the matrix file, for `take` (opened once: threads share it)
        if not rows:
            self.vectors = np.zeros((0, 0), dtype=np.float32)
            self.chunks = self._digests = self._order = np.zeros(0, dtype=np.uint32)
            return
        self.vectors = np.memmap(target / _SENTENCE_VECTORS, dtype=np.float32, mode="r", shape=(rows, dimension))
        if hasattr(os, "preadv"):
            self._fd = os.open(target / _SENTENCE_VECTORS, os.O_RDONLY)
        self.chunks = np.memmap(target / _SENTENCE_CHUNKS, dtype=np.uint32, mode="r", shape=(rows,))
        self._digests = np.memmap(target / _SENTENCE_DIGESTS, dtype=np.uint64, mode="r", shape=(rows,))
        self._order = np.memmap(target / _SENTENCE_ORDER, dtype=np.uint32, mode="r", shape=(rows,))

    def __len__(self) -> int:
        return self.rows

    def matrix(self, positions: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
        """Every vector and the position of its chunk, as recorded at ingest (`positions` is not needed)."""
        return self.vectors, self.chunks

    def rows_of(self, position: int) -> tuple[np.ndarray, np.ndarray]:
        """The vectors of the chunk at `position` and their text digests (a chunk's rows are one run)."""
        import numpy as np

        lo, hi = np.searchsorted(self.chunks, [position, position + 1])
        if self._row_digests is None:
            self._row_digests = np.empty(self.rows, dtype=np.uint64)
            self._row_digests[np.asarray(self._order)] = self._digests
        return np.asarray(self.vectors[lo:hi]), self._row_digests[lo:hi]

    def vectors_of(self, wanted: dict[str, str]) -> dict[str, np.ndarray]:
        """For each wanted key whose text has a stored vector, that vector (a copy, not a view of the file)."""
        import numpy as np

        if not self.rows or not wanted:
            return {}
        keys = list(wanted)
        digests = np.asarray([text_digest(wanted[k]) for k in keys], dtype=np.uint64)
        at = np.minimum(np.searchsorted(self._digests, digests), self.rows - 1)
        found = np.flatnonzero(np.asarray(self._digests[at]) == digests)
        rows = np.asarray(self._order[at[found]], dtype=np.int64)
        ordered = np.argsort(rows, kind="stable")
        vectors = self.take(rows[ordered])
        return {keys[found[j]]: vectors[i] for i, j in enumerate(ordered)}

    def take(self, rows: np.ndarray) -> np.ndarray:
        """The vectors at these rows (ascending), read from the file in runs of consecutive rows.

        Not through the memory map: a question reads the rows of a few hundred chunks scattered over the matrix,
        and each page faulted in brought the 64 KB around it into the process (the kernel's fault-around), 350 MB
        of a 570 MB matrix after 50 questions at 100k chunks. Read, only the rows asked for are copied.
        """
        import numpy as np

        rows = np.asarray(rows, dtype=np.int64)
        if self._fd is None:  # not POSIX, or no rows at all
            return np.array(self.vectors[rows]) if self.rows else np.zeros((len(rows), 0), dtype=np.float32)
        out = np.empty((len(rows), self.vectors.shape[1]), dtype=np.float32)
        if not len(rows):
            return out
        breaks = np.flatnonzero(np.diff(rows) != 1) + 1
        row_bytes = out.shape[1] * out.itemsize
        for lo, hi in zip([0, *breaks.tolist()], [*breaks.tolist(), len(rows)]):
            buffer, offset = memoryview(out[lo:hi]).cast("B"), int(rows[lo]) * row_bytes
            while len(buffer):  # a read may return less than asked
                got = os.preadv(self._fd, [buffer], offset)
                if got <= 0:
                    raise AssistantRuntimeError(
                        f"The sentence vectors file in {self._folder} is shorter than its index says. Run "
                        "`assistant ingest --rebuild`.")
                buffer, offset = buffer[got:], offset + got
        return out

    def __del__(self):
        if getattr(self, "_fd", None) is not None:
            os.close(self._fd)


def write(target: Path, info: dict[str, Any], ids: list[str], texts: list[str], metas: ChunkMetas,
          terms: ChunkTerms, bm25: Any, stats: CorpusStats) -> None:
    """Write everything but the sentence matrix (which `SentenceMatrixWriter` streams), then mark it complete."""
    target.mkdir(parents=True, exist_ok=True)
    with (target / _CHUNKS).open("w", encoding="utf-8") as out:  # streamed: no second copy of it all in memory
        json.dump({"ids": ids, "texts": texts, "metadata": metas.to_stored()}, out)
    terms.write(target)
    (target / _STATS).write_text(json.dumps(stats.__dict__), encoding="utf-8")
    bm25.save(str(target / _BM25), show_progress=False)
    write_info(target, info)
    (target / _COMPLETE).write_text("1", encoding="utf-8")


def write_info(target: Path, info: dict[str, Any]) -> None:
    """Replace what the index was built from (written aside, then renamed: a reader never sees half of it)."""
    staged = target / (_INFO + ".new")
    staged.write_text(json.dumps(info, sort_keys=True), encoding="utf-8")
    os.replace(staged, target / _INFO)


def read_info(target: Path) -> dict[str, Any] | None:
    """What a complete generation was built from, else None."""
    if not (target / _COMPLETE).exists():
        return None
    return json.loads((target / _INFO).read_text(encoding="utf-8"))


def read(target: Path) -> dict[str, Any] | None:
    """The chunks, statistics and BM25 index of a complete folder (BM25 memory-mapped), else None."""
    chunks = read_chunks(target)
    if chunks is None:
        return None
    import bm25s

    stats = CorpusStats(**json.loads((target / _STATS).read_text(encoding="utf-8")))
    bm25 = bm25s.BM25.load(str(target / _BM25), mmap=True, show_progress=False)
    return {"chunks": chunks, "stats": stats, "bm25": bm25}


def read_chunks(target: Path) -> dict[str, Any] | None:
    """The chunk ids, texts and metadata (`ChunkMetas`) of a complete folder, else None."""
    if not (target / _COMPLETE).exists():
        return None
    chunks = json.loads((target / _CHUNKS).read_text(encoding="utf-8"))
    stored = chunks.pop("metadata", None)  # a generation written before the columns holds a dict per chunk
    chunks["metas"] = ChunkMetas.from_stored(stored) if stored is not None else ChunkMetas.from_dicts(chunks["metas"])
    return chunks


def sentence_matrix(target: Path) -> SentenceMatrix | None:
    """The sentence vectors of a complete folder, memory-mapped, or None when it has none."""
    if not (target / _COMPLETE).exists() or not (target / _SENTENCE_SHAPE).exists():
        return None
    return SentenceMatrix(target)


def remove(store_dir: Path, generation: str) -> None:
    """Delete one generation's files (what is already gone is no error)."""
    shutil.rmtree(folder(store_dir, generation), ignore_errors=True)


def remove_all_but(store_dir: Path, index: str, keep: set[str]) -> None:
    """Delete every generation of one index (`<index>/...`) but those in `keep`: what an ingest stopped part-way
    left behind, and generations replaced before the last one. Other indexes of the store are left alone."""
    root = store_dir / FOLDER / index
    if root.is_dir():
        for path in root.iterdir():
            if f"{index}/{path.name}" not in keep:
                shutil.rmtree(path, ignore_errors=True)
