"""Ingestion: corpus files to chunks to vectors in a Chroma index, built aside then swapped in."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from .chunking import CHUNKER_VERSION, Chunk, chunk_document
from .config import Settings
from .corpus import Document, corpus_signature, load_corpus
from .embeddings import load_embedder
from .entities import ENTITIES
from .errors import AssistantRuntimeError
from . import index_files
from .retrieval import build_bm25
from .sentence_vectors import write_sentence_vectors
from .store import IndexInfo, Store, read_all, write_all

if TYPE_CHECKING:
    from chromadb.api.models.Collection import Collection

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]  # (done, total) steps: chunks embedded, then chunks whose sentences were stored
_EMBED_BATCH = 64


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

    @property
    def changed(self) -> bool:
        """Whether the index changed."""
        return bool(self.added or self.removed or self.rebuilt)

    def summary(self) -> str:
        """One line for people."""
        line = (f"{self.chunk_count} chunks from {len(self.files)} file(s): "
                f"{self.added} added, {self.removed} removed, {self.unchanged} unchanged")
        if self.skipped:
            line += "; skipped " + ", ".join(f"{src} ({why})" for src, why in self.skipped)
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
    """Bring the index in line with the corpus; the previous index stays live until the new one is whole."""
    signature = corpus_signature(settings.corpus_dir)
    loaded = load_corpus(settings.corpus_dir)
    if not loaded.documents:
        raise AssistantRuntimeError(
            f"No readable .md, .txt, .rst or .pdf file in {settings.corpus_dir}. Add documents there, "
            "or point ASSISTANT_CORPUS_DIR at your corpus. The existing index was left as it was."
        )
    for source, reason in loaded.skipped:  # once per ingest, not on every question
        log.warning("Skipping %s: %s", source, reason)
    chunks = [c for doc in loaded.documents for c in chunk_document(doc, settings.chunk_size, settings.chunk_overlap)]
    fingerprint = corpus_fingerprint(loaded.documents, settings)
    files = {doc.source: doc.sha256 for doc in loaded.documents}
    store = Store(settings)
    current = store.active()
    reusable = current is not None and not rebuild and is_compatible(current[1], settings)

    if reusable and current[1].fingerprint == fingerprint:
        if current[1].signature != signature:  # files touched, not changed: remember them as they are now
            store.remember_signature(current[0], current[1], signature)
        return IngestReport(len(chunks), 0, 0, len(chunks), sorted(files), loaded.skipped, fingerprint)

    old: dict[str, Any] = {}
    old_entities: dict[str, str] = {}
    old_ids: set[str] = set()
    if current is not None:
        records = read_all(current[0], ["embeddings", "metadatas"] if reusable else [])
        old_ids = set(records["ids"])
        if reusable:
            old = dict(zip(records["ids"], _as_rows(records["embeddings"])))
            old_entities = {i: m[ENTITIES] for i, m in zip(records["ids"], records["metadatas"]) if m and ENTITIES in m}
    unique = list({c.chunk_id: c for c in chunks}.values())
    new_ids = {c.chunk_id for c in unique}
    to_embed = [c for c in unique if c.chunk_id not in old]
    to_read = [c for c in unique if c.chunk_id not in old_entities]
    steps = len(to_embed) + len(to_read) + len(unique)
    vectors = _embed(to_embed, settings, progress and (lambda done, _: progress(done, steps)))
    vectors.update({c.chunk_id: old[c.chunk_id] for c in unique if c.chunk_id in old})
    entities = _entities(to_read, progress and (lambda done: progress(len(to_embed) + done, steps)))
    entities.update({c.chunk_id: old_entities[c.chunk_id] for c in unique if c.chunk_id in old_entities})
    previous_sentences = store.sentences(current[1].collection) if reusable else None

    info = IndexInfo(
        collection="", embedding_model=settings.embedding_model, chunk_size=settings.chunk_size,
        chunk_overlap=settings.chunk_overlap, chunker_version=CHUNKER_VERSION, fingerprint=fingerprint,
        built_at=datetime.now(timezone.utc).isoformat(timespec="seconds"), chunk_count=len(unique), files=files,
        signature=signature,
    )
    sentence_progress = progress and (lambda done: progress(len(to_embed) + len(to_read) + done, steps))
    sentences_embedded = _build_and_swap(store, unique, vectors, entities, info, previous_sentences, sentence_progress,
                                         lambda texts: load_embedder(settings.embedding_model, settings.cache_dir).embed_texts(texts))
    if to_embed or sentences_embedded:  # the model is loaded: export it so that queries need no torch
        load_embedder(settings.embedding_model, settings.cache_dir).export_onnx()
    return IngestReport(
        chunk_count=len(unique), added=len(new_ids - old_ids), removed=len(old_ids - new_ids),
        unchanged=len(new_ids & old_ids), files=sorted(files), skipped=loaded.skipped,
        fingerprint=fingerprint, rebuilt=current is not None and not reusable, sentences_embedded=sentences_embedded,
    )


def _as_rows(rows) -> list[Any]:
    """Vectors as float32 numpy rows: 1.5 KB each, where a list of Python floats takes about 12 KB.

    Every vector of one Chroma add() must be of one type, so new and reused vectors are both rows.
    """
    import numpy as np

    return list(np.asarray(rows, dtype=np.float32)) if len(rows) else []


def _embed(chunks: list[Chunk], settings: Settings, progress: Progress | None) -> dict[str, Any]:
    if not chunks:
        return {}
    embedder = load_embedder(settings.embedding_model, settings.cache_dir)
    vectors: dict[str, Any] = {}
    for lo in range(0, len(chunks), _EMBED_BATCH):
        batch = chunks[lo : lo + _EMBED_BATCH]
        for chunk, vector in zip(batch, _as_rows(embedder.embed_texts([c.embed_text for c in batch]))):
            vectors[chunk.chunk_id] = vector
        if progress:
            progress(min(lo + _EMBED_BATCH, len(chunks)), len(chunks))
    return vectors


def _entities(chunks: list[Chunk], progress: Callable[[int], None] | None) -> dict[str, str]:
    """Each chunk's named entities (`entities.find_entities`), read in batches."""
    if not chunks:
        return {}
    from .entities import find_entities

    found: dict[str, str] = {}
    for lo in range(0, len(chunks), _EMBED_BATCH):
        batch = chunks[lo : lo + _EMBED_BATCH]
        found.update(zip((c.chunk_id for c in batch), find_entities(c.text for c in batch)))
        if progress:
            progress(min(lo + _EMBED_BATCH, len(chunks)))
    return found


def _build_and_swap(store: Store, chunks: list[Chunk], vectors: dict[str, Any], entities: dict[str, str], info: IndexInfo,
                    previous_sentences: Collection | None, progress: Callable[[int], None] | None,
                    embed: Callable[[list[str]], Any]) -> int:
    staging = store.create_staging()
    files = store.files(staging.name)
    try:
        texts = [c.text for c in chunks]
        metadatas = [{**c.metadata(), ENTITIES: entities[c.chunk_id]} for c in chunks]
        write_all(staging, ids=[c.chunk_id for c in chunks], embeddings=[vectors[c.chunk_id] for c in chunks],
                  documents=texts, metadatas=metadatas)
        matrix = index_files.SentenceMatrixWriter(files) if files is not None else None
        try:
            embedded = write_sentence_vectors(store.sentences(staging.name, create=True), chunks, previous_sentences,
                                              embed, progress, matrix=matrix)
        finally:
            if matrix is not None:
                matrix.close()
        if files is not None:
            bm25, stats = build_bm25(texts, metadatas)
            index_files.write(files, [c.chunk_id for c in chunks], texts, metadatas, bm25, stats)
        if progress:
            progress(len(chunks))
        store.activate(staging, info)
        return embedded
    except BaseException:
        store.drop(staging.name)
        raise
