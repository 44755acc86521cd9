"""The CI gate: the real question set through the eval runner, held to evals/thresholds.json."""

from __future__ import annotations

import json

import pytest

from assistant import Answer, Assistant, Provenance
from assistant.evaluation import check_gate, default_thresholds_path, evaluate, load_questions, load_thresholds
from tests.conftest import CORPUS, REPO

QUESTIONS = REPO / "evals" / "questions.jsonl"
# The gate may be made stricter in evals/thresholds.json, never looser than this.
FLOORS = {"answer_accuracy": 0.9, "citation_precision": 0.9, "abstention_accuracy": 0.9, "what_if_accuracy": 0.9}


@pytest.fixture(scope="module")
def questions():
    return load_questions(QUESTIONS)


def test_thresholds_never_fall_below_the_floors():
    minimums = load_thresholds()
    for name, floor in FLOORS.items():
        assert minimums.get(name, 0) >= floor, f"{name} in {default_thresholds_path()} is below {floor}"


@pytest.mark.gate
def test_the_assistant_clears_the_gate(shared_store, questions):
    bot = Assistant(store_dir=shared_store, corpus_dir=CORPUS, backend="extractive")
    summary = evaluate(bot, questions)
    failures = check_gate(summary, load_thresholds())
    assert not failures, "eval gate failed: " + "; ".join(failures)


class AlwaysAbstains(Assistant):
    """An answerer that never answers."""

    def ask(self, question, history=None):
        return Answer(question=question, text="The documents don't say.", abstained=True, provenance=Provenance(backend="broken"))


class WrongAndUncited(Assistant):
    """An answerer that always answers, wrongly and without citations."""

    def ask(self, question, history=None):
        return Answer(question=question, text="Purple elephants.", provenance=Provenance(backend="broken"))


@pytest.mark.parametrize("broken", [AlwaysAbstains, WrongAndUncited])
def test_a_broken_answerer_fails_the_gate(shared_store, questions, broken):
    bot = broken(store_dir=shared_store, corpus_dir=CORPUS, backend="extractive")
    summary = evaluate(bot, questions)
    failures = check_gate(summary, load_thresholds())
    assert any(f.startswith("answer_accuracy") for f in failures)
    assert not all(q["passed"] for q in summary["per_question"])


def test_a_gate_file_with_an_unknown_metric_is_refused(tmp_path):
    from assistant import ConfigError

    path = tmp_path / "t.json"
    path.write_text(json.dumps({"min": {"answer_acuracy": 0.9}}))
    with pytest.raises(ConfigError, match="unknown metric 'answer_acuracy'"):
        load_thresholds(path)
