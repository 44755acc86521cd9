"""The benchmark's synthetic distractor corpus: deterministic, and shaped like the real article."""

from __future__ import annotations

from assistant.evaluation.bench.corpus import SEED, count_chunks, synthetic_document, write_corpus
from assistant.evaluation.bench.common import hits


def test_same_seed_gives_the_same_documents():
    assert synthetic_document(7, 3) == synthetic_document(7, 3)
    assert synthetic_document(7, 3) != synthetic_document(7, 4)
    assert synthetic_document(7, 3) != synthetic_document(8, 3)


def test_written_corpora_are_deterministic_supersets(tmp_path):
    small, again, large = tmp_path / "small", tmp_path / "again", tmp_path / "large"
    n_small = write_corpus(small, 200, seed=11)
    write_corpus(again, 200, seed=11)
    n_large = write_corpus(large, 400, seed=11)

    files = sorted(p.relative_to(small) for p in small.rglob("*.md"))
    assert files == sorted(p.relative_to(again) for p in again.rglob("*.md"))
    assert all((small / f).read_bytes() == (again / f).read_bytes() for f in files)
    assert all((small / f).read_bytes() == (large / f).read_bytes() for f in files)
    assert 0 < n_small < n_large
    assert (small / "microsoft-openai-partnership.md").exists()


def test_distractors_chunk_like_articles_and_never_name_the_real_companies():
    text = synthetic_document(SEED, 0)
    assert text.startswith("---\ntitle:")
    assert "Location: " in text and "Founded date: " in text
    assert 5 <= count_chunks(text) <= 25
    corpus = " ".join(synthetic_document(SEED, i) for i in range(50))
    for name in ("OpenAI", "Microsoft", "Oracle", "Financial Times", "Stargate"):
        assert name not in corpus


def test_evidence_matching_ignores_case_and_whitespace():
    assert hits("The deal runs\n until  2030.", ["deal RUNS until 2030"])
    assert not hits("The deal runs until 2031.", ["until 2030"])
