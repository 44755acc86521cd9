"""Eval question sets: reading and checking the JSON Lines format of EVAL_FORMAT.md."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from assistant.errors import UserInputError
from assistant.models import Turn

KINDS = ("fact", "what_if", "unanswerable")
SPLITS = ("dev", "heldout")
REQUIRED = ("id", "kind", "question", "answer_must_include", "evidence")


class QuestionSetError(UserInputError):
    """The question file is missing or a line of it is not a valid question."""


@dataclass(frozen=True)
class Question:
    """One eval question with what a right answer must contain and the corpus text that supports it."""

    id: str
    kind: str
    question: str
    answer_must_include: list[list[str]]
    evidence: list[str]
    history: list[Turn] = field(default_factory=list)
    line: int = 0
    split: str = "dev"  # "heldout" questions are measured, never tuned on

    @property
    def answerable(self) -> bool:
        """Whether the documents answer it (kind fact or what_if)."""
        return self.kind != "unanswerable"


def load_questions(path: Path | str) -> list[Question]:
    """The questions of a JSON Lines file; raises QuestionSetError naming the first bad line."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise QuestionSetError(f"No question file at {path}. Pass --questions PATH.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise QuestionSetError(f"Cannot read question file {path}: {exc}.") from None
    questions: list[Question] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        question = parse_line(line, f"{path}:{number}", number)
        if question.id in seen:
            raise QuestionSetError(f"{path}:{number}: duplicate id {question.id!r} (first on line {seen[question.id]}).")
        seen[question.id] = number
        questions.append(question)
    if not questions:
        raise QuestionSetError(f"{path} holds no questions: write one JSON object per line.")
    return questions


def parse_line(line: str, where: str, number: int = 0) -> Question:
    """One question from one line of JSON; `where` names the line in error messages."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise QuestionSetError(f"{where}: invalid JSON ({exc.msg} at column {exc.colno}).") from None
    if not isinstance(data, dict):
        raise QuestionSetError(f"{where}: expected a JSON object, got {type(data).__name__}.")
    missing = [name for name in REQUIRED if name not in data]
    if missing:
        raise QuestionSetError(f"{where}: missing field(s) {', '.join(missing)}.")
    if isinstance(data["id"], str) and data["id"].strip():
        where = f"{where} ({data['id']})"
    else:
        raise QuestionSetError(f"{where}: 'id' must be a non-empty string.")
    if data["kind"] not in KINDS:
        raise QuestionSetError(f"{where}: kind {data['kind']!r} is not one of {', '.join(KINDS)}.")
    if not isinstance(data["question"], str) or not data["question"].strip():
        raise QuestionSetError(f"{where}: 'question' must be a non-empty string.")
    split = data.get("split", "dev")
    if split not in SPLITS:
        raise QuestionSetError(f"{where}: split {split!r} is not one of {', '.join(SPLITS)}.")
    return Question(
        id=data["id"],
        kind=data["kind"],
        question=data["question"],
        answer_must_include=_groups(data["answer_must_include"], where),
        evidence=_strings(data["evidence"], "evidence", where),
        history=_history(data.get("history"), where),
        line=number,
        split=split,
    )


def _groups(value: object, where: str) -> list[list[str]]:
    if not isinstance(value, list):
        raise QuestionSetError(f"{where}: 'answer_must_include' must be a list of lists of strings.")
    groups = []
    for i, group in enumerate(value):
        strings = _strings(group, f"answer_must_include[{i}]", where)
        if not strings:
            raise QuestionSetError(f"{where}: answer_must_include[{i}] is empty; drop it or add a string.")
        groups.append(strings)
    return groups


def _strings(value: object, name: str, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(s, str) and s.strip() for s in value):
        raise QuestionSetError(f"{where}: '{name}' must be a list of non-empty strings.")
    return list(value)


def _history(value: object, where: str) -> list[Turn]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise QuestionSetError(f"{where}: 'history' must be a list of {{'role', 'content'}} objects.")
    turns = []
    for i, item in enumerate(value):
        if not isinstance(item, dict) or item.get("role") not in ("user", "assistant") or not isinstance(item.get("content"), str):
            raise QuestionSetError(f"{where}: history[{i}] must be {{'role': 'user' or 'assistant', 'content': '...'}}.")
        turns.append(Turn(role=item["role"], content=item["content"]))
    return turns
