"""The eval metrics on a tiny hand-made question set, answered by a scripted fake assistant."""

from __future__ import annotations

import json

import pytest

from assistant import Answer, Citation, Passage, Provenance
from assistant.evaluation import QuestionSetError, check_gate, evaluate, load_questions, run_eval
from assistant.evaluation.metrics import percentile

FORMAT_KEYS = {
    "n", "answer_accuracy", "what_if_accuracy", "citation_precision", "citation_recall", "abstention_accuracy",
    "false_abstention_rate", "retrieval_recall_at_1", "retrieval_recall_at_k", "mrr", "latency_ms_p50",
    "latency_ms_p95", "per_question",
}
DOC = "The pact runs until 2030. Blue Corp may refuse first. Red Corp builds the data centres in Texas."


def cite(quote: str, chunk_id: str | None = None) -> Citation:
    start = DOC.index(quote)
    return Citation(n=1, source="doc.md", title="Doc", quote=quote, start=start, end=start + len(quote), chunk_id=chunk_id)


def passage(chunk_id: str, text: str) -> Passage:
    return Passage(chunk_id=chunk_id, source="doc.md", title="Doc", section="", text=text, start=0, end=len(text), score=0.1)


class FakeAssistant:
    """Answers from a script keyed by question text; retrieval returns scripted passages."""

    def __init__(self, answers: dict[str, dict], passages: dict[str, list[Passage]] | None = None):
        self.answers = answers
        self.passages = passages or {}
        self.asked: list[tuple[str, list]] = []

    def ask(self, question, history=None):
        self.asked.append((question, list(history or [])))
        spec = self.answers[question]
        return Answer(question=question, text=spec.get("text", ""), citations=spec.get("citations", []),
                      abstained=spec.get("abstained", False), tool=spec.get("tool"), provenance=Provenance(backend="fake"))

    def retrieve(self, question, history=None, k=None):
        return self.passages.get(question, [])[:k]


def write_set(tmp_path, rows: list[dict]):
    path = tmp_path / "q.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    return load_questions(path)


def q(id_, kind, question, groups=(), evidence=(), **extra) -> dict:
    return {"id": id_, "kind": kind, "question": question, "answer_must_include": [list(g) for g in groups],
            "evidence": list(evidence), **extra}


def test_metrics_and_reasons_on_a_hand_made_set(tmp_path):
    questions = write_set(tmp_path, [
        q("f1", "fact", "Until when?", [["2030"]], ["runs until 2030"]),
        q("f2", "fact", "Who refuses first?", [["Blue Corp"], ["first"]], ["Blue Corp may refuse first"],
          history=[{"role": "user", "content": "Tell me about the pact."}, {"role": "assistant", "content": "It runs."}]),
        q("f3", "fact", "Where are the data centres?", [["Texas"]], ["data centres in Texas"]),
        q("w1", "what_if", "What if it is 2031?", [["ended", "expired"]], ["runs until 2030"]),
        q("u1", "unanswerable", "What is the revenue?"),
        q("u2", "unanswerable", "Who is the CEO?"),
    ])
    fake = FakeAssistant(
        {
            # right and cited by quote
            "Until when?": {"text": "Until 2030. [1]", "citations": [cite("The pact runs until 2030.")]},
            # right, but its one citation is off the evidence: precision 0 for it, no support
            "Who refuses first?": {"text": "blue corp has it first. [1]", "citations": [cite("Red Corp builds")]},
            "Where are the data centres?": {"text": "I cannot tell.", "abstained": True},
            # answered by a tool, cited by a quote whose chunk (not the quote) holds the evidence
            "What if it is 2031?": {"text": "The pact has ended. [1]", "tool": "clause_engine",
                                   "citations": [cite("The pact", chunk_id="c1")]},
            "What is the revenue?": {"text": "Nothing says.", "abstained": True},
            "Who is the CEO?": {"text": "Red Corp.", "citations": [cite("Red Corp")]},
        },
        passages={
            "Until when?": [passage("c2", "Blue Corp may refuse first."), passage("c1", DOC[:50])],
            "Who refuses first?": [passage("c2", "Blue  corp MAY\nrefuse first.")],
            "Where are the data centres?": [passage("c1", DOC[:50])],
        },
    )
    fake.index = lambda: type("Index", (), {"ids": ["c1"], "texts": [DOC[:50]]})()

    summary = evaluate(fake, questions, k=2)

    assert FORMAT_KEYS <= set(summary)
    assert summary["n"] == 6
    assert summary["answer_accuracy"] == 0.75  # f1, f2, w1 right; f3 abstained
    assert summary["what_if_accuracy"] == 1.0
    assert summary["citation_precision"] == pytest.approx(2 / 3, abs=1e-3)  # f1's and w1's support; f2's does not
    assert summary["citation_recall"] == 0.5  # f1 and w1
    assert summary["abstention_accuracy"] == 0.5
    assert summary["false_abstention_rate"] == 0.25
    # retrieval over f1 (rank 2), f2 (rank 1, whitespace and case normalised), f3 (miss); w1 went to the tool
    assert summary["counts"]["retrieval"] == 3
    assert summary["retrieval_recall_at_1"] == pytest.approx(1 / 3, abs=1e-3)
    assert summary["retrieval_recall_at_k"] == pytest.approx(2 / 3, abs=1e-3)
    assert summary["mrr"] == pytest.approx((0.5 + 1 + 0) / 3, abs=1e-3)
    assert summary["latency_ms_p50"] is not None and summary["latency_ms_p95"] >= summary["latency_ms_p50"]

    by_id = {r["id"]: r for r in summary["per_question"]}
    assert [r["id"] for r in summary["per_question"]] == ["f1", "f2", "f3", "w1", "u1", "u2"]
    assert by_id["f1"]["passed"] and "reason" not in by_id["f1"]
    assert by_id["f2"]["reason"] == "none of 1 citation(s) contains the evidence"
    assert by_id["f3"]["reason"] == "abstained" and by_id["f3"]["abstained"] is True
    assert by_id["w1"]["passed"] and by_id["w1"]["tool"] == "clause_engine" and by_id["w1"]["retrieval_rank"] is None
    assert by_id["u1"]["passed"]
    assert by_id["u2"]["reason"] == "answered instead of abstaining"
    assert by_id["f1"]["citations"][0]["quote"] == "The pact runs until 2030." and by_id["f1"]["citations"][0]["supports"]
    # the history goes to ask with the question; one untimed warm-up ask comes first
    assert fake.asked[0][0] == fake.asked[1][0] == "Until when?"
    assert [t.content for t in fake.asked[2][1]] == ["Tell me about the pact.", "It runs."]


def test_missing_groups_are_named_in_the_reason(tmp_path):
    questions = write_set(tmp_path, [q("f1", "fact", "Until when?", [["2030"], ["Blue", "Red"]], ["runs until 2030"])])
    fake = FakeAssistant({"Until when?": {"text": "In 2030.", "citations": []}})
    record = evaluate(fake, questions)["per_question"][0]
    assert record["reason"] == 'missing "Blue" or "Red", no citation'


def test_a_metric_without_questions_of_its_kind_is_null(tmp_path):
    questions = write_set(tmp_path, [q("u1", "unanswerable", "What is the revenue?")])
    summary = evaluate(FakeAssistant({"What is the revenue?": {"text": "No.", "abstained": True}}), questions)
    assert summary["abstention_accuracy"] == 1.0
    for key in ("answer_accuracy", "what_if_accuracy", "citation_precision", "citation_recall",
                "false_abstention_rate", "retrieval_recall_at_1", "retrieval_recall_at_k", "mrr"):
        assert summary[key] is None, key
    assert check_gate(summary, {"what_if_accuracy": 0.9}) == [
        "what_if_accuracy was not measured (no question of its kind); the gate needs >= 0.9"]


def test_a_question_the_assistant_refuses_fails_with_the_error_as_reason(tmp_path):
    from assistant import QuestionTooLongError

    class Refuses(FakeAssistant):
        def ask(self, question, history=None):
            raise QuestionTooLongError("The question is too long.")

    questions = write_set(tmp_path, [q("f1", "fact", "Until when?", [["2030"]], ["runs until 2030"])])
    run = run_eval(Refuses({}), questions)
    assert run.results[0].reason == "error: The question is too long."
    assert run.results[0].latency_ms is None


def test_percentile_interpolates_between_ranks():
    assert percentile([], 50) is None
    assert percentile([10.0], 95) == 10.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.5
    assert percentile([0.0, 10.0, 20.0, 30.0, 40.0], 95) == 38.0


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"id": "a", "kind": "fact"', r"q\.jsonl:2: invalid JSON"),
        ('{"id": "a", "kind": "fact", "question": "Q?"}', r"q\.jsonl:2: missing field\(s\) answer_must_include, evidence"),
        ('{"id": "a", "kind": "opinion", "question": "Q?", "answer_must_include": [], "evidence": []}', r":2 \(a\): kind 'opinion'"),
        ('{"id": "a", "kind": "fact", "question": " ", "answer_must_include": [], "evidence": []}', r":2 \(a\): 'question'"),
        ('{"id": "a", "kind": "fact", "question": "Q?", "answer_must_include": ["x"], "evidence": []}', r"answer_must_include\[0\]"),
        ('{"id": "a", "kind": "fact", "question": "Q?", "answer_must_include": [], "evidence": [], "history": [{"role": "bot"}]}',
         r"history\[0\]"),
        ('{"id": "ok", "kind": "fact", "question": "Q?", "answer_must_include": [], "evidence": []}', r":2: duplicate id 'ok' \(first on line 1\)"),
        ("[1, 2]", r":2: expected a JSON object"),
    ],
)
def test_a_bad_line_is_one_clear_error_naming_it(tmp_path, line, message):
    path = tmp_path / "q.jsonl"
    path.write_text('{"id": "ok", "kind": "fact", "question": "Q?", "answer_must_include": [], "evidence": []}\n' + line + "\n")
    with pytest.raises(QuestionSetError, match=message) as caught:
        load_questions(path)
    assert "\n" not in str(caught.value)


def test_missing_or_empty_question_file_is_a_user_error(tmp_path):
    from assistant import UserInputError

    with pytest.raises(UserInputError, match="No question file"):
        load_questions(tmp_path / "nope.jsonl")
    (tmp_path / "empty.jsonl").write_text("\n\n")
    with pytest.raises(UserInputError, match="holds no questions"):
        load_questions(tmp_path / "empty.jsonl")


def test_unknown_fields_are_ignored(tmp_path):
    questions = write_set(tmp_path, [q("f1", "fact", "Until when?", [["2030"]], ["runs until 2030"], notes="x", tags=[1])])
    assert questions[0].id == "f1"


def test_a_settings_error_stops_the_run_instead_of_failing_every_question(tmp_path):
    from assistant import ConfigError

    class Misconfigured(FakeAssistant):
        def ask(self, question, history=None):
            raise ConfigError("The llm backend needs ASSISTANT_LLM.")

    questions = write_set(tmp_path, [q("f1", "fact", "Until when?", [["2030"]], ["runs until 2030"])])
    with pytest.raises(ConfigError, match="ASSISTANT_LLM"):
        run_eval(Misconfigured({}), questions)
