"""The benchmark's measured phases, each run in a child process: `python -m assistant.evaluation.bench.phases`."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from assistant.evaluation.bench.borrowed import BorrowedEntities, BorrowedVectors, pool_texts
from assistant.evaluation.bench.common import (
    RESULT_TAG,
    fact_questions,
    hits,
    peak_rss_mb,
    progress_bar,
    rss_split_mb,
    summary_ms,
)

MODULE = "assistant.evaluation.bench.phases"
# The import phases time `import assistant` itself, so they cannot run in this module: `python -m` imports the
# package (and all that `import assistant` loads) before any of this runs. They run IMPORT_TIMER in a bare
# `python -c` instead: seconds to import each module in turn, in a fresh process, after the standard library
# modules the benchmark's child processes have always loaded first (so that figures compare with earlier runs).
IMPORT_PHASES = {
    # Seconds to import each heavy dependency, in order.
    "imports": ("assistant", "assistant.cli.commands", "numpy", "torch", "transformers", "sentence_transformers",
                "langchain_huggingface", "chromadb", "bm25s"),
    # Seconds to import what a torch-free query embedder needs (onnxruntime, tokenizers).
    "imports_onnx": ("numpy", "tokenizers", "onnxruntime"),
}
IMPORT_TIMER = """\
import argparse, collections.abc, datetime, json, logging, os, pathlib, platform, random, re, resource, shutil
import statistics, subprocess, sys, tempfile, time, zlib
logging.basicConfig(level=logging.WARNING)
for noisy in ("chromadb", "httpx", "sentence_transformers", "transformers", "bm25s"):
    logging.getLogger(noisy).setLevel(logging.ERROR)
tag, names, out = sys.argv[1], json.loads(sys.argv[2]), {}
for name in names:
    start = time.perf_counter()
    __import__(name)
    out[name] = round(time.perf_counter() - start, 3)
if "torch" in names:
    import torch
    out["torch_version"] = torch.__version__
    out["torch_threads"] = torch.get_num_threads()
print(tag + json.dumps(out), flush=True)
"""


def child_argv(name: str, params: dict) -> list[str]:
    """The command line of the child process that measures phase `name`."""
    if name in IMPORT_PHASES:
        return [sys.executable, "-c", IMPORT_TIMER, RESULT_TAG, json.dumps(list(IMPORT_PHASES[name]))]
    return [sys.executable, "-m", MODULE, "--phase", name, "--params", json.dumps(params)]


def _settings(params: dict):
    """The settings of the corpus and store a phase measures (extractive backend)."""
    from assistant import load_settings

    return load_settings(corpus_dir=params["corpus"], store_dir=params["store"], backend="extractive")


def phase_build(params: dict) -> dict:
    """Ingest a corpus from scratch into a new local store; times model load, ingest and index open."""
    from assistant.index.embeddings import load_embedder
    from assistant.ingest.pipeline import ingest
    from assistant.index.search import open_index
    from assistant.index.store import Store

    settings = _settings(params)
    start = time.perf_counter()
    embedder = load_embedder(settings.embedding_model, settings.cache_dir)
    embedder.embed_texts(["warm up"])
    model_s = time.perf_counter() - start
    # A machine's first ingest exports the model to ONNX when it ends (seconds, once); every later ingest embeds
    # with the export. Made here, timed apart, so that the ingest timed below is such a later one.
    start = time.perf_counter()
    if embedder.backend != "onnx" and embedder.export_onnx():
        load_embedder.cache_clear()
        embedder = load_embedder(settings.embedding_model, settings.cache_dir)
        embedder.embed_texts(["warm up"])
    export_s = time.perf_counter() - start
    borrowed = params.get("vectors") == "borrowed"
    if borrowed:
        import assistant.ingest.entities as entities

        embedder.embed_texts = BorrowedVectors(embedder.embed_texts, pool_texts(Path(params["corpus"])))
        entities.find_entities = BorrowedEntities(entities.find_entities, embedder.embed_texts.is_real)
    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        bar = bar or progress_bar(total, f"embed {params['label']}")
        bar.update(done - bar.n)

    start = time.perf_counter()
    report = ingest(settings, rebuild=True, progress=progress)
    ingest_s = time.perf_counter() - start
    if bar is not None:
        bar.close()
    ingest_rss = peak_rss_mb()  # before the raw encode below loads torch, which ingest may not have
    start = time.perf_counter()
    store = Store(settings)
    collection, info = store.active()
    open_index(store, collection, info, embedder)
    open_s = time.perf_counter() - start
    out = {"chunks": report.chunk_count, "files": len(report.files), "model_load_s": round(model_s, 2),
           "onnx_export_s": round(export_s, 2),
           "ingest_s": round(ingest_s, 2), "chunks_per_s": round(report.chunk_count / ingest_s, 1),
           "index_open_s": round(open_s, 2), "vectors": "borrowed" if borrowed else "real",
           "embedder": embedder.backend, "peak_rss_mb": ingest_rss}
    if not borrowed and params.get("raw_encode"):
        out.update(raw_encode(settings, ingest_s))
    return out


def raw_encode(settings, ingest_s: float) -> dict:
    """`SentenceTransformer.encode` of every text that ingest embeds (chunks, sentences, sentences in context),
    in one call, timed in the same process: the encoder's own throughput, which ingest's is measured against.
    Both use the same batch size (sentence-transformers is itself fastest here near 16: 15.8 s against 21.5 s at
    64 on the same texts)."""
    from sentence_transformers import SentenceTransformer

    from assistant.ingest.chunking import chunk_document
    from assistant.ingest.corpus import load_corpus
    from assistant.index.embeddings import resolve_model_path
    from assistant.index.onnx_embeddings import ENCODE_BATCH
    from assistant.index.sentence_vectors import chunk_passage
    from assistant.index.sentences import sentence_units, vector_texts

    chunks = [c for d in load_corpus(settings.corpus_dir).documents
              for c in chunk_document(d, settings.chunk_size, settings.chunk_overlap)]
    chunks = list({c.chunk_id: c for c in chunks}.values())
    texts = [c.embed_text for c in chunks]
    for chunk in chunks:
        units = sentence_units(chunk_passage(chunk))
        texts += list(vector_texts(units).values()) + list(vector_texts(units, in_context=True).values())
    model = SentenceTransformer(resolve_model_path(settings.embedding_model), device="cpu")
    model.encode(texts[:64])
    start = time.perf_counter()
    model.encode(texts, batch_size=ENCODE_BATCH, normalize_embeddings=True)
    encode_s = time.perf_counter() - start
    return {"raw_encode_texts": len(texts), "raw_encode_s": round(encode_s, 2),
            "ingest_vs_encode": round(encode_s / ingest_s, 3)}


def phase_reingest(params: dict) -> dict:
    """Re-ingest after the parent changed one line of the big file: what was embedded and read again, and when."""
    from assistant.ingest.pipeline import ingest

    start = time.perf_counter()
    report = ingest(_settings(params))
    ingest_s = time.perf_counter() - start
    return {"ingest_s": round(ingest_s, 2), "chunks": report.chunk_count, "added": report.added,
            "removed": report.removed, "sentences_embedded": report.sentences_embedded, "peak_rss_mb": peak_rss_mb()}


def phase_query(params: dict) -> dict:
    """Warm latency by stage, end-to-end `Assistant.ask` latency and recall@1/@k on a built store."""
    from assistant import Assistant
    from assistant.answer.conversation import condense
    from assistant.answer.extractive import ExtractiveAnswerer

    bot = Assistant(_settings(params))
    start = time.perf_counter()
    index = bot.index()
    open_s = time.perf_counter() - start
    answerer = ExtractiveAnswerer(index)
    k = bot.settings.k
    questions = fact_questions()
    inner: dict[str, float] = {}
    _time_method(index, "dense", inner)
    _time_method(index, "sparse", inner)

    def fresh() -> None:  # a new question: no cached query vector or ranking; sentence vectors read again
        index.embedder._query_cache.clear()
        index._sentence_vectors.clear()
        index._dense_results.clear()

    for row in questions[:3]:  # warm-up: first calls pay for lazy initialisation
        fresh()
        answerer.answer(condense(row["question"], []), index.search(row["question"], k))
    stages: dict[str, list[float]] = {s: [] for s in ("embed", "dense", "bm25", "fusion", "answer", "total")}
    reps = params["reps"]
    timed = questions[: params.get("latency_questions") or len(questions)]
    with progress_bar(reps * len(timed), f"ask stages {params['label']}") as bar:
        for _ in range(reps):
            for row in timed:
                fresh()
                t0 = time.perf_counter()
                index.embedder.embed_query(row["question"])
                t1 = time.perf_counter()
                passages = index.search(row["question"], k)
                t2 = time.perf_counter()
                answerer.answer(condense(row["question"], []), passages)
                t3 = time.perf_counter()
                stages["embed"].append(t1 - t0)
                stages["dense"].append(inner["dense"])
                stages["bm25"].append(inner["sparse"])
                stages["fusion"].append(max(0.0, (t2 - t1) - inner["dense"] - inner["sparse"]))
                stages["answer"].append(t3 - t2)
                stages["total"].append(t3 - t0)
                bar.update()
    top1 = topk = 0
    for row in questions:
        passages = index.search(row["question"], k)
        top1 += bool(passages) and hits(passages[0].text, row["evidence"])
        topk += any(hits(p.text, row["evidence"]) for p in passages)
    ask_new, ask_repeat = _ask_latencies(bot, timed, reps, params["label"])
    return {"index_open_s": round(open_s, 2), "chunks": len(index), "questions": len(questions),
            "latency_questions": len(timed), "k": k,
            "stages_ms": {s: summary_ms(v) for s, v in stages.items()},
            "ask_new_ms": summary_ms(ask_new), "ask_repeat_ms": summary_ms(ask_repeat),
            "recall_at_1": round(top1 / len(questions), 3), f"recall_at_{k}": round(topk / len(questions), 3),
            "peak_rss_mb": peak_rss_mb(), **rss_split_mb()}


def _time_method(obj: object, name: str, sink: dict[str, float]) -> None:
    """Shadow a bound method with one that records its last duration in `sink[name]`."""
    method = getattr(obj, name)

    def timed(*args, **kwargs):
        start = time.perf_counter()
        try:
            return method(*args, **kwargs)
        finally:
            sink[name] = time.perf_counter() - start

    setattr(obj, name, timed)


def _ask_latencies(bot, questions: list[dict], reps: int, label: str) -> tuple[list[float], list[float]]:
    """`Assistant.ask` wall time for a question seen for the first time, and for a repeat of it."""
    new, repeat = [], []
    bot.ask(questions[0]["question"])
    with progress_bar(reps * len(questions), f"ask end-to-end {label}") as bar:
        for _ in range(reps):
            for row in questions:
                bot.index().embedder._query_cache.clear()
                bot.index()._sentence_vectors.clear()
                bot.index()._dense_results.clear()
                start = time.perf_counter()
                bot.ask(row["question"])
                new.append(time.perf_counter() - start)
                start = time.perf_counter()
                bot.ask(row["question"])
                repeat.append(time.perf_counter() - start)
                bar.update()
    return new, repeat


def phase_langchain(params: dict) -> dict:
    """The LangChain RAG tutorial's pipeline on the same corpus: 1000/200 splits, same model, Chroma, top-4."""
    from chromadb.config import Settings as ChromaSettings
    from langchain_chroma import Chroma
    from langchain_core.documents import Document
    from langchain_huggingface import HuggingFaceEmbeddings
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    from assistant.config import DEFAULT_EMBEDDING_MODEL
    from assistant.index.embeddings import resolve_model_path

    start = time.perf_counter()
    embeddings = HuggingFaceEmbeddings(model_name=resolve_model_path(DEFAULT_EMBEDDING_MODEL))
    embeddings.embed_query("warm up")
    model_s = time.perf_counter() - start
    if params.get("vectors") == "borrowed":
        borrowed = BorrowedVectors(embeddings.embed_documents, pool_texts(Path(params["corpus"])))
        object.__setattr__(embeddings, "embed_documents", lambda texts: borrowed(texts).tolist())
    start = time.perf_counter()
    # What the tutorial's DirectoryLoader(glob="**/*.md", loader_cls=TextLoader) loads, without langchain_community.
    loaded = [Document(page_content=path.read_text(encoding="utf-8"), metadata={"source": str(path)})
              for path in sorted(Path(params["corpus"]).glob("**/*.md"))]
    splits = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200, add_start_index=True).split_documents(loaded)
    store = Chroma(collection_name="tutorial", embedding_function=embeddings, persist_directory=params["store"],
                   client_settings=ChromaSettings(anonymized_telemetry=False, is_persistent=True,
                                                  persist_directory=params["store"]))
    batch = 2000
    with progress_bar(len(splits), f"langchain embed {params['label']}") as bar:
        for lo in range(0, len(splits), batch):
            store.add_documents(splits[lo : lo + batch])
            bar.update(len(splits[lo : lo + batch]))
    build_s = time.perf_counter() - start
    questions = fact_questions()
    store.similarity_search(questions[0]["question"], k=4)
    latencies, top1, top4 = [], 0, 0
    timed = questions[: params.get("latency_questions") or len(questions)]
    with progress_bar(params["reps"] * len(timed), f"langchain search {params['label']}") as bar:
        for _ in range(params["reps"]):
            for row in timed:
                start = time.perf_counter()
                store.similarity_search(row["question"], k=4)
                latencies.append(time.perf_counter() - start)
                bar.update()
    for row in questions:
        docs = store.similarity_search(row["question"], k=4)
        top1 += bool(docs) and hits(docs[0].page_content, row["evidence"])
        top4 += any(hits(d.page_content, row["evidence"]) for d in docs)
    return {"chunks": len(splits), "model_load_s": round(model_s, 2), "build_s": round(build_s, 2),
            "chunks_per_s": round(len(splits) / build_s, 1), "search_ms": summary_ms(latencies),
            "recall_at_1": round(top1 / len(questions), 3), "recall_at_4": round(top4 / len(questions), 3),
            "vectors": params.get("vectors", "real"), "peak_rss_mb": peak_rss_mb()}


PHASES = {"build": phase_build, "query": phase_query, "langchain": phase_langchain, "reingest": phase_reingest}


def main(argv: list[str]) -> int:
    """Run one phase; its result is printed as one JSON line after RESULT_TAG."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--phase", choices=sorted(PHASES), required=True)
    parser.add_argument("--params", default="{}")
    args = parser.parse_args(argv)
    import logging

    logging.basicConfig(level=logging.WARNING)
    for noisy in ("chromadb", "httpx", "sentence_transformers", "transformers", "bm25s"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    result = PHASES[args.phase](json.loads(args.params))
    print(RESULT_TAG + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
