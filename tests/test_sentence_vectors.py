"""Sentence vectors stored at ingest: complete, reused on re-ingest, and answering exactly as embedding at query time."""

from __future__ import annotations

import numpy as np

from assistant import Assistant
from assistant.ingest.chunking import chunk_document
from assistant.ingest.corpus import load_corpus
from assistant.answer.extractive import ExtractiveAnswerer
from assistant.answer.conversation import condense
from assistant.index.sentence_vectors import chunk_passage
from assistant.index.sentences import sentence_units
from assistant.index.store import Store

QUESTIONS = [
    "Until when does the partnership last?",
    "Who has the right of first refusal?",
    "How much compute did OpenAI commit to buy from Azure?",
    "Where is OpenAI located?",
    "What is the capital of France?",
]


def _all_units(bot: Assistant):
    chunks = [c for doc in load_corpus(bot.settings.corpus_dir).documents
              for c in chunk_document(doc, bot.settings.chunk_size, bot.settings.chunk_overlap)]
    return [u for c in {c.chunk_id: c for c in chunks}.values() for u in sentence_units(chunk_passage(c))]


class _NoEmbedding:
    """An embedder stand-in that fails the test if sentences are embedded at question time."""

    def __init__(self, real):
        self.real = real

    def embed_texts(self, texts):
        raise AssertionError(f"embedded {len(texts)} sentence(s) at question time")


def test_every_sentence_unit_is_stored_and_read_without_embedding(bot):
    index = bot.index()
    units = _all_units(bot)
    leaning = [u for u in units if u.antecedent]
    assert leaning, "the corpus has sentences that open with 'This ...'"
    assert index.sentences is not None and len(index.sentences) == len(units) + len(leaning) > 50
    real = index.embedder
    index.embedder = _NoEmbedding(real)
    try:
        index._sentence_vectors.clear()
        stored = index.sentence_vectors(units[:40])
        stored_in_context = index.sentence_vectors(leaning, in_context=True)
    finally:
        index.embedder = real
    assert np.allclose(np.stack(stored), real.embed_texts([u.display for u in units[:40]]), atol=1e-4)
    fresh_in_context = real.embed_texts([f"{u.antecedent} {u.display}" for u in leaning])
    assert np.allclose(np.stack(stored_in_context), fresh_in_context, atol=1e-4)


def test_answers_are_the_same_with_and_without_stored_vectors(bot):
    index = bot.index()
    answerer = ExtractiveAnswerer(index)

    def answers():
        index._sentence_vectors.clear()
        out = []
        for question in QUESTIONS:
            answer = answerer.answer(condense(question, []), index.search(question, bot.settings.k))
            out.append((answer.text, answer.abstained, [(c.source, c.start, c.end) for c in answer.citations],
                        [round(c.score, 3) for c in answer.citations]))
        return out

    with_stored = answers()
    sentences, index.sentences = index.sentences, None  # as an index built before vectors were stored
    try:
        embedded_now = answers()
    finally:
        index.sentences = sentences
    assert with_stored == embedded_now
    assert any(not abstained for _, abstained, _, _ in with_stored)


def test_reingest_reuses_the_vectors_of_unchanged_sentences(tmp_path, corpus_copy):
    bot = Assistant(store_dir=tmp_path / "s", corpus_dir=corpus_copy)
    first = bot.ingest()
    units = _all_units(bot)
    total = len(units) + sum(1 for u in units if u.antecedent)  # one vector per unit, and one in context
    assert first.sentences_embedded == total

    store = Store(bot.settings)
    some = {u.key: u.display for u in _all_units(bot)[:5]}
    before = store.stored_sentences(store.active()[1]).vectors_of(some)

    (corpus_copy / "memo.txt").write_text("The pilot programme with Contoso Rail runs until 2041. Its budget is 12 million euros.\n")
    second = bot.ingest()
    assert second.added == 1
    # the new file's two sentences, and "Its budget ..." read after the first; every other vector was reused
    assert second.sentences_embedded == 3
    after = store.stored_sentences(store.active()[1])
    assert len(before) == 5 and all(np.allclose(after.vectors_of(some)[key], before[key], atol=1e-6) for key in some)
    assert len(after) == total + 3
    answer = bot.ask("Until when does the pilot programme with Contoso Rail run?")
    assert "2041" in answer.text


def test_a_local_index_keeps_one_collection_and_its_last_two_generations_of_files(tmp_path, corpus_copy):
    from assistant.index import files as index_files

    def generations() -> list[str]:
        return sorted(f"{p.parent.name}/{p.name}" for p in (tmp_path / "s" / index_files.FOLDER).glob("*/*"))

    bot = Assistant(store_dir=tmp_path / "s", corpus_dir=corpus_copy)
    bot.ingest()
    first = Store(bot.settings).active()[1].generation
    for n in range(2):
        (corpus_copy / "memo.txt").write_text(f"Note {n}: a brand new document about quantum widgets and their makers.\n")
        bot.ingest()
        if n == 0:
            second = Store(bot.settings).active()[1].generation
            assert generations() == sorted([first, second])  # the one replaced stays a cycle, for its readers
    store = Store(bot.settings)
    collection, info = store.active()
    names = sorted(c.name if hasattr(c, "name") else str(c) for c in store.client.list_collections())
    assert names == sorted([collection.name, f"{bot.settings.collection}-pointer"])
    assert generations() == sorted([second, info.generation])
    assert collection.count() == info.chunk_count

    other = Assistant(store_dir=tmp_path / "s", corpus_dir=corpus_copy, collection="other")
    other.ingest()  # another index in the same store leaves this one's files alone
    assert set(generations()) == {second, info.generation, other.status().generation}
    assert "quantum widgets" in bot.ask("What is the new document about?").text


def test_a_line_inserted_in_a_file_embeds_only_what_it_changed(tmp_path, corpus_copy, monkeypatch):
    """The chunks after the new line move but keep their ids, vectors and entities; their sentences keep theirs."""
    import assistant.ingest.entities as entities_module
    from assistant.index.embeddings import load_embedder

    lines = [f"Item {i}: the depot in Quarry Lane number {i} opens at {i % 12 + 1} o'clock on weekdays" + " and on"
             " Sundays" * (i % 5) + "." for i in range(60)]
    (corpus_copy / "depots.txt").write_text("\n\n".join(lines) + "\n")
    bot = Assistant(store_dir=tmp_path / "s", corpus_dir=corpus_copy)
    first = bot.ingest()
    embedder = load_embedder(bot.settings.embedding_model, bot.settings.cache_dir)
    embedded: list[str] = []
    read: list[str] = []
    real_embed, real_find = embedder.embed_texts, entities_module.find_entities
    monkeypatch.setattr(embedder, "embed_texts", lambda texts: embedded.extend(texts) or real_embed(texts))

    def finding(texts):
        texts = list(texts)
        read.extend(texts)
        return real_find(texts)

    monkeypatch.setattr(entities_module, "find_entities", finding)
    lines.insert(30, "Depots of the northern district.")
    (corpus_copy / "depots.txt").write_text("\n\n".join(lines) + "\n")
    second = bot.ingest()
    assert second.chunk_count >= first.chunk_count > 20
    assert second.added <= 2 and second.removed <= 1
    assert len(read) == second.added and len(embedded) <= second.added + 4  # a chunk, its sentences, no more
    answer = bot.ask("When does the depot in Quarry Lane number 7 open?")
    assert "8 o'clock" in answer.text
    depots = (corpus_copy / "depots.txt").read_text()
    assert all(depots[c.start : c.end] == c.quote for c in answer.citations)  # spans of the file as it is now


def test_the_nearest_sentences_are_the_exact_nearest_of_every_stored_vector(bot):
    """Each question's nearest sentences are found by exact similarity, so every run gives the same answers."""
    index = bot.index()
    vectors, chunks = index.sentences.matrix(index._position)
    vectors = np.asarray(vectors)
    for unit in _all_units(bot)[::3]:  # sentences of the corpus as questions: each is its own nearest
        similarities = vectors @ index.embedder.embed_query(unit.display)
        exact = [int(chunks[i]) for i in np.argsort(-similarities, kind="stable")[:5]]
        assert [pos for pos, _ in index.nearest_sentences(unit.display, 5)] == exact


def test_rows_read_from_the_matrix_file_are_its_rows(tmp_path):
    from assistant.index.files import SentenceMatrix, SentenceMatrixWriter, text_digest

    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(40, 8)).astype(np.float32)
    texts = [f"sentence {i}" for i in range(40)]
    writer = SentenceMatrixWriter(tmp_path)
    writer.add([text_digest(t) for t in texts[:25]], [i // 5 for i in range(25)], vectors[:25])
    writer.add([text_digest(t) for t in texts[25:]], [i // 5 for i in range(25, 40)], vectors[25:])
    writer.close()
    matrix = SentenceMatrix(tmp_path)
    rows = np.array([0, 1, 2, 9, 17, 18, 39])  # runs of consecutive rows and single ones
    assert np.array_equal(matrix.take(rows), vectors[rows])
    wanted = {"x": texts[30], "y": "never stored", "z": texts[3]}
    found = matrix.vectors_of(wanted)
    assert set(found) == {"x", "z"} and np.array_equal(found["x"], vectors[30]) and np.array_equal(found["z"], vectors[3])


def test_no_rows_asked_is_no_rows_read(tmp_path):
    from assistant.index.files import SentenceMatrix, SentenceMatrixWriter

    writer = SentenceMatrixWriter(tmp_path)
    writer.add([1, 2], [0, 0], np.ones((2, 4), dtype=np.float32))
    writer.close()
    assert SentenceMatrix(tmp_path).take(np.zeros(0, dtype=np.int64)).shape == (0, 4)
    assert SentenceMatrix(tmp_path).vectors_of({"k": "never stored"}) == {}
