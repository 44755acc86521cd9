"""Hybrid retrieval: dense search in Chroma plus BM25, fused by reciprocal rank fusion."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.ingest.corpus import PROFILE_PREFIX
from assistant.index.embeddings import Embedder
from assistant.errors import AssistantRuntimeError
from assistant.ingest.entities import ENTITIES
from assistant.index import files as index_files
from assistant.index.chunk_metas import ChunkMetas
from assistant.index.files import ChunkTerms, CorpusStats
from assistant.index.lexicon import capital_initials, defined_acronyms, spell_out
from assistant.models import Passage
from assistant.index.sentences import vector_texts
from assistant.index.collections import read_all
from assistant.index.store import IndexInfo
from assistant.text import terms, terms_signature

if TYPE_CHECKING:
    import numpy as np
    from chromadb.api.models.Collection import Collection

    from assistant.index.sentence_vectors import StoredSentences
    from assistant.index.store import Store
    from assistant.index.sentences import SentenceUnit

RRF_K = 60  # the constant of Cormack et al.; dampens the weight of the very top ranks
# The nearest sentences are found among those of this many chunks nearest the question (all of a corpus this size
# or smaller): an exact scan of every sentence vector reads the whole matrix, 570 MB and 60 ms at 100k chunks.
NEAREST_POOL = 256
_DENSE_RESULTS_MAX = 64  # queries whose dense ranking is kept
_SENTENCE_CACHE_MAX = 50_000  # sentence vectors kept in memory (~77 MB); the store holds them all


def chunk_terms(texts: list[str], metas: ChunkMetas, previous: ChunkTerms | None = None,
                previous_positions: list[int | None] | None = None) -> ChunkTerms:
    """Each chunk's BM25 terms (the chunk read under its section name). A chunk with a position in `previous`
    (the last generation's terms) keeps its terms from there; the others' are read from their text."""
    import numpy as np

    signature = terms_signature()
    if previous is not None and previous.signature != signature:  # read by another tokenizer: read them again
        previous = None
    index = {term: i for i, term in enumerate(previous.vocabulary)} if previous is not None else {}
    runs = []
    for i, (text, section) in enumerate(zip(texts, metas.column("section"))):
        at = previous_positions[i] if previous is not None and previous_positions else None
        if at is not None:
            runs.append(previous.of(at))
        else:  # setdefault's default is evaluated first: a new term gets the next id
            runs.append(np.fromiter((index.setdefault(t, len(index)) for t in terms(f"{section or ''} {text}")),
                                    dtype=np.uint32))
    ids = np.concatenate(runs) if runs else np.zeros(0, dtype=np.uint32)
    used = np.unique(ids)  # terms of removed chunks leave the vocabulary
    renumber = np.zeros(len(index), dtype=np.uint32)
    renumber[used] = np.arange(len(used), dtype=np.uint32)
    vocabulary = list(index)
    offsets = np.concatenate([[0], np.cumsum([len(run) for run in runs], dtype=np.int64)]).astype(np.int64)
    return ChunkTerms([vocabulary[u] for u in used], renumber[ids], offsets, signature)


def build_bm25(texts: list[str], metas: ChunkMetas, chunk_terms: ChunkTerms) -> tuple[Any, CorpusStats]:
    """The BM25 index of the chunks, from their terms, and the corpus statistics."""
    import bm25s
    import numpy as np

    _quiet_bm25s()
    vocabulary = {term: i for i, term in enumerate(chunk_terms.vocabulary)}
    lists = chunk_terms.lists()
    if not all(lists):  # bm25s rejects an empty token list; a placeholder keeps positions aligned
        placeholder = vocabulary.setdefault("\x00", len(vocabulary))
        lists = [run or [placeholder] for run in lists]
    bm25 = bm25s.BM25()
    bm25.index((lists, vocabulary), show_progress=False)
    # The score matrix has a column per term and an entry per chunk holding it (BM25 scores are positive): its
    # column lengths are the terms' document frequencies.
    in_chunks = np.diff(bm25.scores["indptr"])[: len(chunk_terms.vocabulary)]
    frequency = {chunk_terms.vocabulary[i]: int(in_chunks[i]) for i in np.flatnonzero(in_chunks)}
    names = [str(section).removeprefix(PROFILE_PREFIX) for section in metas.column("section")
             if str(section or "").startswith(PROFILE_PREFIX)]
    return bm25, CorpusStats(frequency, len(texts), sorted(capital_initials(texts)), defined_acronyms(texts, names))


def _quiet_bm25s() -> None:
    """bm25s sets its own logger to DEBUG on import, which would print on every index build or load."""
    import logging

    logging.getLogger("bm25s").setLevel(logging.WARNING)


def open_index(store: Store, collection: Collection, info: IndexInfo, embedder: Embedder) -> HybridIndex:
    """The store's index `collection` (described by `info`) with everything ingest stored beside it."""
    return HybridIndex(collection, info, embedder, sentences=store.stored_sentences(info), files=store.files(info))


class HybridIndex:
    """One live index: its Chroma collection plus a BM25 index over the same chunks, built once.

    `sentences` are the sentence vectors computed at ingest (None for an index that has none: sentences are then
    embedded when first needed).
    """

    def __init__(self, collection: Collection, info: IndexInfo, embedder: Embedder,
                 sentences: StoredSentences | None = None, files: Path | None = None):
        """Open an index; with `files` (its folder of `index_files`), what they hold is read, not rebuilt."""
        _quiet_bm25s()
        self.collection = collection
        self.info = info
        self.embedder = embedder
        self.sentences = sentences
        self.files = files
        saved = index_files.read(files) if files is not None else None
        if files is not None and saved is None:  # a local index's files only: its collection holds vectors alone
            raise AssistantRuntimeError(
                f"The index files at {files} are missing or incomplete. Run `assistant ingest` again; if this "
                "persists, `assistant ingest --rebuild`.")
        if saved is not None:
            chunks = saved["chunks"]
            self.ids, self.texts, self.metas = chunks["ids"], chunks["texts"], chunks["metas"]
            self.bm25, self.stats = saved["bm25"], saved["stats"]
        else:
            records = read_all(collection, ["documents", "metadatas"])
            self.ids, self.texts = records["ids"], records["documents"]
            self.metas = ChunkMetas.from_dicts(records["metadatas"])
            self.bm25, self.stats = build_bm25(self.texts, self.metas, chunk_terms(self.texts, self.metas))
        self._position = {chunk_id: i for i, chunk_id in enumerate(self.ids)}
        # Vectors of chunks no longer in the index (a local ingest stopped before deleting them) can take places
        # in the dense ranking: when they do, the search asks for that many more (and remembers).
        self._foreign = 0
        # Front matter describes a document rather than saying what it says: read when a question asks for one of
        # its fields (the answerer's `DocumentLayout`), never ranked against the text.
        self._metadata_chunks = {i for i, kind in enumerate(self.metas.column("kind")) if kind == "meta"}
        self.vocabulary = set(self.stats.document_frequency)
        self._sentence_vectors: dict[str, np.ndarray] = {}
        self._sentence_matrix: tuple[np.ndarray, np.ndarray] | None = None
        self._rows_by_chunk: tuple[np.ndarray, np.ndarray] | None = None  # sentence rows ordered by chunk
        self._dense_results: dict[str, tuple[int, list[tuple[int, float]]]] = {}  # query -> (n fetched, ranking)

    def __len__(self) -> int:
        return len(self.ids)

    def dense(self, query: str, n: int) -> list[tuple[int, float]]:
        """Positions and cosine similarities of the `n` nearest chunks.

        In a corpus larger than `NEAREST_POOL` chunks, that many are fetched at once and kept for the query's
        next searches (a question searches its text for its passages, then for its sentences' pool).
        """
        fetch = max(n, NEAREST_POOL) if len(self) > NEAREST_POOL else n
        kept = self._dense_results.get(query)
        if kept is None or kept[0] < fetch:
            if len(self._dense_results) >= _DENSE_RESULTS_MAX:
                self._dense_results.clear()
            kept = self._dense_results[query] = (fetch, self._dense(query, fetch))
        return kept[1][:n]

    def _dense(self, query: str, n: int) -> list[tuple[int, float]]:
        vector = self.embedder.embed_query(query).tolist()
        while True:
            asked = min(n, len(self)) + self._foreign
            result = self.collection.query(query_embeddings=[vector], n_results=asked, include=["distances"])
            ids = result["ids"][0]
            foreign = sum(i not in self._position for i in ids)
            if not foreign or len(ids) < asked or foreign <= self._foreign:
                break
            self._foreign = 2 * foreign
        found = [(self._position[i], 1.0 - d) for i, d in zip(ids, result["distances"][0])
                 if i in self._position and self._position[i] not in self._metadata_chunks]
        return found[:n]

    def sparse(self, query: str, n: int) -> list[tuple[int, float]]:
        """Positions and BM25 scores of the `n` best-matching chunks (zero scores left out)."""
        query_terms = [t for t in terms(query) if t in self.vocabulary]
        if not query_terms:
            return []
        import numpy as np

        # Not bm25s's `retrieve`: its argpartition(scores, -k) over 100k scores that are mostly zero took 11 ms
        # (a partition of the negated scores takes a tenth of that), and which of equal scores it kept was
        # arbitrary. Here of equal scores the earlier chunk comes first, and is kept first.
        scores = self.bm25.get_scores(query_terms)
        if n < len(scores):
            nth = -np.partition(-scores, n - 1)[n - 1]
            above = np.flatnonzero(scores > nth)
            best = np.concatenate([above, np.flatnonzero(scores == nth)[: n - len(above)]])
        else:
            best = np.arange(len(scores))
        best = best[np.lexsort((best, -scores[best]))]
        return [(int(d), float(scores[d])) for d in best if scores[d] > 0 and int(d) not in self._metadata_chunks]

    def search(self, query: str, k: int, depth: int | None = None, also: str | None = None) -> list[Passage]:
        """The top `k` passages for a query by reciprocal rank fusion of dense and BM25 rankings.

        `also` is a second phrasing searched too (a follow-up on its own, beside the condensed question).
        """
        if not len(self):
            return []
        depth = depth or max(4 * k, 20)
        dense = self.dense(query, depth)
        sparse = self.sparse(query, depth)
        rankings = [dense, sparse]
        if also and also != query:
            rankings += [self.dense(also, depth), self.sparse(also, depth)]
        fused: dict[int, float] = {}
        for ranking in rankings:
            for rank, (pos, _) in enumerate(ranking, start=1):
                fused[pos] = fused.get(pos, 0.0) + 1.0 / (RRF_K + rank)
        dense_rank = {pos: r for r, (pos, _) in enumerate(dense, start=1)}
        sparse_rank = {pos: r for r, (pos, _) in enumerate(sparse, start=1)}
        similarity = dict(dense)
        best = sorted(fused, key=lambda pos: (-fused[pos], pos))[:k]
        return [self.passage(pos, fused[pos], dense_rank.get(pos), sparse_rank.get(pos), similarity.get(pos))
                for pos in best]

    def acronyms(self) -> dict[str, str]:
        """The acronyms the corpus spells out ("agi", "ft"), each with its phrase."""
        return self.stats.spelled_out

    def spell_out(self, text: str) -> str:
        """The text with the acronyms the corpus spells out but never uses ("FT") followed by their phrase."""
        return spell_out(text, self.acronyms(), self.vocabulary)

    def nearest_sentences(self, query: str, n: int) -> list[tuple[int, float]]:
        """Positions of the chunks of the `n` stored sentence vectors nearest a query, each with its sentence's
        cosine similarity. Empty for an index built before sentence vectors were stored.

        An exact scan, not an HNSW search of the sentences (whose sparse graph, rebuilt by Chroma in each process,
        found different neighbours from one run to the next): of every sentence in a corpus of up to
        `NEAREST_POOL` chunks, else of the sentences of the `NEAREST_POOL` chunks nearest the query.
        """
        import numpy as np

        if self.sentences is None or not len(self):
            return []
        if self._sentence_matrix is None:
            self._sentence_matrix = self.sentences.matrix(self._position)
        vectors, chunks = self._sentence_matrix
        if not len(chunks):
            return []
        rows = self._pool_rows(query) if len(self) > NEAREST_POOL else None
        # einsum, not `@`: a matrix this size wakes OpenBLAS's threads, whose spinning then slowed the embedding
        # model and the tokenizer sharing the cores (warm ask p50 at 1k chunks 26 -> 40+ ms).
        take = getattr(self.sentences, "take", vectors.__getitem__)  # the matrix file reads only these rows
        scanned, owners = (vectors, chunks) if rows is None else (take(rows), chunks[rows])
        similarities = np.einsum("ij,j->i", scanned, self.embedder.embed_query(query))
        best = np.argsort(-similarities, kind="stable")[:n]
        return [(int(owners[i]), float(similarities[i])) for i in best if owners[i] >= 0]

    def _pool_rows(self, query: str) -> np.ndarray:
        """The rows of the sentences of the `NEAREST_POOL` chunks nearest the query, in row order."""
        import numpy as np

        if self._rows_by_chunk is None:
            chunks = np.asarray(self._sentence_matrix[1], dtype=np.int64)
            order = np.argsort(chunks, kind="stable")
            self._rows_by_chunk = (chunks[order], order)
        sorted_chunks, order = self._rows_by_chunk
        pool = np.asarray(sorted(pos for pos, _ in self.dense(query, NEAREST_POOL)), dtype=np.int64)
        starts, ends = np.searchsorted(sorted_chunks, pool), np.searchsorted(sorted_chunks, pool, side="right")
        rows = [order[lo:hi] for lo, hi in zip(starts, ends) if hi > lo]
        return np.sort(np.concatenate(rows)) if rows else np.zeros(0, dtype=np.int64)

    def chunk_containing(self, source: str, start: int, end: int) -> str | None:
        """The id of the chunk whose span holds [start, end) of a source file, if one does."""
        starts, ends = self.metas.column("start"), self.metas.column("end")
        for pos, of in enumerate(self.metas.column("source")):
            if of == source and int(starts[pos]) <= start and end <= int(ends[pos]):
                return self.ids[pos]
        return None

    def sentence_vectors(self, units: list[SentenceUnit], in_context: bool = False) -> list[np.ndarray]:
        """The embedding of each unit's display text (or, `in_context`, of each unit with an antecedent read
        after it): stored at ingest, else embedded now; cached."""
        wanted = vector_texts(units, in_context)
        missing = {key: text for key, text in wanted.items() if key not in self._sentence_vectors}
        if missing:
            if len(self._sentence_vectors) + len(missing) > _SENTENCE_CACHE_MAX:
                self._sentence_vectors.clear()
            found = self.sentences.vectors_of(missing) if self.sentences is not None else {}
            unstored = [key for key in missing if key not in found]
            if unstored:
                found.update(zip(unstored, self.embedder.embed_texts([missing[key] for key in unstored])))
            self._sentence_vectors.update(found)
        return [self._sentence_vectors[key] for key in wanted]

    def passage(self, pos: int, score: float, dense_rank: int | None = None, sparse_rank: int | None = None,
                dense_similarity: float | None = None) -> Passage:
        """The chunk at a position as a Passage."""
        meta = self.metas[pos]
        return Passage(
            chunk_id=self.ids[pos], source=str(meta["source"]), title=str(meta["title"]),
            section=str(meta["section"]), text=self.texts[pos], start=int(meta["start"]), end=int(meta["end"]),
            score=round(score, 6), dense_rank=dense_rank, sparse_rank=sparse_rank,
            dense_similarity=None if dense_similarity is None else round(dense_similarity, 6),
            layout=str(meta.get("units", "")), entities=str(meta.get(ENTITIES, "")),
            outline=str(meta.get("outline") or ""),
        )
