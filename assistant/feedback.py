"""Feedback on answers: appended as JSON Lines under the store folder, and exported as an eval question set so
that what users flag becomes questions to check."""

from __future__ import annotations

import json
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from assistant.models import Answer, Turn

FEEDBACK_FILE = "feedback.jsonl"
_lock = threading.Lock()


def feedback_path(store_dir: Path) -> Path:
    """Where feedback is kept: beside the index, in the store folder."""
    return store_dir / FEEDBACK_FILE


def record_feedback(store_dir: Path, answer: Answer, liked: bool, history: list[Turn | dict] | None = None) -> dict[str, Any]:
    """Append one judgement of an answer (with its question, history, citations and index fingerprint)."""
    entry = {
        "time": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "rating": "up" if liked else "down",
        "question": answer.question,
        "history": [t.model_dump() if isinstance(t, Turn) else dict(t) for t in history or []],
        "answer": answer.text,
        "abstained": answer.abstained,
        "citations": [c.model_dump() for c in answer.citations],
        "index_fingerprint": answer.provenance.index_fingerprint,
    }
    path = feedback_path(store_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _lock, path.open("a", encoding="utf-8") as out:
        out.write(json.dumps(entry, ensure_ascii=False) + "\n")
    return entry


def read_feedback(store_dir: Path) -> list[dict[str, Any]]:
    """Every feedback entry kept so far, oldest first (a damaged line is skipped)."""
    path = feedback_path(store_dir)
    if not path.exists():
        return []
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entries.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return entries


def as_question_set(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Feedback as questions in the eval format (EVAL_FORMAT.md).

    A liked answer becomes a regression check: its cited quotes are the evidence. A disliked one becomes a
    question to check: answer_must_include and evidence are left empty for a person to fill in, with the answer
    that was given kept beside it (extra fields, which the runner ignores). The newest judgement of a question wins.
    """
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    for entry in entries:
        latest[(entry["question"], json.dumps(entry.get("history", [])))] = entry
    questions = []
    for n, entry in enumerate(latest.values(), start=1):
        liked = entry["rating"] == "up"
        question = {
            "id": f"feedback-{n:03d}",
            "kind": "unanswerable" if liked and entry.get("abstained") else "fact",
            "question": entry["question"],
            "answer_must_include": [],
            "evidence": [c["quote"] for c in entry.get("citations", [])] if liked else [],
            "feedback": entry["rating"],
            "answer_given": entry["answer"],
            "index_fingerprint": entry.get("index_fingerprint"),
        }
        if entry.get("history"):
            question["history"] = entry["history"]
        if not liked:
            question["todo"] = "The answer was marked wrong: fill in answer_must_include and evidence (or make it unanswerable)."
        questions.append(question)
    return questions


def export_feedback(store_dir: Path, out: Path) -> int:
    """Write the feedback as a question set (JSON Lines) to `out`; returns how many questions it holds."""
    questions = as_question_set(read_feedback(store_dir))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in questions), encoding="utf-8")
    return len(questions)
