"""`assistant eval`: the outputs it writes, its gate exit code and its errors."""

from __future__ import annotations

import json

import pytest

from assistant.cli.commands import main

SMALL_SET = [
    {"id": "a-1", "kind": "fact", "question": "How long does the partnership last?",
     "answer_must_include": [["2030"]], "evidence": ["set to last until 2030"]},
    {"id": "a-2", "kind": "unanswerable", "question": "What is the airspeed velocity of an unladen swallow?",
     "answer_must_include": [], "evidence": []},
]


@pytest.fixture
def on_shared_store(shared_store, monkeypatch):
    monkeypatch.setenv("ASSISTANT_STORE_DIR", str(shared_store))


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_eval_writes_summary_report_and_chart_with_the_baseline(tmp_path, on_shared_store, capsys):
    questions = write_jsonl(tmp_path / "small.jsonl", SMALL_SET)
    out = tmp_path / "out"

    assert main(["eval", "--questions", str(questions), "--out", str(out), "--backend", "extractive", "-k", "3"]) == 0

    summary = json.loads((out / "summary.json").read_text())
    assert summary["n"] == 2 and summary["k"] == 3 and summary["backend"] == "extractive"
    assert [q["id"] for q in summary["per_question"]] == ["a-1", "a-2"]
    assert summary["what_if_accuracy"] is None
    assert summary["baseline"]["k"] == 4 and summary["baseline"]["chunks"] > 0
    assert summary["baseline"]["n"] == summary["counts"]["retrieval"]
    report = (out / "report.md").read_text()
    assert "| metric | ours | baseline |" in report and "## Failures" in report
    assert (out / "report.png").read_bytes()[:4] == b"\x89PNG"
    printed = capsys.readouterr()
    assert "2 questions:" in printed.out and "baseline:" in printed.out and "summary.json" in printed.out


def test_gate_flag_exits_1_when_a_required_metric_is_missing(tmp_path, on_shared_store, capsys):
    questions = write_jsonl(tmp_path / "small.jsonl", SMALL_SET[1:])
    thresholds = tmp_path / "t.json"
    thresholds.write_text(json.dumps({"min": {"what_if_accuracy": 0.9}}))
    argv = ["eval", "--questions", str(questions), "--out", str(tmp_path / "out"), "--thresholds", str(thresholds), "--no-baseline"]

    assert main(argv + ["--gate"]) == 1
    assert "gate: what_if_accuracy was not measured" in capsys.readouterr().out
    assert main(argv) == 0
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["gate"]["passed"] is False and "baseline" not in summary


def test_a_bad_question_file_is_a_one_line_error(tmp_path, capsys):
    questions = tmp_path / "bad.jsonl"
    questions.write_text(json.dumps(SMALL_SET[0]) + "\n{not json\n")
    assert main(["eval", "--questions", str(questions), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "bad.jsonl:2: invalid JSON" in err and "\n" not in err
    assert not (tmp_path / "out").exists()
