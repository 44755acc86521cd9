"""Evaluate a scenario against a clause pack: three-valued conditions, exceptions that override their rule, and each
outcome cited with the exact spans of the document's words it rests on."""

from __future__ import annotations

import re
from typing import Any

from assistant.clauses.facts import Contradiction, Fact, display_values, find_contradictions, holds, resolve_facts, \
    sources_of
from assistant.clauses.pack import Branch, Clause, Pack
from assistant.clauses.packs import LoadedPack
from assistant.clauses.results import Baseline, ClauseResult, ConditionTrace, Evaluation, Possibility
from assistant.models import Citation


_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def evaluate(loaded: LoadedPack, given: dict[str, Any]) -> Evaluation:
    """Every clause of the pack that applies to the given facts, with traces and citations."""
    pack = loaded.pack
    given = {name: pack.typed(name, value) for name, value in given.items() if value is not None}
    facts = resolve_facts(pack, given)
    contradictions = find_contradictions(pack, facts)
    baseline_facts = resolve_facts(pack, {**given, **{n: pack.typed(n, v) for n, v in pack.document_facts.items()}}) \
        if pack.document_facts else None
    results: list[ClauseResult] = []
    not_applicable: list[str] = []
    for clause in pack.clauses:
        if not _is_relevant(clause, facts):
            not_applicable.append(clause.id)
            continue
        result = _evaluate_clause(pack, clause, facts, contradictions)
        if result is None:
            not_applicable.append(clause.id)
            continue
        if baseline_facts is not None:
            result.baseline = _baseline(pack, clause, result, baseline_facts)
        results.append(result)
    _apply_exceptions(results)
    return Evaluation(
        pack=loaded.id,
        name=pack.name,
        scenario=given,
        facts=facts,
        results=results,
        contradictions=contradictions,
        not_applicable=not_applicable,
        citations=_cite(results, loaded, facts),
        labels={name: pack.spec(name).label for name in facts},
        titles={clause.id: clause.title for clause in pack.clauses},
    )


def _is_relevant(clause: Clause, facts: dict[str, Fact]) -> bool:
    """Whether the question gives the facts that make this clause apply, and none that rule it out."""
    if any(holds(c, facts) is True for c in clause.unless):
        return False
    tests = [holds(c, facts) is True for c in clause.relevant_when]
    return all(tests) if clause.relevant_if == "all" else any(tests)


def _trace_branch(branch: Branch, facts: dict[str, Fact]) -> tuple[bool | None, list[ConditionTrace]]:
    """A branch's three-valued result and the trace of its conditions; a false one stops the rest."""
    outcome: bool | None = True
    trace = []
    for condition in branch.when:
        evaluated = outcome is not False
        result = holds(condition, facts) if evaluated else None
        fact = facts[condition.fact]
        trace.append(ConditionTrace(branch=branch.id, fact=condition.fact, value=fact.value,
                                    source=fact.source, op=condition.op, threshold=condition.value,
                                    result=result, evaluated=evaluated))
        if evaluated and result is False:
            outcome = False
        elif evaluated and result is None and outcome is True:
            outcome = None
    return outcome, trace


def _evaluate_clause(pack: Pack, clause: Clause, facts: dict[str, Fact],
                     contradictions: list[Contradiction]) -> ClauseResult | None:
    """One clause's result: the branch that holds, the open possibilities, or the contradiction; None when no branch
    holds and none that the user could be asked toward is open (a silent branch is no such outcome: it holds only
    where the question says so)."""
    base = dict(clause_id=clause.id, title=clause.title, kind=clause.kind, exception_to=clause.exception_to,
                summary=clause.summary)
    reads = set().union(*(sources_of(pack, fact) | {fact} for fact in clause.facts()))
    clashes = [c for c in contradictions if reads & set(c.facts)]
    if clashes:
        return ClauseResult(**base, status="contradiction", outcome="contradiction",
                            text=" ".join(c.message for c in clashes))
    values = display_values(pack, facts)
    traced = [(branch, *_trace_branch(branch, facts)) for branch in clause.branches]
    trace = [step for _, _, steps in traced for step in steps]
    holding = [branch for branch, result, _ in traced if result is True]
    if holding:
        chosen = holding[0]  # branches are read in order: the first that holds decides
        return ClauseResult(**base, status="decided", outcome=chosen.outcome, branch=chosen.id,
                            text=chosen.text.format_map(values), overrides=chosen.overrides, silent=chosen.silent,
                            trace=trace)
    # a silent branch is no outcome to ask the user toward: it holds only where the question says so
    possible = [
        Possibility(branch=branch.id, outcome=branch.outcome, text=branch.text.format_map(values),
                    needs=[s.fact for s in steps if s.evaluated and s.result is None])
        for branch, result, steps in traced if result is None and not branch.silent
    ]
    missing = _missing(pack, possible, trace, facts)
    if not missing:
        return None
    return ClauseResult(**base, status="unknown", outcome="unknown",
                        text=f"{clause.title}: the question does not say enough to decide.",
                        missing=missing, possible=possible, trace=trace)


def _missing(pack: Pack, possible: list[Possibility], trace: list[ConditionTrace], facts: dict[str, Fact]) -> list[str]:
    """The facts to ask for to decide the clause, in first-seen order: a derived fact asks for what it names. When
    every branch failed on a fact it needs known, those facts' own unknown sources."""
    names = [n for p in possible for n in p.needs]
    if not names:
        needed = [s.fact for s in trace if s.op == "known" and s.result is False]
        names = [src for n in needed for src in sorted(sources_of(pack, n)) if facts[src].value is None] or needed
    asked = [pack.derived[n].asks_for if n in pack.derived and pack.derived[n].asks_for else n for n in names]
    return list(dict.fromkeys(asked))


def _baseline(pack: Pack, clause: Clause, result: ClauseResult, baseline_facts: dict[str, Fact]) -> Baseline | None:
    """The clause's outcome with the document's own facts, when decided and different."""
    if result.status == "contradiction" or not _is_relevant(clause, baseline_facts):
        return None
    for branch in clause.branches:
        outcome, _ = _trace_branch(branch, baseline_facts)
        if outcome is True:
            if branch.outcome == result.outcome:
                return None
            return Baseline(outcome=branch.outcome, text=branch.text.format_map(display_values(pack, baseline_facts)))
    return None


def _tier_quotes(branch: Branch | None, facts: dict[str, Fact]) -> tuple[str, ...]:
    """The quotes of the tiers behind the facts a branch tests or shows ("{months_required}")."""
    if branch is None:
        return ()
    read = [c.fact for c in branch.when] + [n for n in _PLACEHOLDER.findall(branch.text) if n in facts]
    return tuple(dict.fromkeys(q for name in read for q in facts[name].quotes))


def _apply_exceptions(results: list[ClauseResult]) -> None:
    """Mark a rule as overridden when one of its exceptions holds with an overriding outcome; a rule that says the
    document does not settle what is asked stays, so the answer still abstains on it."""
    by_id = {r.clause_id: r for r in results}
    for result in results:
        if result.exception_to and result.overrides and result.exception_to in by_id and \
                not by_id[result.exception_to].silent:
            by_id[result.exception_to].overridden_by = result.clause_id


def _cite(results: list[ClauseResult], loaded: LoadedPack, facts: dict[str, Fact]) -> list[Citation]:
    """Attach citations to each result, numbered by first use across results; return them all. An outcome rests on
    its branch's `rests_on`, else on the tiers that gave the figures it reads (their words state its figure more
    closely than the clause's first quote, which may state another case's: "12 months or 3 releases" for an API
    version, not a kubectl flag), else on its clause's first quote."""
    table = {c.id: c for c in loaded.pack.clauses}
    numbered: dict[str, Citation] = {}

    def cite(quote: str) -> Citation:
        if quote not in numbered:
            start, end = loaded.spans[quote]
            numbered[quote] = Citation(n=len(numbered) + 1, source=loaded.source, title=loaded.title,
                                       quote=loaded.text[start:end], start=start, end=end)
        return numbered[quote]

    for result in results:
        clause = table[result.clause_id]
        branch = next((b for b in clause.branches if b.id == result.branch), None)
        quotes = branch.quotes if branch else ()
        tiers = _tier_quotes(branch, facts)
        rests_on = branch.rests_on if branch and branch.rests_on else tiers or clause.quotes[:1]
        result.citations = [cite(q) for q in dict.fromkeys((*clause.quotes, *quotes, *tiers))]
        result.rule_citations = [cite(clause.quotes[0])]
        result.outcome_citations = [cite(q) for q in dict.fromkeys((*rests_on, *quotes))]
    return list(numbered.values())
