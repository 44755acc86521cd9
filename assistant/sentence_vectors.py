"""Sentence vectors computed at ingest, so that answering a question embeds only the question.

Each chunk's sentence units (see `sentences.py`) are embedded on their display text and stored in a companion
Chroma collection of the index, keyed by `SentenceUnit.key`, with the display text as the document; a unit that
points back at the sentence before it ("This move ...") has a second vector, of the two read together. A stored
vector counts only while its text still matches, so a change to how sentences are cut or shown makes the index
fall back to embedding at question time instead of answering with stale vectors.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from .chunking import Chunk, encode_units
from .models import Passage
from .sentences import SentenceUnit, sentence_units, vector_texts

if TYPE_CHECKING:
    import numpy as np
    from chromadb.api.models.Collection import Collection

    from .index_files import SentenceMatrixWriter

_BATCH = 512  # units embedded and written per step: bounds memory at any corpus size


def chunk_passage(chunk: Chunk) -> Passage:
    """A chunk as the Passage retrieval would return for it (score aside)."""
    return Passage(chunk_id=chunk.chunk_id, source=chunk.source, title=chunk.title, section=chunk.section,
                   text=chunk.text, start=chunk.start, end=chunk.end, score=0.0,
                   layout=encode_units(chunk.units, chunk.start))


def stored_vectors(collection: Collection | None, wanted: dict[str, str]) -> dict[str, np.ndarray]:
    """The stored vectors of the wanted keys whose stored text is still the wanted text, by key."""
    import numpy as np

    if collection is None or not wanted:
        return {}
    found: dict[str, np.ndarray] = {}
    keys = list(wanted)
    for lo in range(0, len(keys), 2000):
        got = collection.get(ids=keys[lo : lo + 2000], include=["embeddings", "documents"])
        for key, text, vector in zip(got["ids"], got["documents"], got["embeddings"]):
            if wanted.get(key) == text:
                found[key] = np.asarray(vector, dtype=np.float32)
    return found


def write_sentence_vectors(target: Collection, chunks: list[Chunk], previous: Collection | None,
                           embed: Callable[[list[str]], np.ndarray], progress: Callable[[int], None] | None = None,
                           matrix: SentenceMatrixWriter | None = None) -> int:
    """Store a vector for every sentence unit of `chunks` (in Chroma, and in `matrix` when given), reusing
    `previous`'s where they still apply.

    Returns how many vectors were computed (not reused).
    """
    import numpy as np

    embedded = 0
    for batch, chunks_done in _batches(chunks):
        wanted = vector_texts(batch) | vector_texts(batch, in_context=True)
        reused = stored_vectors(previous, wanted)
        todo = [key for key in wanted if key not in reused]
        fresh = dict(zip(todo, embed([wanted[key] for key in todo]))) if todo else {}
        embedded += len(todo)
        vectors = np.stack([reused[key] if key in reused else fresh[key] for key in wanted]).astype(np.float32)
        target.add(ids=list(wanted), embeddings=vectors, documents=list(wanted.values()))
        if matrix is not None:
            matrix.add(list(wanted), vectors)
        if progress:
            progress(chunks_done)
    return embedded


def _batches(chunks: Iterable[Chunk]) -> Iterator[tuple[list[SentenceUnit], int]]:
    """Units in batches of about `_BATCH`, each with the number of chunks consumed so far."""
    batch: list[SentenceUnit] = []
    done = 0
    for done, chunk in enumerate(chunks, start=1):
        batch.extend(sentence_units(chunk_passage(chunk)))
        if len(batch) >= _BATCH:
            yield batch, done
            batch = []
    if batch:
        yield batch, done
