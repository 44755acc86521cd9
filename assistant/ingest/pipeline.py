"""Ingestion: corpus files to chunks to vectors in a Chroma index.

A local store updates its live collection in place (adds the new chunks' vectors, and drops the removed ones only
after the switch) and writes a new generation of index files beside it (`index_files`), which the store's
pointer names once complete: unchanged chunks are neither embedded nor rewritten, and until the switch the
previous generation answers. A Chroma server's index is built whole in a new collection and swapped in.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from assistant.index.chunk_metas import ChunkMetas
from assistant.ingest.chunking import CHUNKER_VERSION, Chunk, chunk_document
from assistant.config import Settings
from assistant.ingest.corpus import Document, changed_contents, corpus_signature, file_stats, load_corpus
from assistant.index.embeddings import load_embedder
from assistant.ingest.entities import ENTITIES
from assistant.errors import AssistantRuntimeError
from assistant.ingest.language import document_language
from assistant.ingest.readers import SUPPORTED_SUFFIXES
from assistant.index import files as index_files
from assistant.index.search import build_bm25, chunk_terms
from assistant.index.sentence_vectors import ChromaSentences, write_sentence_matrix, write_sentence_vectors
from assistant.index.collections import read_all, write_all
from assistant.index.store import IndexInfo, Store

if TYPE_CHECKING:
    from pathlib import Path

    from chromadb.api.models.Collection import Collection

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]  # (done, total) steps: chunks embedded, read for entities, their sentences stored
_EMBED_BATCH = 64
_DELETE_BATCH = 2000


@dataclass
class IngestReport:
    """What an ingest did."""

    chunk_count: int
    added: int
    removed: int
    unchanged: int
    files: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    fingerprint: str = ""
    rebuilt: bool = False
    sentences_embedded: int = 0  # sentence vectors computed, not reused from the previous index
    rewritten: bool = False  # a new index was written (chunks may have moved with none added or removed)
    packs: int = 0  # clause packs beside the documents, valid with every quote found
    pack_problems: list[str] = field(default_factory=list)  # one line per problem of a pack that is not

    @property
    def changed(self) -> bool:
        """Whether the index changed."""
        return bool(self.added or self.removed or self.rebuilt or self.rewritten)

    def summary(self) -> str:
        """One line for people."""
        line = (f"{self.chunk_count} chunks from {len(self.files)} file(s): "
                f"{self.added} added, {self.removed} removed, {self.unchanged} unchanged")
        if self.skipped:
            line += "; skipped " + ", ".join(f"{src} ({why})" for src, why in self.skipped)
        if self.packs:
            line += f"; {self.packs} clause pack(s)"
        if self.pack_problems:
            line += "; clause pack problems (not used): " + "; ".join(self.pack_problems)
        return line


def corpus_fingerprint(documents: list[Document], settings: Settings) -> str:
    """A hash of the corpus files and of everything that shapes the chunks and vectors."""
    digest = hashlib.sha256()
    for part in (settings.embedding_model, settings.chunk_size, settings.chunk_overlap, CHUNKER_VERSION):
        digest.update(f"{part}\0".encode())
    for document in sorted(documents, key=lambda d: d.source):
        digest.update(f"{document.source}\0{document.sha256}\0".encode())
    return digest.hexdigest()[:16]


def is_compatible(info: IndexInfo, settings: Settings) -> bool:
    """Whether an index was built with the model and chunk settings asked for now."""
    return (info.embedding_model, info.chunk_size, info.chunk_overlap, info.chunker_version) == (
        settings.embedding_model, settings.chunk_size, settings.chunk_overlap, CHUNKER_VERSION)


def ingest(settings: Settings, rebuild: bool = False, progress: Progress | None = None) -> IngestReport:
    """Bring the index in line with the corpus; the previous index stays live until the new one is whole.

    Ingests of one local index run one at a time, across processes (a UI server and `assistant ingest`): the
    second waits, then finds the index as the first left it.
    """
    with _one_at_a_time(settings):
        report = _ingest(settings, rebuild, progress)
    from assistant.clauses import load_packs  # every quote of a pack is resolved to a span here, or reported

    packs, report.pack_problems = load_packs(settings.corpus_dir)
    report.packs = len(packs)
    return report


@contextmanager
def _one_at_a_time(settings: Settings) -> Iterator[None]:
    """An exclusive lock on a file beside a local store (none for a Chroma server, which other machines share)."""
    if settings.chroma_url:
        yield
        return
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock
        yield
        return
    settings.store_dir.mkdir(parents=True, exist_ok=True)
    with open(settings.store_dir / f".{settings.collection}.ingest.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _ingest(settings: Settings, rebuild: bool, progress: Progress | None) -> IngestReport:
    stats = file_stats(settings.corpus_dir)
    signature = corpus_signature(settings.corpus_dir, stats)
    store = Store(settings)
    current = store.active()
    reusable = current is not None and not rebuild and is_compatible(current[1], settings)
    if reusable and stats and not changed_contents(settings.corpus_dir, stats, current[1].files,
                                                           current[1].file_stats):
        if current[1].signature != signature:  # files touched, not changed: remember them as they are now
            store.remember_signature(current[0], current[1], signature, stats)
        count = current[1].chunk_count
        return IngestReport(count, 0, 0, count, sorted(current[1].files), [], current[1].fingerprint)
    loaded = load_corpus(settings.corpus_dir)
    if not loaded.documents:
        raise AssistantRuntimeError(
            f"No readable {', '.join(SUPPORTED_SUFFIXES)} file in {settings.corpus_dir}. Add documents there, "
            "or point ASSISTANT_CORPUS_DIR at your corpus. The existing index was left as it was."
        )
    for source, reason in loaded.skipped:  # once per ingest, not on every question
        log.warning("Skipping %s: %s", source, reason)
    chunks = [c for doc in loaded.documents for c in chunk_document(doc, settings.chunk_size, settings.chunk_overlap)]
    fingerprint = corpus_fingerprint(loaded.documents, settings)
    files = {doc.source: doc.sha256 for doc in loaded.documents}
    known = current[1] if reusable else None  # an unchanged file keeps the language read before
    languages = {doc.source: known.languages[doc.source] if known and known.files.get(doc.source) == doc.sha256
                 and doc.source in known.languages else document_language(doc.text, settings.cache_dir)
                 for doc in loaded.documents}
    skipped = loaded.skipped
    del loaded  # the documents' texts and units: the chunks hold what is needed (at 100k chunks, hundreds of MB)
    if reusable and current[1].fingerprint == fingerprint:  # a skipped file changed, and is still skipped
        store.remember_signature(current[0], current[1], signature, stats)
        return IngestReport(len(chunks), 0, 0, len(chunks), sorted(files), skipped, fingerprint)

    unique = list({c.chunk_id: c for c in chunks}.values())
    info = IndexInfo(
        collection="", embedding_model=settings.embedding_model, chunk_size=settings.chunk_size,
        chunk_overlap=settings.chunk_overlap, chunker_version=CHUNKER_VERSION, fingerprint=fingerprint,
        built_at=datetime.now(timezone.utc).isoformat(timespec="seconds"), chunk_count=len(unique), files=files,
        signature=signature, file_stats={source: list(stat) for source, stat in stats.items()},
        languages=languages,
    )
    build = _update_in_place if store.local else _build_and_swap
    old_ids, (chunks_embedded, sentences_embedded) = build(store, current, reusable, unique, info, progress)
    if chunks_embedded or sentences_embedded:  # the model is loaded: export it so that queries need no torch
        load_embedder(settings.embedding_model, settings.cache_dir).export_onnx()
    new_ids = {c.chunk_id for c in unique}
    return IngestReport(
        chunk_count=len(unique), added=len(new_ids - old_ids), removed=len(old_ids - new_ids),
        unchanged=len(new_ids & old_ids), files=sorted(files), skipped=skipped,
        fingerprint=fingerprint, rebuilt=current is not None and not reusable, sentences_embedded=sentences_embedded,
        rewritten=True,
    )


class _Steps:
    """Progress over an ingest's three stages, as one count: chunks embedded, chunks read for entities, chunks
    whose sentences were stored."""

    def __init__(self, progress: Progress | None, embed: int, read: int, sentences: int):
        self.progress, self.embed, self.read = progress, embed, read
        self.total = embed + read + sentences

    def embedded(self, done: int) -> None:
        if self.progress:
            self.progress(done, self.total)

    def read_entities(self, done: int) -> None:
        if self.progress:
            self.progress(self.embed + done, self.total)

    def stored_sentences(self, done: int) -> None:
        if self.progress:
            self.progress(self.embed + self.read + done, self.total)


def _update_in_place(store: Store, current: tuple[Collection, IndexInfo] | None, reusable: bool,
                     chunks: list[Chunk], info: IndexInfo, progress: Progress | None) -> tuple[set[str], tuple[int, int]]:
    """A local store: the live collection gains the new chunks' vectors, a new generation of files is written,
    the pointer switches to it, and only then are the removed chunks' vectors deleted."""
    settings = store.settings
    previous_files = store.files(current[1]) if current is not None else None
    previous = index_files.read_chunks(previous_files) if previous_files is not None else None
    reusable = reusable and previous is not None  # an index whose files someone deleted is built again
    collection = current[0] if reusable else store.create_staging()
    info.collection, info.generation = collection.name, f"{settings.collection}/{uuid.uuid4().hex[:16]}"
    target = store.files(info)
    old_entities = {i: e for i, e in zip(previous["ids"], previous["metas"].column(ENTITIES)) if e is not None} \
        if reusable else {}
    present = _present_ids(collection, previous["ids"] if reusable else None)
    to_embed = [c for c in chunks if c.chunk_id not in present]
    to_read = [c for c in chunks if c.chunk_id not in old_entities]
    steps = _Steps(progress, len(to_embed), len(to_read), len(chunks))
    try:
        for batch, rows in _embedded(to_embed, settings, steps.embedded):
            collection.add(ids=[c.chunk_id for c in batch], embeddings=rows)
        metadatas = _metadatas(chunks, to_read, old_entities, steps.read_entities)
        texts = [c.text for c in chunks]
        writer = index_files.SentenceMatrixWriter(target)
        try:
            previous_sentences = index_files.sentence_matrix(previous_files) if reusable else None
            sentences_embedded = write_sentence_matrix(writer, chunks, previous_sentences,
                                                       previous["ids"] if reusable else [], _embedder(settings),
                                                       steps.stored_sentences)
        finally:
            writer.close()
        terms = _chunk_terms(chunks, texts, metadatas, previous_files if reusable else None, previous)
        bm25, stats = build_bm25(texts, metadatas, terms)
        index_files.write(target, info.to_dict(), [c.chunk_id for c in chunks], texts, metadatas, terms, bm25,
                          stats)
    except BaseException:
        index_files.remove(settings.store_dir, info.generation)
        if not reusable:  # a new collection that nothing points at
            store.drop(collection.name)
        raise
    store.activate(collection, info)
    removed = list(present - {c.chunk_id for c in chunks})
    for lo in range(0, len(removed), _DELETE_BATCH):
        collection.delete(ids=removed[lo : lo + _DELETE_BATCH])
    old_ids = set(previous["ids"]) if previous is not None else set()
    return old_ids, (len(to_embed), sentences_embedded)


def _present_ids(collection: Collection, expected: list[str] | None) -> set[str]:
    """The ids the live collection holds. When it holds as many as the previous generation, they are its ids (it
    holds every one of those); otherwise an ingest stopped part-way left others, and they are read back (0.2 s
    at 18k chunks)."""
    if expected is not None and collection.count() == len(expected):
        return set(expected)
    return set(read_all(collection, [])["ids"])


def _build_and_swap(store: Store, current: tuple[Collection, IndexInfo] | None, reusable: bool,
                    chunks: list[Chunk], info: IndexInfo, progress: Progress | None) -> tuple[set[str], tuple[int, int]]:
    """A Chroma server: the whole index is written to a new collection, reusing the vectors of unchanged chunks
    and sentences, then swapped in."""
    settings = store.settings
    old: dict[str, Any] = {}
    old_entities: dict[str, str] = {}
    old_ids: set[str] = set()
    if current is not None:
        records = read_all(current[0], ["embeddings", "metadatas"] if reusable else [])
        old_ids = set(records["ids"])
        if reusable:
            old = dict(zip(records["ids"], _as_rows(records["embeddings"])))
            old_entities = {i: m[ENTITIES] for i, m in zip(records["ids"], records["metadatas"]) if m and ENTITIES in m}
    to_embed = [c for c in chunks if c.chunk_id not in old]
    to_read = [c for c in chunks if c.chunk_id not in old_entities]
    steps = _Steps(progress, len(to_embed), len(to_read), len(chunks))
    vectors = {c.chunk_id: row for batch, rows in _embedded(to_embed, settings, steps.embedded)
               for c, row in zip(batch, rows)}
    vectors.update({c.chunk_id: old[c.chunk_id] for c in chunks if c.chunk_id in old})
    metadatas = _metadatas(chunks, to_read, old_entities, steps.read_entities)
    previous_sentences = store.stored_sentences(current[1]) if reusable else None

    staging = store.create_staging()
    info.collection = staging.name
    try:
        write_all(staging, ids=[c.chunk_id for c in chunks], embeddings=[vectors[c.chunk_id] for c in chunks],
                  documents=[c.text for c in chunks], metadatas=list(metadatas))
        sentences = ChromaSentences(store.sentences(staging.name, create=True))
        embedded = write_sentence_vectors(sentences, chunks, previous_sentences, _embedder(settings),
                                          steps.stored_sentences)
        store.activate(staging, info)
    except BaseException:
        store.drop(staging.name)
        raise
    return old_ids, (len(to_embed), embedded)


def _chunk_terms(chunks: list[Chunk], texts: list[str], metadatas: ChunkMetas, previous_files: Path | None,
                 previous: dict[str, list] | None) -> index_files.ChunkTerms:
    """The chunks' BM25 terms, those of the chunks the previous generation held taken from it."""
    known = index_files.ChunkTerms.read(previous_files) if previous_files is not None else None
    if known is None or previous is None or len(known) != len(previous["ids"]):
        return chunk_terms(texts, metadatas)
    position = {chunk_id: i for i, chunk_id in enumerate(previous["ids"])}
    return chunk_terms(texts, metadatas, known, [position.get(c.chunk_id) for c in chunks])


def _as_rows(rows) -> list[Any]:
    """Vectors as float32 numpy rows: 1.5 KB each, where a list of Python floats takes about 12 KB.

    Every vector of one Chroma add() must be of one type, so new and reused vectors are both rows.
    """
    import numpy as np

    return list(np.asarray(rows, dtype=np.float32)) if len(rows) else []


def _embedder(settings: Settings) -> Callable[[list[str]], Any]:
    """Embeds texts with the index's model, loaded when first needed (an ingest that reuses every vector never
    loads it)."""
    return lambda texts: load_embedder(settings.embedding_model, settings.cache_dir).embed_texts(texts)


def _embedded(chunks: list[Chunk], settings: Settings,
              progress: Callable[[int], None]) -> Iterator[tuple[list[Chunk], list[Any]]]:
    """The chunks in batches, each with its vectors (as rows), embedded as they are asked for."""
    embed = _embedder(settings)
    for lo in range(0, len(chunks), _EMBED_BATCH):
        batch = chunks[lo : lo + _EMBED_BATCH]
        yield batch, _as_rows(embed([c.embed_text for c in batch]))
        progress(min(lo + _EMBED_BATCH, len(chunks)))


def _metadatas(chunks: list[Chunk], to_read: list[Chunk], known: dict[str, str],
               progress: Callable[[int], None]) -> ChunkMetas:
    """Each chunk's metadata with its named entities: read for the chunks in `to_read`, the `known` ones kept."""
    entities = _entities(to_read, progress)
    entities.update({c.chunk_id: known[c.chunk_id] for c in chunks if c.chunk_id in known})
    return ChunkMetas.from_dicts([{**c.metadata(), ENTITIES: entities[c.chunk_id]} for c in chunks])


def _entities(chunks: list[Chunk], progress: Callable[[int], None]) -> dict[str, str]:
    """Each chunk's named entities (`entities.find_entities`), read in batches."""
    if not chunks:
        return {}
    from assistant.ingest.entities import find_entities

    found: dict[str, str] = {}
    for lo in range(0, len(chunks), _EMBED_BATCH):
        batch = chunks[lo : lo + _EMBED_BATCH]
        found.update(zip((c.chunk_id for c in batch), find_entities(c.text for c in batch)))
        progress(min(lo + _EMBED_BATCH, len(chunks)))
    return found
