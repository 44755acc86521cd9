"""Every question set kept in evals/ is in the shared format and quotes the corpus verbatim."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import REPO

SETS = sorted((REPO / "evals").glob("*questions.jsonl"))


def test_the_sets_are_there():
    assert {p.name for p in SETS} >= {"questions.jsonl", "dev_questions.jsonl", "heldout_questions.jsonl"}


@pytest.mark.parametrize("path", SETS, ids=lambda p: p.name)
def test_question_set_is_valid(path):
    checked = subprocess.run([sys.executable, str(REPO / "evals" / "check_questions.py"), str(path)],
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
