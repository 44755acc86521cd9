"""The peer baseline: the LangChain tutorial pipeline over the real corpus."""

from __future__ import annotations

from assistant import load_settings
from assistant.evaluation.baseline import BASELINE_K, run_baseline
from assistant.evaluation.questions import Question
from tests.conftest import CORPUS


def question(id_: str, text: str, evidence: list[str]) -> Question:
    return Question(id=id_, kind="fact", question=text, answer_must_include=[["x"]], evidence=evidence)


def test_baseline_measures_recall_and_mrr_over_tutorial_chunks():
    settings = load_settings(corpus_dir=CORPUS)
    questions = [
        question("b-1", "How long is the partnership set to last?", ["set to last until 2030"]),
        question("b-2", "Something the corpus never says", ["this string is in no chunk at all"]),
    ]
    result = run_baseline(settings, questions)
    text = (CORPUS / "microsoft-openai-partnership.md").read_text(encoding="utf-8")
    assert result["k"] == BASELINE_K == 4 and result["n"] == 2
    assert result["chunks"] >= len(text) // 1000  # 1000-character chunks with 200 of overlap
    assert result["retrieval_recall_at_k"] == 0.5  # the first is found in the top 4, the second cannot be
    assert 0 < result["mrr"] <= 0.5


def test_baseline_with_no_questions_has_null_metrics():
    result = run_baseline(load_settings(corpus_dir=CORPUS), [])
    assert result["n"] == 0 and result["mrr"] is None and result["retrieval_recall_at_1"] is None
