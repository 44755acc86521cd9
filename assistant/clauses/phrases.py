"""Conditions in words, for answers and traces: "the system's profit ($150 billion) is over $100 billion"."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from assistant.clauses.amounts import format_usd
from assistant.clauses.facts import FACT_LABELS
from assistant.clauses.scenario import provider_name

# Yes/no facts read better as a statement and its negation than as "x is True".
_BOOL_PHRASES: dict[str, tuple[str, str]] = {
    "microsoft_can_meet_demand": ("Microsoft can meet the need", "Microsoft can't meet the need"),
    "agi_achieved": ("OpenAI achieves AGI", "OpenAI has not achieved AGI"),
    "agi_reached": ("the AGI clause is triggered", "the AGI clause is not triggered"),
    "oracle_approved_by_microsoft": (
        "Microsoft approved the Oracle partnership",
        "Microsoft did not approve the Oracle partnership",
    ),
    "before_agreement": ("the question is set before the January 2025 agreement",
                         "the question is set after the January 2025 agreement"),
    "earlier_arrangement": ("the question is set under the earlier arrangement",
                            "the question is not set under the earlier arrangement"),
}
_OPS = {
    "eq": "is",
    "ne": "is not",
    "gt": "is over",
    "ge": "is at least",
    "lt": "is under",
    "le": "is at most",
    "in": "is",
    "not_in": "is not",
}
_YEAR_OPS = {"gt": "is after", "ge": "is", "lt": "is before", "le": "is"}


def show_value(fact: str, value: Any) -> str:
    """Return a fact's value as a reader would write it."""
    if value is None:
        return "unknown"
    if fact in {"provider", "api_host"}:
        names = value if isinstance(value, (list, tuple)) else [value]
        return " or ".join(provider_name(str(v)) for v in names)
    if fact.endswith("_usd"):
        return format_usd(Decimal(str(value)))
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def describe_condition(fact: str, op: str, threshold: Any, value: Any = None) -> str:
    """Return a condition in words; with a value, show it beside the fact."""
    label = FACT_LABELS.get(fact, fact)
    if op in {"known", "unknown"}:
        return f"{label} is {'given' if op == 'known' else 'not given'}"
    if fact in _BOOL_PHRASES and op in {"eq", "ne"}:
        positive, negative = _BOOL_PHRASES[fact]
        return positive if (threshold is True) == (op == "eq") else negative
    shown = f"{label} ({show_value(fact, value)})" if value is not None else label
    if fact == "year" and op in _YEAR_OPS:
        suffix = " or earlier" if op == "le" else " or later" if op == "ge" else ""
        return f"{shown} {_YEAR_OPS[op]} {threshold}{suffix}"
    return f"{shown} {_OPS[op]} {show_value(fact, threshold)}"


def describe_facts(names: list[str]) -> str:
    """Return fact names as a readable list: "the year and the system's profit"."""
    labels = [FACT_LABELS.get(n, n) for n in names]
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " and " + labels[-1]
