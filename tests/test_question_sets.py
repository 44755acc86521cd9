"""Every question set kept in evals/ is in the shared format and quotes the corpus verbatim."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import CORPUS, REPO

SETS = sorted((REPO / "evals").glob("*questions.jsonl"))


def test_the_sets_are_there():
    assert {p.name for p in SETS} >= {"questions.jsonl", "dev_questions.jsonl", "heldout_questions.jsonl"}


@pytest.mark.parametrize("path", SETS, ids=lambda p: p.name)
def test_question_set_is_valid(path):
    checked = subprocess.run([sys.executable, "-m", "assistant.evaluation.check_questions", str(path)],
                             capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "0 problem(s)" in checked.stdout


def test_no_question_is_in_two_sets():
    import json

    seen: dict[str, str] = {}
    for path in SETS:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                question = json.loads(line)["question"].strip().lower()
                assert question not in seen, f"{question!r} is in {seen.get(question)} and {path.name}"
                seen[question] = path.name


SUITE = sorted((REPO / "evals" / "corpora").glob("*/questions.jsonl"))


@pytest.mark.parametrize("path", SUITE, ids=lambda p: p.parent.name)
def test_suite_question_set_quotes_its_corpus_as_the_assistant_reads_it(path):
    from assistant.ingest.corpus import load_corpus
    from assistant.evaluation import load_questions
    from assistant.evaluation.matching import contains_evidence

    questions = load_questions(path)
    texts = [d.text for d in load_corpus(path.parent / "corpus").documents]
    assert len(questions) >= 20
    heldout = sum(q.split == "heldout" for q in questions)
    assert abs(heldout - len(questions) / 3) <= 1, "a third of each corpus's questions is held out"
    for question in questions:
        assert question.answerable == bool(question.evidence), question.id
        for evidence in question.evidence:
            assert any(contains_evidence(text, [evidence]) for text in texts), f"{question.id}: {evidence!r}"


def test_the_suite_has_the_partnership_article_as_shipped():
    suite_copy = REPO / "evals" / "corpora" / "partnership" / "corpus"
    assert sorted(p.name for p in suite_copy.iterdir()) == sorted(p.name for p in CORPUS.iterdir())
    for path in suite_copy.iterdir():
        assert path.read_bytes() == (CORPUS / path.name).read_bytes()
