"""A clause evaluation's trace as markdown for people: the facts used, each clause's conditions and outcome, and
the quotes they rest on, in words rather than field names."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from assistant.clauses.facts import show_value
from assistant.clauses.phrases import describe_condition

if TYPE_CHECKING:
    from assistant.clauses.pack import Pack
    from assistant.clauses.results import Evaluation
    from assistant.models import Citation


def trace_markdown(pack: Pack, evaluation: Evaluation, citations: Sequence[Citation] = (), full: bool = False) -> str:
    """The facts used, then each clause's tested conditions in words; quotes numbered as in the answer's
    `citations`, and only those the answer cites (the rest would be numbers the answer does not list). `full`, for
    `assistant what-if --trace`: every condition of every branch, tested or not, and every quote, each fact and
    clause named by its id."""
    numbers = {(c.source, c.start, c.end): c.n for c in citations}
    facts = [(name, fact) for name, fact in evaluation.facts.items() if fact.value is not None]
    lines = ["**Facts**", ""]
    lines += [f"- {_cap(pack.spec(name).label)}{f' [{name}]' if full else ''}: "
              f"{_cell(show_value(pack, name, fact.value))} ({fact.source})" for name, fact in facts] or ["- none given"]
    for contradiction in evaluation.contradictions:
        lines.append(f"- contradiction: {_cell(contradiction.message)}")
    for result in evaluation.results:
        status = result.status
        if result.overridden_by:
            status += f", overridden by {evaluation.titles.get(result.overridden_by, result.overridden_by)}"
        if full:
            status += f"; branch {result.branch}, outcome {result.outcome}" if result.branch else ""
            status += f"; missing {', '.join(result.missing)}" if result.missing else ""
        lines += ["", f"**{_cell(result.title)}**{f' [{result.clause_id}]' if full else ''} ({status})", "",
                  _cell(result.text)]
        steps = result.trace if full else [s for s in result.trace if s.evaluated and s.op not in ("known", "unknown")
                                           and (result.branch is None or s.branch == result.branch)]
        for step in steps:
            condition = describe_condition(pack, step.fact, step.op, step.threshold, step.value)
            lines.append(f"- {_cell(_cap(condition))}: {step.verdict}" + (f" (branch {step.branch})" if full else ""))
        for citation in result.citations:
            n = numbers.get((citation.source, citation.start, citation.end))
            if full:
                lines.append(f"\n> {_cell(citation.quote)} ({citation.source}:{citation.start}-{citation.end})")
            elif n is not None or not numbers:
                lines.append(f"\n> [{n or citation.n}] {_cell(citation.quote)}")
    if evaluation.not_applicable:
        names = ", ".join(c if full else evaluation.titles.get(c, c) for c in evaluation.not_applicable)
        lines += ["", f"Not applicable: {names}"]
    return "\n".join(lines)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("$", "\\$")
