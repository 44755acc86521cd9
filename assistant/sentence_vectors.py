"""Sentence vectors computed at ingest, so that answering a question embeds only the question.

Each chunk's sentence units (see `sentences.py`) are embedded on their display text and stored in a companion
Chroma collection of the index, keyed by `SentenceUnit.key`, with the display text as the document. A stored
vector counts only while its display text still matches, so a change to how sentences are cut or shown makes
the index fall back to embedding at question time instead of answering with stale vectors.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from .chunking import Chunk
from .models import Passage
from .sentences import SentenceUnit, sentence_units

if TYPE_CHECKING:
    import numpy as np
    from chromadb.api.models.Collection import Collection

_BATCH = 512  # units embedded and written per step: bounds memory at any corpus size


def chunk_passage(chunk: Chunk) -> Passage:
    """A chunk as the Passage retrieval would return for it (score aside)."""
    return Passage(chunk_id=chunk.chunk_id, source=chunk.source, title=chunk.title, section=chunk.section,
                   text=chunk.text, start=chunk.start, end=chunk.end, score=0.0)


def stored_vectors(collection: Collection | None, units: list[SentenceUnit]) -> dict[str, np.ndarray]:
    """The stored vectors of those units whose stored display text is still theirs, by key."""
    import numpy as np

    if collection is None or not units:
        return {}
    wanted = {u.key: u.display for u in units}
    found: dict[str, np.ndarray] = {}
    keys = list(wanted)
    for lo in range(0, len(keys), 2000):
        got = collection.get(ids=keys[lo : lo + 2000], include=["embeddings", "documents"])
        for key, display, vector in zip(got["ids"], got["documents"], got["embeddings"]):
            if wanted.get(key) == display:
                found[key] = np.asarray(vector, dtype=np.float32)
    return found


def write_sentence_vectors(target: Collection, chunks: list[Chunk], previous: Collection | None,
                           embed: Callable[[list[str]], np.ndarray], progress: Callable[[int], None] | None = None) -> int:
    """Store a vector for every sentence unit of `chunks`, reusing `previous`'s where they still apply.

    Returns how many units were embedded (not reused).
    """
    import numpy as np

    embedded = 0
    for batch, chunks_done in _batches(chunks):
        reused = stored_vectors(previous, batch)
        todo = [u for u in batch if u.key not in reused]
        fresh = dict(zip((u.key for u in todo), embed([u.display for u in todo]))) if todo else {}
        embedded += len(todo)
        vectors = np.stack([reused[u.key] if u.key in reused else fresh[u.key] for u in batch]).astype(np.float32)
        target.add(ids=[u.key for u in batch], embeddings=vectors, documents=[u.display for u in batch])
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
