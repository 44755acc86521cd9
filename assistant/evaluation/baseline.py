"""The peer baseline: the plain LangChain tutorial pipeline, measured on the same retrieval metrics."""

from __future__ import annotations

import tempfile
import uuid
from typing import Any

from assistant.config import Settings
from assistant.evaluation.matching import first_evidence_rank
from assistant.evaluation.metrics import retrieval_metrics
from assistant.evaluation.questions import Question
from assistant.evaluation.runner import Progress

CHUNK_SIZE = 1000
CHUNK_OVERLAP = 200
BASELINE_K = 4
NAME = "LangChain tutorial RAG: RecursiveCharacterTextSplitter(1000, 200) + Chroma, top-4 similarity_search"


def run_baseline(settings: Settings, questions: list[Question], *, progress: Progress | None = None) -> dict[str, Any]:
    """recall@1, recall@k and MRR of the tutorial pipeline over `questions`, searched by the question alone."""
    ranks, chunks = baseline_ranks(settings, questions, progress=progress)
    return baseline_summary(ranks, chunks)


def baseline_summary(ranks: list[int | None], chunks: int) -> dict[str, Any]:
    """The baseline's figures from its evidence ranks (one per question; None when no passage had evidence)."""
    return {"name": NAME, "k": BASELINE_K, "n": len(ranks), "chunks": chunks, **retrieval_metrics(ranks, BASELINE_K)}


def baseline_ranks(settings: Settings, questions: list[Question], *,
                   progress: Progress | None = None) -> tuple[list[int | None], int]:
    """The rank of the first passage with evidence among the tutorial pipeline's top 4, per question, and how many
    chunks it made."""
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    from assistant.ingest.corpus import load_corpus
    from assistant.index.embeddings import load_embedder

    documents = _documents(load_corpus(settings.corpus_dir).documents)
    splitter = RecursiveCharacterTextSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP)
    chunks = splitter.split_documents(documents)
    embedding = load_embedder(settings.embedding_model).langchain
    ranks: list[int | None] = []
    with tempfile.TemporaryDirectory(prefix="eval-baseline-", ignore_cleanup_errors=True) as tmp:
        store = _chroma(tmp, embedding)
        if chunks:
            store.add_documents(chunks)
        for done, question in enumerate(questions, start=1):
            found = store.similarity_search(question.question, k=BASELINE_K) if chunks else []
            ranks.append(first_evidence_rank([d.page_content for d in found], question.evidence))
            if progress:
                progress(done, len(questions))
        store.delete_collection()
    return ranks, len(chunks)


def _documents(corpus_documents) -> list:
    from langchain_core.documents import Document

    return [Document(page_content=d.text, metadata={"source": d.source}) for d in corpus_documents]


def _chroma(directory: str, embedding):
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from langchain_chroma import Chroma

    client = chromadb.PersistentClient(path=directory, settings=ChromaSettings(anonymized_telemetry=False))
    return Chroma(collection_name=f"baseline-{uuid.uuid4().hex[:8]}", embedding_function=embedding, client=client)
