"""`assistant eval --backend llm`: each per-question record says which backend answered and why it fell back, the
summary has fallback_rate, and `--replies` replays a model's recorded replies through a loopback server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.cli.commands import main
from assistant.testing import ReplayServer

GRANTS = "The agency awarded $3.9 million to 13 teams in March. A third round of awards will be made in the summer.\n"
LEASE = "The tenant pays a monthly rent of 1,200 euros, due on the first day of each month.\nThe lease runs for two years.\n"
QUESTIONS = {
    "grants": [
        {"id": "g-1", "kind": "fact", "question": "How much money did the agency award?",
         "answer_must_include": [["3.9 million"]], "evidence": ["awarded $3.9 million to 13 teams"]},
        {"id": "g-2", "kind": "unanswerable", "question": "Who chairs the agency's board?",
         "answer_must_include": [], "evidence": []},
    ],
    "lease": [
        {"id": "l-1", "kind": "fact", "question": "What is the monthly rent?",
         "answer_must_include": [["1,200"]], "evidence": ["monthly rent of 1,200 euros"]},
        {"id": "l-2", "kind": "fact", "question": "How long does the lease run?",
         "answer_must_include": [["two years"]], "evidence": ["The lease runs for two years"]},
    ],
}
REPLIES = [
    {"corpus": "grants", "question": "How much money did the agency award?",
     "reply": "The agency awarded $3.9 million to 13 teams. [1]"},
    {"corpus": "grants", "question": "Who chairs the agency's board?", "reply": "NOT IN DOCUMENTS"},
    {"corpus": "lease", "question": "What is the monthly rent?", "reply": "Penguins live in Antarctica, far from any tenant."},
]


@pytest.fixture
def suite(tmp_path) -> Path:
    root = tmp_path / "suite"
    documents = {"grants": GRANTS, "lease": LEASE}
    for name, questions in QUESTIONS.items():
        (root / name / "corpus").mkdir(parents=True)
        (root / name / "corpus" / f"{name}.txt").write_text(documents[name])
        (root / name / "questions.jsonl").write_text("".join(json.dumps(q) + "\n" for q in questions))
    return root


@pytest.fixture
def replies(tmp_path) -> Path:
    path = tmp_path / "replies.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in REPLIES))
    return path


def test_replayed_replies_are_asked_through_the_llm_backend_and_each_record_says_who_answered(suite, replies, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["eval", "--suite", str(suite), "--replies", str(replies), "--no-baseline", "--out", str(out)]) == 0
    summary = json.loads((out / "summary.json").read_text())
    records = {q["id"]: q for q in summary["per_question"]}
    assert set(records) == {"g-1", "g-2", "l-1"}  # only the questions with a recorded reply
    assert summary["backend"] == "llm"

    assert records["g-1"]["backend"] == "llm" and records["g-1"]["notice"] is None
    assert records["g-1"]["answer"] == "The agency awarded $3.9 million to 13 teams [1]."
    assert records["g-2"]["backend"] == "llm" and records["g-2"]["abstained"]
    # The penguin reply has no support: the extractive answer replaced it, and the record says so and why.
    assert records["l-1"]["backend"] == "extractive" and "1,200" in records["l-1"]["answer"]
    assert records["l-1"]["notice"].startswith("No sentence of the language model's answer was supported")

    assert summary["fallback_rate"] == pytest.approx(1 / 3, abs=1e-3)
    assert summary["corpora"]["grants"]["fallback_rate"] == 0.0 and summary["corpora"]["lease"]["fallback_rate"] == 1.0
    assert "fallback 0.333" in capsys.readouterr().out
    assert "replaced the model's on 33.3%" in (out / "report.md").read_text()


def test_the_extractive_backend_on_the_same_questions_has_no_fallback_rate(suite, replies, tmp_path):
    out = tmp_path / "out"
    argv = ["eval", "--suite", str(suite), "--replies", str(replies), "--backend", "extractive", "--no-baseline",
            "--out", str(out)]
    assert main(argv) == 0
    summary = json.loads((out / "summary.json").read_text())
    assert summary["n"] == 3 and summary["fallback_rate"] is None
    assert {q["backend"] for q in summary["per_question"]} == {"extractive"}


def test_eval_backend_llm_runs_a_suite_against_an_openai_compatible_server(suite, tmp_path, monkeypatch):
    with ReplayServer({r["question"]: r["reply"] for r in REPLIES}, max_requests=20) as server:
        monkeypatch.setenv("ASSISTANT_LLM", "openai:replay")
        monkeypatch.setenv("ASSISTANT_LLM_BASE_URL", server.base_url)
        out = tmp_path / "out"
        assert main(["eval", "--suite", str(suite), "--only", "grants", "--backend", "llm", "--no-baseline",
                     "--out", str(out)]) == 0
    summary = json.loads((out / "summary.json").read_text())
    assert summary["backend"] == "llm" and summary["fallback_rate"] == 0.0
    assert [q["backend"] for q in summary["per_question"]] == ["llm", "llm"]


@pytest.mark.parametrize("lines, message", [
    ([{"corpus": "garden", "question": "How much money did the agency award?", "reply": "x"}], "No corpus garden"),
    ([{"corpus": "grants", "question": "How tall is the agency?", "reply": "x"}], "grants has no question"),
    (["not json"], "invalid JSON"),
    ([{"corpus": "grants", "question": "How much money did the agency award?"}], "expected string fields"),
])
def test_bad_recorded_replies_are_one_line_errors(suite, tmp_path, capsys, lines, message):
    path = tmp_path / "bad.jsonl"
    path.write_text("".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines))
    assert main(["eval", "--suite", str(suite), "--replies", str(path), "--no-baseline", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_replies_need_a_suite(replies, capsys):
    assert main(["eval", "--replies", str(replies)]) == 2
    assert "add --suite" in capsys.readouterr().err
