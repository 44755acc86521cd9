"""The CI gate: the article's eval set and the suite's dev part through the eval runner, held to
evals/thresholds.json; and every answer of the suite reads as a whole (no fragment, no unasked metadata line)."""

from __future__ import annotations

import json

import pytest

from assistant import Answer, Assistant, Provenance
from assistant.config import load_settings
from assistant.evaluation import check_gate, default_thresholds_path, evaluate, load_questions, load_thresholds
from assistant.evaluation import set_floors
from assistant.evaluation.gate import EVAL_SET, SUITE_DEV, check_suite_gates, suite_gates
from assistant.evaluation.readability import CorpusReading
from assistant.evaluation.suite import discover_suite, run_suite, suite_summary
from tests.conftest import CORPUS, REPO

QUESTIONS = REPO / "evals" / "questions.jsonl"
SUITE = REPO / "evals" / "corpora"
CONVERSATIONS = REPO / "evals" / "conversations"  # later turns of conversations, over the same documents
WHATIF = REPO / "evals" / "whatif"  # what-if questions on documents with a clause pack, written blind
WHATIF_BLIND = REPO / "evals" / "whatif-blind"  # later blind rounds on the same documents, by people who saw no pack
WHATIF_BLIND_2 = REPO / "evals" / "whatif-blind-2"  # rounds added after the first blind gate's floors were set
WHATIF_GOVERNANCE = REPO / "evals" / "whatif-governance"  # blind sets on a fourth document with a pack, PEP 13
WHATIF_DEPRECATION = REPO / "evals" / "whatif-deprecation"  # and on a fifth, the Kubernetes deprecation policy
MARGIN = 0.03  # floors sit this far under what was measured (assistant/evaluation/set_floors.py)


class AlwaysAbstains(Assistant):
    """An answerer that never answers."""

    def ask(self, question, history=None):
        return Answer(question=question, text="The documents don't say.", abstained=True, provenance=Provenance(backend="broken"))


class WrongAndUncited(Assistant):
    """An answerer that always answers, wrongly and without citations."""

    def ask(self, question, history=None):
        return Answer(question=question, text="Purple elephants.", provenance=Provenance(backend="broken"))


@pytest.fixture(scope="module")
def questions():
    return load_questions(QUESTIONS)


@pytest.fixture(scope="module")
def suite_stores(tmp_path_factory):
    """One store per corpus of the suite, ingested once and shared by the suite's tests."""
    return tmp_path_factory.mktemp("suite-stores")


@pytest.fixture(scope="module")
def suite_result(suite_stores):
    """The whole suite (dev and held-out) asked once with the default answerer."""
    corpora = discover_suite(SUITE)
    runs = run_suite(corpora, load_settings(), baseline=False, store_root=suite_stores)
    return corpora, suite_summary(runs), runs


def test_every_gate_records_its_command_and_sits_a_margin_under_its_measurement():
    data = json.loads(default_thresholds_path().read_text())
    assert set(data) >= {EVAL_SET, SUITE_DEV}
    for gate in data:
        entry = data[gate]
        assert entry["command"].startswith("assistant eval")
        for name, floor in entry["min"].items():
            assert floor == pytest.approx(max(0.0, entry["measured"][name] - MARGIN), abs=1e-3), name
        for name, ceiling in entry.get("max", {}).items():
            assert ceiling == pytest.approx(min(1.0, entry["measured"][name] + MARGIN), abs=1e-3), name


def test_the_assistant_clears_the_eval_set_gate(shared_store, questions):
    bot = Assistant(store_dir=shared_store, corpus_dir=CORPUS, backend="extractive")
    failures = check_gate(evaluate(bot, questions), load_thresholds(gate=EVAL_SET))
    assert not failures, "eval gate failed: " + "; ".join(failures)


def test_the_assistant_clears_every_suite_gate(suite_result):
    _, _, runs = suite_result
    checked, failures = check_suite_gates(runs)
    assert set(checked) == set(suite_gates()), "a suite gate names a corpus the suite does not have"
    assert not failures, "suite gate failed: " + "; ".join(failures)


def test_every_corpus_of_the_suite_is_held_by_a_gate(suite_result):
    corpora, _, _ = suite_result
    gated = {c for _, names in suite_gates().values() for c in names}
    assert {c.name for c in corpora} <= gated


def test_no_answer_of_the_suite_is_a_fragment_or_an_unasked_metadata_line(suite_result):
    corpora, summary, _ = suite_result
    problems = []
    for corpus in corpora:
        reading = CorpusReading(corpus.corpus_dir)
        evidence = {q.id: q.evidence for q in corpus.questions}
        for record in summary["corpora"][corpus.name]["per_question"]:
            problems += reading.problems(record, evidence[record["id"]])
    assert not problems, "\n".join(f"{p.question_id}: {p.problem}: {p.quote!r}" for p in problems)


def test_no_answer_to_a_count_or_date_question_is_a_sentence_without_one(suite_result):
    """A "how many", "how much" or "when" question of the suite, answered from the documents, cites a sentence that
    holds a figure, a number word or a date: never a headline or a line of another kind."""
    from assistant.answer.answer_types import expected_answer_type
    from assistant.answer.values import holds_number
    from assistant.text import has_date

    corpora, summary, _ = suite_result
    asked = {(c.name, q.id): q.question for c in corpora for q in c.questions}
    wrong = []
    for record in summary["per_question"]:
        kind = expected_answer_type(asked[(record["corpus"], record["id"])])
        if kind in ("number", "time") and not record["abstained"] and not record["tool"] and not any(
                holds_number(c["quote"]) or has_date(c["quote"]) for c in record["citations"]):
            wrong.append(f"{record['corpus']}/{record['id']} ({kind}): {record['answer'][:80]}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("broken", [AlwaysAbstains, WrongAndUncited])
def test_a_broken_answerer_fails_both_gates(shared_store, questions, suite_stores, suite_result, broken):
    bot = broken(store_dir=shared_store, corpus_dir=CORPUS, backend="extractive")
    eval_failures = check_gate(evaluate(bot, questions), load_thresholds(gate=EVAL_SET))
    assert any(f.startswith("answer_accuracy") for f in eval_failures)

    # The suite's stores exist from the first run: nothing is ingested again.
    runs = run_suite(suite_result[0], load_settings(), baseline=False, store_root=suite_stores, make_answerer=broken)
    _, suite_failures = check_suite_gates(runs)
    for gate in suite_gates():
        assert any(f.startswith(f"{gate}: answer_accuracy") for f in suite_failures), gate


def test_the_assistant_clears_the_conversation_gate(suite_stores, suite_result):
    # The same documents as the suite's corpora of the same names: their stores are reused, not ingested again.
    runs = run_suite(discover_suite(CONVERSATIONS), load_settings(), baseline=False, store_root=suite_stores)
    checked, failures = check_suite_gates(runs, suite=CONVERSATIONS.name)
    assert checked == list(suite_gates(suite=CONVERSATIONS.name)) and checked, "no gate holds the conversations"
    assert not failures, "\n".join(failures)


def test_the_assistant_clears_the_what_if_gate(suite_stores, suite_result):
    # Each pack's own dev questions: the clause engine decides them from the pack beside the document.
    runs = run_suite(discover_suite(WHATIF), load_settings(), baseline=False, store_root=suite_stores)
    checked, failures = check_suite_gates(runs, suite=WHATIF.name)
    assert checked == list(suite_gates(suite=WHATIF.name)) and checked, "no gate holds the what-if suite"
    assert not failures, "\n".join(failures)
    dev_what_ifs = [r for run in runs for r in run.results
                    if r.question.split != "heldout" and r.question.kind == "what_if"]
    assert dev_what_ifs and all(r.tool == "clause_engine" for r in dev_what_ifs)


@pytest.mark.parametrize("folder", [WHATIF_BLIND, WHATIF_BLIND_2, WHATIF_GOVERNANCE, WHATIF_DEPRECATION],
                         ids=lambda f: f.name)
def test_the_assistant_clears_the_blind_what_if_gates(folder, suite_stores, suite_result):
    # The same documents as the suite's corpora of the same names: their stores are reused, not ingested again.
    runs = run_suite(discover_suite(folder), load_settings(), baseline=False, store_root=suite_stores)
    checked, failures = check_suite_gates(runs, suite=folder.name)
    assert checked == list(suite_gates(suite=folder.name)) and checked, f"no gate holds {folder.name}"
    assert not failures, "\n".join(failures)


def test_a_gate_file_with_an_unknown_metric_is_refused(tmp_path):
    from assistant import ConfigError

    path = tmp_path / "t.json"
    path.write_text(json.dumps({"min": {"answer_acuracy": 0.9}}))
    with pytest.raises(ConfigError, match="unknown metric 'answer_acuracy'"):
        load_thresholds(path)


def test_a_ceiling_fails_a_rate_above_it():
    assert check_gate({"false_abstention_rate": 0.2}, {}, {"false_abstention_rate": 0.1}) == [
        "false_abstention_rate 0.200 > 0.1"]


def test_a_gate_s_floors_only_rise():
    old = {"corpora": ["a"], "min": {"answer_accuracy": 0.5, "abstention_accuracy": 0.6, "what_if_accuracy": 0.97},
           "max": {"false_abstention_rate": 0.2},
           "measured": {"answer_accuracy": 0.53, "abstention_accuracy": 0.63, "what_if_accuracy": 1.0,
                        "false_abstention_rate": 0.17}}
    new = {"corpora": ["a"], "min": {"answer_accuracy": 0.55, "abstention_accuracy": 0.58},
           "max": {"false_abstention_rate": 0.25},
           "measured": {"answer_accuracy": 0.58, "abstention_accuracy": 0.61, "false_abstention_rate": 0.22}}
    gate, kept = set_floors.raised(old, new)
    assert gate["min"] == {"answer_accuracy": 0.55, "abstention_accuracy": 0.6, "what_if_accuracy": 0.97}
    assert gate["max"] == {"false_abstention_rate": 0.2}
    assert sorted(kept) == ["abstention_accuracy", "false_abstention_rate"]
    # each bound still sits the margin from the measurement it came from
    assert gate["measured"] == {"answer_accuracy": 0.58, "abstention_accuracy": 0.63, "what_if_accuracy": 1.0,
                                "false_abstention_rate": 0.17}
    other = {"corpora": ["b"], "min": {"answer_accuracy": 0.4}, "max": {}}
    assert set_floors.raised(old, other) == (other, [])  # another batch of corpora: a gate of its own
