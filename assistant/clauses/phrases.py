"""Conditions in words, for answers and traces: "the system's profit ($150 billion) is over $100 billion"."""

from __future__ import annotations

from typing import Any

from assistant.clauses.facts import show_value
from assistant.clauses.pack import Pack

_OPS = {"eq": "is", "ne": "is not", "gt": "is over", "ge": "is at least", "lt": "is under", "le": "is at most",
        "in": "is", "not_in": "is not"}
_YEAR_OPS = {"gt": "is after", "ge": "is", "lt": "is before", "le": "is"}
_DATE_OPS = {"eq": "is", "ne": "is not", "gt": "is after", "ge": "is on or after", "lt": "is before",
             "le": "is on or before"}


def describe_condition(pack: Pack, fact: str, op: str, threshold: Any, value: Any = None) -> str:
    """A condition in words; with a value, the value beside the fact."""
    spec = pack.spec(fact)
    if op in {"known", "unknown"}:
        return f"{spec.label} is {'given' if op == 'known' else 'not given'}"
    if spec.type == "yes/no" and op in {"eq", "ne"} and spec.true_as and spec.false_as:
        return spec.true_as if (threshold is True) == (op == "eq") else spec.false_as
    label = f"{spec.label} ({show_value(pack, fact, value)})" if value is not None else spec.label
    if spec.type == "year" and op in _YEAR_OPS:
        suffix = " or earlier" if op == "le" else " or later" if op == "ge" else ""
        return f"{label} {_YEAR_OPS[op]} {threshold}{suffix}"
    if spec.type == "date" and op in _DATE_OPS:
        return f"{label} {_DATE_OPS[op]} {show_value(pack, fact, threshold)}"
    return f"{label} {_OPS[op]} {show_value(pack, fact, threshold)}"


def describe_facts(pack: Pack, names: list[str]) -> str:
    """Fact names as a readable list: "the year and the system's profit"."""
    labels = [pack.spec(n).label for n in names]
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " and " + labels[-1]
