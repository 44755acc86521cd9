"""How an answer and a passage are matched against a question's expectations."""

from __future__ import annotations

import re

_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Text with runs of whitespace made one space, case-folded: the form evidence is compared in."""
    return _SPACE.sub(" ", text).strip().casefold()


def missing_groups(answer: str, groups: list[list[str]]) -> list[list[str]]:
    """The `answer_must_include` groups none of whose strings occurs in the answer (case-insensitive)."""
    text = answer.casefold()
    return [group for group in groups if not any(s.casefold() in text for s in group)]


def contains_evidence(text: str | None, evidence: list[str]) -> bool:
    """Whether a text contains one of the evidence strings, whitespace-normalised and case-insensitive."""
    if not text:
        return False
    haystack = normalise(text)
    return any(normalise(e) in haystack for e in evidence if e.strip())


def first_evidence_rank(passage_texts: list[str], evidence: list[str]) -> int | None:
    """The 1-based rank of the first passage that contains an evidence string, or None."""
    for rank, text in enumerate(passage_texts, start=1):
        if contains_evidence(text, evidence):
            return rank
    return None
