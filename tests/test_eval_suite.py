"""`assistant eval --suite` and `--corpus`: each corpus in a store of its own, figures per corpus and pooled."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.cli.commands import main
from assistant.evaluation import QuestionSetError, load_questions

GRANTS = """\
The agency awarded $3.9 million to 13 teams in March. Each team works with one of seven research centres.
A third round of awards will be made in the summer.
"""
LEASE = """\
The tenant pays a monthly rent of 1,200 euros, due on the first day of each month.
The lease runs for two years and can be ended with three months' notice.
"""


def write_corpus(root: Path, name: str, document: str, questions: list[dict]) -> Path:
    folder = root / name
    (folder / "corpus").mkdir(parents=True)
    (folder / "corpus" / f"{name}.txt").write_text(document)
    (folder / "questions.jsonl").write_text("".join(json.dumps(q) + "\n" for q in questions))
    return folder


@pytest.fixture
def suite(tmp_path) -> Path:
    root = tmp_path / "suite"
    write_corpus(root, "grants", GRANTS, [
        {"id": "g-1", "kind": "fact", "question": "How much money did the agency award?",
         "answer_must_include": [["3.9 million"]], "evidence": ["awarded $3.9 million to 13 teams"]},
        {"id": "g-2", "kind": "unanswerable", "question": "Who chairs the agency's board?", "split": "heldout",
         "answer_must_include": [], "evidence": []},
    ])
    write_corpus(root, "lease", LEASE, [
        {"id": "l-1", "kind": "fact", "question": "What is the monthly rent?", "split": "heldout",
         "answer_must_include": [["1,200"]], "evidence": ["monthly rent of 1,200 euros"]},
        {"id": "l-2", "kind": "fact", "question": "How long does the lease run?",
         "answer_must_include": [["two years"]], "evidence": ["The lease runs for two years"]},
    ])
    (root / "notes").mkdir()  # a folder without corpus/ and questions.jsonl is not a corpus
    return root


def test_a_suite_writes_per_corpus_and_pooled_figures_split_into_dev_and_heldout(suite, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["eval", "--suite", str(suite), "--out", str(out)]) == 0

    summary = json.loads((out / "summary.json").read_text())
    assert set(summary["corpora"]) == {"grants", "lease"}
    assert summary["n"] == 4 and summary["pooled"]["n"] == 4
    assert summary["pooled"]["dev"]["n"] == 2 and summary["pooled"]["heldout"]["n"] == 2
    assert summary["corpora"]["lease"]["heldout"]["n"] == 1 and summary["corpora"]["grants"]["dev"]["n"] == 1
    for figures in [summary, summary["pooled"], *summary["corpora"].values()]:
        assert {"answer_accuracy", "citation_precision", "abstention_accuracy", "false_abstention_rate",
                "retrieval_recall_at_k", "mrr", "latency_ms_p50"} <= set(figures)
    # Each corpus answered from its own documents: the rent comes from the lease, never from the grants.
    records = {q["id"]: q for q in summary["per_question"]}
    assert records["l-1"]["corpus"] == "lease" and records["l-1"]["split"] == "heldout"
    assert "1,200" in records["l-1"]["answer"]
    assert all(c["source"] == "lease.txt" for c in records["l-1"]["citations"])
    assert summary["corpora"]["grants"]["baseline"]["k"] == 4 and summary["pooled"]["baseline"]["n"] >= 2
    report = (out / "report.md").read_text()
    assert "## Held-out part" in report and "| grants |" in report and "| **pooled** |" in report
    assert (out / "report.png").read_bytes()[:4] == b"\x89PNG"
    printed = capsys.readouterr().out
    assert "pooled dev:" in printed and "pooled heldout:" in printed and "  lease:" in printed


def test_the_suite_gate_reads_the_pooled_dev_part(suite, tmp_path, capsys):
    thresholds = tmp_path / "t.json"
    thresholds.write_text(json.dumps({"suite_dev": {"min": {"answer_accuracy": 1.01}}}))
    argv = ["eval", "--suite", str(suite), "--out", str(tmp_path / "out"), "--thresholds", str(thresholds),
            "--no-baseline", "--gate"]
    assert main(argv) == 1
    assert "gate: suite_dev: answer_accuracy" in capsys.readouterr().out


def test_each_suite_gate_holds_the_corpora_it_was_measured_on(suite, tmp_path, capsys):
    thresholds = tmp_path / "t.json"
    thresholds.write_text(json.dumps({
        "suite_dev": {"min": {"answer_accuracy": 0.0}, "corpora": ["grants"]},
        "suite_dev_added": {"min": {"answer_accuracy": 1.01}, "corpora": ["lease"]},
    }))
    base = ["eval", "--suite", str(suite), "--thresholds", str(thresholds), "--no-baseline", "--gate"]
    assert main([*base, "--out", str(tmp_path / "all")]) == 1
    assert "gate: suite_dev_added: answer_accuracy" in capsys.readouterr().out
    # Run alone, grants is held by its own gate only: the lease's gate needs the lease.
    assert main([*base, "--out", str(tmp_path / "grants"), "--only", "grants"]) == 0
    summary = json.loads((tmp_path / "grants" / "summary.json").read_text())
    assert set(summary["corpora"]) == {"grants"}


def test_only_names_corpora_of_the_suite(suite, capsys):
    assert main(["eval", "--suite", str(suite), "--only", "grants,leases"]) == 2
    assert "No corpus leases in" in capsys.readouterr().err


def test_one_corpus_runs_in_a_temporary_store(suite, tmp_path):
    out = tmp_path / "out"
    argv = ["eval", "--corpus", str(suite / "lease" / "corpus"), "--questions", str(suite / "lease" / "questions.jsonl"),
            "--out", str(out), "--no-baseline"]
    assert main(argv) == 0
    summary = json.loads((out / "summary.json").read_text())
    assert summary["n"] == 2 and "corpora" not in summary
    assert "1,200" in summary["per_question"][0]["answer"]


@pytest.mark.parametrize("argv, message", [
    (["eval", "--suite", "nowhere"], "No suite folder at nowhere"),
    (["eval", "--suite", "evals/corpora", "--questions", "q.jsonl"], "drop --questions"),
    (["eval", "--corpus", "nowhere", "--questions", "evals/questions.jsonl"], "No corpus folder at nowhere"),
])
def test_suite_mistakes_are_one_line_errors(argv, message, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err and err.count("\n") == 1


def test_a_bad_split_is_refused_naming_the_line(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_text(json.dumps({"id": "x", "kind": "fact", "question": "q?", "answer_must_include": [],
                                "evidence": [], "split": "test"}) + "\n")
    with pytest.raises(QuestionSetError, match=r"q.jsonl:1 \(x\): split 'test' is not one of dev, heldout"):
        load_questions(path)
