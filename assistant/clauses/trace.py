"""A clause evaluation's trace as markdown for people: the facts used, each clause's conditions and outcome, and
the quotes they rest on, in words rather than field names."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.clauses import Evaluation
    from assistant.models import Citation

_OPS = {
    "eq": "=", "ne": "≠", "gt": ">", "ge": "≥", "lt": "<", "le": "≤",
    "in": "is one of", "not_in": "is none of", "known": "is given", "unknown": "is not given",
}


def trace_markdown(evaluation: Evaluation, citations: Sequence[Citation] = ()) -> str:
    """A clause evaluation as markdown for people: the facts used, then each clause's tested conditions, in words
    rather than field names; quotes numbered as in the answer's `citations` when given."""
    from assistant.clauses import CLAUSES

    titles = {clause.id: clause.title for clause in CLAUSES} | {r.clause_id: r.title for r in evaluation.results}
    numbers = {(c.source, c.start, c.end): c.n for c in citations}
    facts = [(name, fact) for name, fact in evaluation.facts.items() if fact.value is not None]
    lines = ["**Facts**", ""]
    lines += [f"- {human_name(name)}: {_cell(show_value(name, fact.value))} ({fact.source})" for name, fact in facts] \
        or ["- none given"]
    for contradiction in evaluation.contradictions:
        lines.append(f"- contradiction ({', '.join(map(human_name, contradiction.facts))}): {_cell(contradiction.message)}")
    for result in evaluation.results:
        status = f"{result.status}, outcome: {human_name(result.outcome)}"
        if result.overridden_by:
            status += f", overridden by {titles.get(result.overridden_by, human_name(result.overridden_by))}"
        lines += ["", f"**{_cell(result.title)}** ({status})"]
        if result.missing:
            lines.append(f"Missing: {', '.join(map(human_name, result.missing))}")
        if result.trace:
            lines += ["", "| case | condition | value | result |", "|---|---|---|---|"]
            for step in result.trace:
                threshold = "" if step.op in ("known", "unknown") else " " + show_value(step.fact, step.threshold)
                condition = f"{human_name(step.fact)} {_OPS.get(step.op, step.op)}{threshold}"
                lines.append(f"| {_cell(human_name(step.branch))} | {_cell(condition)} | "
                             f"{_cell(show_value(step.fact, step.value))} | {step.verdict} |")
        for citation in result.citations:
            n = numbers.get((citation.source, citation.start, citation.end), citation.n)
            lines.append(f"\n> [{n}] {_cell(citation.quote)}")
    if evaluation.not_applicable:
        lines += ["", f"Not applicable: {', '.join(titles.get(c, human_name(c)) for c in evaluation.not_applicable)}"]
    return "\n".join(lines)


def show_value(fact: str, value: Any) -> str:
    """A fact's value for a reader: yes/no, dollar amounts with separators, providers by name, lists joined by "or"."""
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return " or ".join(show_value(fact, v) for v in value)
    if fact in ("provider", "api_host"):
        from assistant.clauses.scenario import provider_name

        return provider_name(str(value))
    if fact.endswith("_usd"):
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            return str(value)
        return f"${amount:,.0f}" if amount == amount.to_integral_value() else f"${amount:,}"
    return str(value)


def human_name(name: Any) -> str:
    """A field or clause name as words, names and acronyms capitalised: "agi_achieved" -> "AGI achieved"."""
    text = str(name)
    if "_" not in text and not text.islower():
        return text
    words = [_proper_words().get(w, w) for w in text.split("_") if w]
    label = " ".join(words)
    return label[:1].upper() + label[1:]


@cache
def _proper_words() -> dict[str, str]:
    """Lowercase word -> how it is written: the words the clause engine's fact labels write with capitals (the
    parties' names, acronyms), and the unit of amounts."""
    from assistant.clauses.facts import FACT_LABELS

    words = {word.lower(): word for label in FACT_LABELS.values() for word in re.findall(r"[A-Za-z]+", label)
             if not word.islower()}
    return words | {"usd": "(USD)"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("$", "\\$")
