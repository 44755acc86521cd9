"""The benchmark's synthetic distractor corpus: deterministic, and shaped like the real article."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "evals" / "bench.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("assistant_bench_under_test", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_same_seed_gives_the_same_documents(bench):
    assert bench.synthetic_document(7, 3) == bench.synthetic_document(7, 3)
    assert bench.synthetic_document(7, 3) != bench.synthetic_document(7, 4)
    assert bench.synthetic_document(7, 3) != bench.synthetic_document(8, 3)


def test_written_corpora_are_deterministic_supersets(bench, tmp_path):
    small, again, large = tmp_path / "small", tmp_path / "again", tmp_path / "large"
    n_small = bench.write_corpus(small, 200, seed=11)
    bench.write_corpus(again, 200, seed=11)
    n_large = bench.write_corpus(large, 400, seed=11)

    files = sorted(p.relative_to(small) for p in small.rglob("*.md"))
    assert files == sorted(p.relative_to(again) for p in again.rglob("*.md"))
    assert all((small / f).read_bytes() == (again / f).read_bytes() for f in files)
    assert all((small / f).read_bytes() == (large / f).read_bytes() for f in files)
    assert 0 < n_small < n_large
    assert (small / "microsoft-openai-partnership.md").exists()


def test_distractors_chunk_like_articles_and_never_name_the_real_companies(bench):
    text = bench.synthetic_document(bench.SEED, 0)
    assert text.startswith("---\ntitle:")
    assert "Location: " in text and "Founded date: " in text
    assert 5 <= bench.count_chunks(text) <= 25
    corpus = " ".join(bench.synthetic_document(bench.SEED, i) for i in range(50))
    for name in ("OpenAI", "Microsoft", "Oracle", "Financial Times", "Stargate"):
        assert name not in corpus


def test_evidence_matching_ignores_case_and_whitespace(bench):
    assert bench.hits("The deal runs\n until  2030.", ["deal RUNS until 2030"])
    assert not bench.hits("The deal runs until 2031.", ["until 2030"])
