"""What evaluating a scenario returns: per-clause results with traces, citations and contradictions."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from assistant.clauses.facts import Contradiction, Fact
from assistant.clauses.quantities import Typed
from assistant.models import Citation

Status = Literal["decided", "unknown", "contradiction"]


class ConditionTrace(BaseModel):
    """One condition of one branch as it was tested."""

    branch: str
    fact: str
    value: Typed = Field(description="The fact's value; in JSON, amounts are strings of digits.")
    source: str
    op: str
    threshold: Typed = None
    result: bool | None = Field(description="None when the fact is unknown or the condition was not evaluated.")
    evaluated: bool

    @property
    def verdict(self) -> str:
        """The condition's result as a word: true, false, unknown, or not evaluated."""
        if not self.evaluated:
            return "not evaluated"
        return {True: "true", False: "false", None: "unknown"}[self.result]


class Possibility(BaseModel):
    """An outcome that the missing facts leave open."""

    branch: str
    outcome: str
    text: str
    needs: list[str]


class Baseline(BaseModel):
    """The clause's outcome with the facts as of the article."""

    outcome: str
    text: str


class ClauseResult(BaseModel):
    """The outcome of one clause for a scenario, with the reasoning that led to it."""

    clause_id: str
    title: str
    kind: str
    exception_to: str | None = None
    summary: str
    status: Status
    outcome: str
    branch: str | None = None
    text: str
    missing: list[str] = Field(default_factory=list)
    possible: list[Possibility] = Field(default_factory=list)
    overrides: bool = False
    silent: bool = False  # the document does not settle the case (see Branch.silent)
    overridden_by: str | None = None
    baseline: Baseline | None = None
    trace: list[ConditionTrace] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)  # every quote of the clause, for the trace
    rule_citations: list[Citation] = Field(default_factory=list)  # the quote that states the rule
    outcome_citations: list[Citation] = Field(default_factory=list)  # the quotes the outcome's sentence rests on


class Evaluation(BaseModel):
    """Every clause of a pack that applies to a scenario, in the pack's order, and what the scenario left unclear."""

    pack: str = Field(description="The pack's id: its file name without .clauses.yaml.")
    name: str = Field(description="What the rules are: 'the travel policy'.")
    scenario: dict[str, Typed]
    facts: dict[str, Fact]
    results: list[ClauseResult]
    contradictions: list[Contradiction] = Field(default_factory=list)
    not_applicable: list[str] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    labels: dict[str, str] = Field(default_factory=dict, description="Each fact in words.")
    titles: dict[str, str] = Field(default_factory=dict, description="Each clause's title, applied or not.")

    @property
    def covered(self) -> bool:
        """Return whether any clause applies to the scenario."""
        return bool(self.results)

    @property
    def silent(self) -> bool:
        """Whether a clause that decides the case says the document does not settle what the question asks; the
        other clauses' outcomes still stand beside it."""
        return any(r.silent for r in self.results if not r.overridden_by)

    def result(self, clause_id: str) -> ClauseResult | None:
        """Return the result of one clause, or None if it does not apply."""
        return next((r for r in self.results if r.clause_id == clause_id), None)

    def to_json(self) -> str:
        """Return the evaluation as indented JSON."""
        return self.model_dump_json(indent=2)
