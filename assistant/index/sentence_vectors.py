"""Sentence vectors computed at ingest, so that answering a question embeds only the question.

Each chunk's sentence units (see `sentences.py`) are embedded on their display text; a unit that points back at
the sentence before it ("This move ...") has a second vector, of the two read together. A local store keeps them
in one memory-mapped matrix of its index files (`index_files.SentenceMatrix`); a Chroma server's index keeps them
in a companion collection (`ChromaSentences`), keyed by `SentenceUnit.key`, with the text as the document.
Either way a stored vector counts only for the text it was computed from, so a change to how sentences are cut
or shown makes the index embed them at question time instead of answering with stale vectors.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Protocol

from assistant.ingest.chunking import Chunk, encode_units
from assistant.models import Passage
from assistant.index.sentences import SentenceUnit, chunk_of, sentence_units, vector_texts

if TYPE_CHECKING:
    import numpy as np
    from chromadb.api.models.Collection import Collection

    from assistant.index.files import SentenceMatrix, SentenceMatrixWriter

_BATCH = 512  # units embedded and written per step: bounds memory at any corpus size
_WINDOW_CHUNKS = 128  # chunks of a local index written per step (about 500 units)
_READ_BATCH = 2000


class StoredSentences(Protocol):
    """Sentence vectors stored at ingest."""

    def __len__(self) -> int: ...

    def vectors_of(self, wanted: dict[str, str]) -> dict[str, np.ndarray]:
        """The stored vector of each wanted key (key -> the text it must have been computed from), if any."""
        ...

    def matrix(self, positions: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
        """Every stored vector, and the position of its chunk in the index (-1: not in it); `positions` maps
        chunk ids to positions."""
        ...


class ChromaSentences:
    """Sentence vectors in a Chroma collection (a Chroma server's index), by key, with their text as document."""

    def __init__(self, collection: Collection):
        self.collection = collection

    def __len__(self) -> int:
        return self.collection.count()

    def vectors_of(self, wanted: dict[str, str]) -> dict[str, np.ndarray]:
        import numpy as np

        found: dict[str, np.ndarray] = {}
        keys = list(wanted)
        for lo in range(0, len(keys), _READ_BATCH):
            got = self.collection.get(ids=keys[lo : lo + _READ_BATCH], include=["embeddings", "documents"])
            for key, text, vector in zip(got["ids"], got["documents"], got["embeddings"]):
                if wanted.get(key) == text:
                    found[key] = np.asarray(vector, dtype=np.float32)
        return found

    def matrix(self, positions: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
        """Every vector and the position of its chunk (read whole: a server's index has no matrix file)."""
        import numpy as np
        from assistant.index.collections import read_all

        records = read_all(self.collection, ["embeddings"])
        chunks = [positions.get(chunk_of(key), -1) for key in records["ids"]]
        vectors = np.asarray(records["embeddings"], dtype=np.float32).reshape(len(chunks), -1)
        return vectors, np.asarray(chunks, dtype=np.int64)


def chunk_passage(chunk: Chunk) -> Passage:
    """A chunk as the Passage retrieval would return for it (score aside)."""
    return Passage(chunk_id=chunk.chunk_id, source=chunk.source, title=chunk.title, section=chunk.section,
                   text=chunk.text, start=chunk.start, end=chunk.end, score=0.0,
                   layout=encode_units(chunk.units, chunk.start), outline=chunk.outline)


def write_sentence_vectors(target: ChromaSentences, chunks: list[Chunk], previous: StoredSentences | None,
                           embed: Callable[[list[str]], np.ndarray],
                           progress: Callable[[int], None] | None = None) -> int:
    """Store a vector for every sentence unit of `chunks` in a server index's collection, reusing `previous`'s
    where they still apply. Returns how many vectors were computed (not reused)."""
    embedded = 0
    for window, chunks_done in _windows(chunks):
        wanted = {key: text for _, units in window for key, text in _vector_texts(units).items()}
        vectors, fresh = _vectors(wanted, previous, embed)
        embedded += fresh
        if wanted:  # a window of headings and one-word lines has none
            target.collection.add(ids=list(wanted), embeddings=vectors, documents=list(wanted.values()))
        if progress:
            progress(chunks_done)
    return embedded


def write_sentence_matrix(target: SentenceMatrixWriter, chunks: list[Chunk], previous: SentenceMatrix | None,
                          previous_ids: list[str], embed: Callable[[list[str]], np.ndarray],
                          progress: Callable[[int], None] | None = None) -> int:
    """Write a vector for every sentence unit of `chunks` (the index's chunks, in order) to a local index's
    matrix. A chunk the previous index had keeps its rows as they were, without being read again; the others'
    sentences are looked up by text in `previous`, and embedded only when it has none. Returns how many vectors
    were computed."""
    import numpy as np

    from assistant.index.files import text_digest

    was_at = {chunk_id: i for i, chunk_id in enumerate(previous_ids)} if previous is not None else {}
    embedded = 0
    for lo in range(0, len(chunks), _WINDOW_CHUNKS):
        window = list(enumerate(chunks[lo : lo + _WINDOW_CHUNKS], start=lo))
        new = [(position, chunk) for position, chunk in window if chunk.chunk_id not in was_at]
        texts = {position: _vector_texts(sentence_units(chunk_passage(chunk))) for position, chunk in new}
        wanted = {key: text for chunk_texts in texts.values() for key, text in chunk_texts.items()}
        vectors, fresh = _vectors(wanted, previous, embed)
        embedded += fresh
        row_of = {key: i for i, key in enumerate(wanted)}
        parts, digests, owners = [], [], []
        for position, chunk in window:
            if chunk.chunk_id in was_at:
                rows, row_digests = previous.rows_of(was_at[chunk.chunk_id])
                parts.append(rows)
                digests.extend(row_digests.tolist())
                owners += [position] * len(rows)
                continue
            keys = list(texts[position])
            parts.append(vectors[[row_of[key] for key in keys]] if keys else np.zeros((0, 0), dtype=np.float32))
            digests += [text_digest(wanted[key]) for key in keys]
            owners += [position] * len(keys)
        parts = [part for part in parts if len(part)]
        if parts:
            target.add(digests, owners, np.concatenate(parts))
        if progress:
            progress(min(lo + _WINDOW_CHUNKS, len(chunks)))
    return embedded


def _vector_texts(units: list[SentenceUnit]) -> dict[str, str]:
    """A chunk's vector texts by key: each unit's display text, then those read in context."""
    return vector_texts(units) | vector_texts(units, in_context=True)


def _vectors(wanted: dict[str, str], previous: StoredSentences | None,
             embed: Callable[[list[str]], np.ndarray]) -> tuple[np.ndarray, int]:
    """A vector for each wanted text, in order (stored ones reused), and how many had to be embedded."""
    import numpy as np

    if not wanted:
        return np.zeros((0, 0), dtype=np.float32), 0
    reused = previous.vectors_of(wanted) if previous is not None else {}
    todo = [key for key in wanted if key not in reused]
    fresh = dict(zip(todo, embed([wanted[key] for key in todo]))) if todo else {}
    vectors = np.stack([reused[key] if key in reused else fresh[key] for key in wanted]).astype(np.float32)
    return vectors, len(todo)


def _windows(chunks: Iterable[Chunk]) -> Iterator[tuple[list[tuple[Chunk, list[SentenceUnit]]], int]]:
    """Chunks with their units, in windows of about `_BATCH` units, each with the number of chunks consumed."""
    window: list[tuple[Chunk, list[SentenceUnit]]] = []
    size = done = 0
    for done, chunk in enumerate(chunks, start=1):
        units = sentence_units(chunk_passage(chunk))
        window.append((chunk, units))
        size += len(units)
        if size >= _BATCH:
            yield window, done
            window, size = [], 0
    if window:
        yield window, done
