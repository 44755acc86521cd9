"""Evaluate a Scenario against the clause table: three-valued conditions, explicit exceptions, citations."""

from __future__ import annotations

import operator
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

from assistant.clauses.amounts import usd_to_json
from assistant.clauses.corpus import load_document, locate
from assistant.clauses.facts import (
    ARTICLE_FACTS,
    Contradiction,
    Fact,
    display_values,
    find_contradictions,
    resolve_facts,
)
from assistant.clauses.results import Baseline, ClauseResult, ConditionTrace, Evaluation, Possibility
from assistant.clauses.rules import CLAUSES
from assistant.clauses.schema import Branch, Clause, Condition
from assistant.clauses.scenario import Scenario
from assistant.models import Citation

def knows_corpus(corpus_dir: Path | str) -> bool:
    """Whether every document the clauses quote is in this corpus: only then is the engine consulted at all."""
    return all((Path(corpus_dir) / source).is_file() for source in {clause.source for clause in CLAUSES})


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "eq": operator.eq,
    "ne": operator.ne,
    "gt": operator.gt,
    "ge": operator.ge,
    "lt": operator.lt,
    "le": operator.le,
    "in": lambda value, options: value in options,
    "not_in": lambda value, options: value not in options,
}
# When an amount is unknown the profit facts stand in for one another, so only the main one is named missing;
# and whether the question is set before the agreement only matters once AGI is known.
_SECONDARY_FACTS = {"profit_above_usd": "profit_usd", "profit_below_usd": "profit_usd", "agi_reached": "agi_achieved",
                    "before_agreement": "agi_achieved"}
# A derived fact shares the contradictions of the question's facts it is computed from.
_DERIVED_FROM = {"agi_reached": ("agi_achieved", "profit_usd"), "before_agreement": ("earlier_arrangement", "year")}


def evaluate(
    scenario: Scenario, corpus_dir: Path | str | None = None, clauses: tuple[Clause, ...] = CLAUSES
) -> Evaluation:
    """Return the result of every clause that applies to the scenario, with traces and citations."""
    facts = resolve_facts(scenario)
    contradictions = find_contradictions(scenario)
    baseline_facts = resolve_facts(scenario.model_copy(update=ARTICLE_FACTS))
    results: list[ClauseResult] = []
    not_applicable: list[str] = []
    for clause in clauses:
        if not _is_relevant(clause, facts):
            not_applicable.append(clause.id)
            continue
        result = _evaluate_clause(clause, facts, contradictions)
        result.baseline = _baseline(clause, result, baseline_facts)
        results.append(result)
    _apply_exceptions(results)
    citations = _cite(results, clauses, corpus_dir)
    return Evaluation(
        scenario=scenario.model_dump(mode="json", exclude_none=True),
        facts={name: Fact(value=jsonable(f.value), source=f.source) for name, f in facts.items()},
        results=results,
        contradictions=contradictions,
        not_applicable=not_applicable,
        citations=citations,
    )


def jsonable(value: Any) -> Any:
    """Return a value JSON can hold exactly: amounts become strings of digits, tuples lists."""
    if isinstance(value, Decimal):
        return usd_to_json(value)
    if isinstance(value, tuple):
        return [jsonable(v) for v in value]
    return value


def _test(condition: Condition, facts: dict[str, Fact]) -> bool | None:
    """Return the condition's truth, or None if the fact it reads is unknown."""
    value = facts[condition.fact].value
    if condition.op == "known":
        return value is not None
    if condition.op == "unknown":
        return value is None
    if value is None:
        return None
    return bool(_COMPARE[condition.op](value, condition.threshold))


def _is_relevant(clause: Clause, facts: dict[str, Fact]) -> bool:
    """Return whether the question gives the facts that make this clause apply, and none that rule it out."""
    if any(_test(c, facts) is True for c in clause.unless):
        return False
    tests = [_test(c, facts) is True for c in clause.relevant_when]
    return all(tests) if clause.relevant_if == "all" else any(tests)


def _trace_branch(branch: Branch, facts: dict[str, Fact]) -> tuple[bool | None, list[ConditionTrace]]:
    """Return a branch's three-valued result and the trace of its conditions; a false one stops the rest."""
    outcome: bool | None = True
    trace = []
    for condition in branch.when:
        evaluated = outcome is not False
        result = _test(condition, facts) if evaluated else None
        fact = facts[condition.fact]
        trace.append(
            ConditionTrace(
                branch=branch.id,
                fact=condition.fact,
                value=jsonable(fact.value),
                source=fact.source,
                op=condition.op,
                threshold=jsonable(condition.threshold),
                result=result,
                evaluated=evaluated,
            )
        )
        if evaluated and result is False:
            outcome = False
        elif evaluated and result is None and outcome is True:
            outcome = None
    return outcome, trace


def _evaluate_clause(clause: Clause, facts: dict[str, Fact], contradictions: list[Contradiction]) -> ClauseResult:
    """Return one clause's result: the branch that holds, the open possibilities, or the contradiction."""
    base = dict(
        clause_id=clause.id,
        title=clause.title,
        kind=clause.kind,
        exception_to=clause.exception_to,
        summary=clause.summary,
    )
    reads = set(clause.facts())
    reads |= {source for fact in clause.facts() for source in _DERIVED_FROM.get(fact, ())}
    clashes = [c for c in contradictions if reads & set(c.facts)]
    if clashes:
        return ClauseResult(
            **base, status="contradiction", outcome="contradiction", text=" ".join(c.message for c in clashes)
        )
    values = display_values(facts)
    traced = [(branch, *_trace_branch(branch, facts)) for branch in clause.branches]
    trace = [step for _, _, steps in traced for step in steps]
    holding = [branch for branch, result, _ in traced if result is True]
    if holding:
        outcomes = {b.outcome for b in holding}
        if len(outcomes) > 1:  # the clause table promises this cannot happen; say so loudly if it does
            raise AssertionError(f"{clause.id}: branches disagree for these facts: {sorted(outcomes)}")
        chosen = holding[0]
        return ClauseResult(
            **base,
            status="decided",
            outcome=chosen.outcome,
            branch=chosen.id,
            text=chosen.text.format_map(values),
            overrides=chosen.overrides,
            trace=trace,
        )
    open_branches = [(branch, steps) for branch, result, steps in traced if result is None]
    possible = [
        Possibility(
            branch=branch.id,
            outcome=branch.outcome,
            text=branch.text.format_map(values),
            needs=[s.fact for s in steps if s.evaluated and s.result is None],
        )
        for branch, steps in open_branches
    ]
    return ClauseResult(
        **base,
        status="unknown",
        outcome="unknown",
        text=f"{clause.title}: the question does not say enough to decide.",
        missing=_missing(possible),
        possible=possible,
        trace=trace,
    )


def _missing(possible: list[Possibility]) -> list[str]:
    """Return the unknown facts that would decide the clause, main facts only, in first-seen order."""
    names: list[str] = []
    for possibility in possible:
        for name in possibility.needs:
            if name not in names:
                names.append(name)
    main = [n for n in names if _SECONDARY_FACTS.get(n) not in names]
    return main or names


def _baseline(clause: Clause, result: ClauseResult, baseline_facts: dict[str, Fact]) -> Baseline | None:
    """Return the clause's outcome with the article's facts when it is decided and differs, else None."""
    if result.status == "contradiction" or not _is_relevant(clause, baseline_facts):
        return None
    values = display_values(baseline_facts)
    for branch in clause.branches:
        outcome, _ = _trace_branch(branch, baseline_facts)
        if outcome is True:
            if branch.outcome == result.outcome:
                return None
            return Baseline(outcome=branch.outcome, text=branch.text.format_map(values))
    return None


def _apply_exceptions(results: list[ClauseResult]) -> None:
    """Mark a base rule as overridden when one of its exceptions holds with an overriding outcome."""
    by_id = {r.clause_id: r for r in results}
    for result in results:
        if result.exception_to and result.overrides and result.exception_to in by_id:
            by_id[result.exception_to].overridden_by = result.clause_id


def _cite(results: list[ClauseResult], clauses: tuple[Clause, ...], corpus_dir: Path | str | None) -> list[Citation]:
    """Attach citations to each result, numbered by first use across results; return them all."""
    table = {c.id: c for c in clauses}
    numbered: dict[tuple[str, str], Citation] = {}
    for result in results:
        clause = table[result.clause_id]
        branch = next((b for b in clause.branches if b.id == result.branch), None)
        extra = [q for q in (branch.quotes if branch else ()) if q not in clause.quotes]
        rests_on = list(branch.rests_on if branch and branch.rests_on else clause.quotes[:1])
        outcome = rests_on + [q for q in (branch.quotes if branch else ()) if q not in rests_on]
        result.citations = [_citation(clause.source, quote, numbered, corpus_dir) for quote in [*clause.quotes, *extra]]
        result.rule_citations = [_citation(clause.source, clause.quotes[0], numbered, corpus_dir)]
        result.outcome_citations = [_citation(clause.source, quote, numbered, corpus_dir) for quote in outcome]
    return list(numbered.values())


def _citation(
    source: str, quote: str, numbered: dict[tuple[str, str], Citation], corpus_dir: Path | str | None
) -> Citation:
    """Return the citation of a quote, reusing its number if it was cited before."""
    key = (source, quote)
    if key not in numbered:
        document = load_document(source, corpus_dir)
        start, end = locate(document, quote)
        numbered[key] = Citation(
            n=len(numbered) + 1, source=source, title=document.title, quote=quote, start=start, end=end
        )
    return numbered[key]
