"""A clause evaluation's trace as markdown for people: the facts used, each clause's conditions and outcome, and
the quotes they rest on, in words rather than field names."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from assistant.clauses.phrases import describe_condition, shown

if TYPE_CHECKING:
    from assistant.clauses.pack import Pack
    from assistant.clauses.results import Evaluation
    from assistant.models import Citation


def trace_markdown(pack: Pack, evaluation: Evaluation, citations: Sequence[Citation] = ()) -> str:
    """The facts used, then each clause's tested conditions in words; quotes numbered as in the answer's
    `citations`, and only those the answer cites (the rest would be numbers the answer does not list)."""
    numbers = {(c.source, c.start, c.end): c.n for c in citations}
    facts = [(name, fact) for name, fact in evaluation.facts.items() if fact.value is not None]
    lines = ["**Facts**", ""]
    lines += [f"- {_cap(pack.spec(name).label)}: {_cell(shown(pack, name, fact.value))} ({fact.source})"
              for name, fact in facts] or ["- none given"]
    for contradiction in evaluation.contradictions:
        lines.append(f"- contradiction: {_cell(contradiction.message)}")
    for result in evaluation.results:
        status = result.status if result.status != "decided" else "decided"
        if result.overridden_by:
            status += f", overridden by {evaluation.titles.get(result.overridden_by, result.overridden_by)}"
        lines += ["", f"**{_cell(result.title)}** ({status})", "", _cell(result.text)]
        tested = [s for s in result.trace if s.evaluated and s.op not in ("known", "unknown")
                  and (result.branch is None or s.branch == result.branch)]
        for step in tested:
            condition = describe_condition(pack, step.fact, step.op, step.threshold, step.value)
            lines.append(f"- {_cell(_cap(condition))}: {step.verdict}")
        for citation in result.citations:
            n = numbers.get((citation.source, citation.start, citation.end))
            if n is not None or not numbers:
                lines.append(f"\n> [{n or citation.n}] {_cell(citation.quote)}")
    if evaluation.not_applicable:
        names = ", ".join(evaluation.titles.get(c, c) for c in evaluation.not_applicable)
        lines += ["", f"Not applicable: {names}"]
    return "\n".join(lines)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("$", "\\$")
