"""The shape of a clause as data: conditions, branches, and the clause with its quotes."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Op = Literal["eq", "ne", "gt", "ge", "lt", "le", "in", "not_in", "known", "unknown"]
Kind = Literal["rule", "exception"]


class Condition(BaseModel):
    """A test of one fact against a threshold, e.g. profit_usd gt 100000000000."""

    model_config = ConfigDict(frozen=True)

    fact: str
    op: Op
    threshold: bool | int | Decimal | str | tuple[str, ...] | None = None


class Branch(BaseModel):
    """One outcome of a clause and the conditions (all must hold) that lead to it."""

    model_config = ConfigDict(frozen=True)

    id: str
    outcome: str = Field(description="Machine-readable outcome; branches that agree share it.")
    when: tuple[Condition, ...]
    text: str = Field(description="The outcome in words; may use {provider}, {api_host}, {year}, {profit}.")
    overrides: bool = Field(default=False, description="For an exception: this outcome replaces the base rule's.")
    quotes: tuple[str, ...] = Field(default=(), description="Extra quotes this outcome rests on.")
    rests_on: tuple[str, ...] = Field(
        default=(), description="The quotes this outcome's sentence cites (with `quotes`); by default the clause's first, which states the rule."
    )


class Clause(BaseModel):
    """A rule of the agreement as the corpus states it, with the verbatim quotes it rests on."""

    model_config = ConfigDict(frozen=True)

    id: str
    title: str
    kind: Kind = "rule"
    exception_to: str | None = None
    source: str
    quotes: tuple[str, ...]
    summary: str = Field(description="The rule in one plain sentence.")
    relevant_when: tuple[Condition, ...] = Field(description="Conditions that make the clause apply.")
    relevant_if: Literal["any", "all"] = "any"
    unless: tuple[Condition, ...] = Field(
        default=(), description="Conditions any one of which keeps the clause from applying (another clause decides)."
    )
    branches: tuple[Branch, ...]

    def facts(self) -> list[str]:
        """Return every fact the clause reads, in first-use order."""
        names: list[str] = []
        for condition in (*self.relevant_when, *self.unless, *(c for b in self.branches for c in b.when)):
            if condition.fact not in names:
                names.append(condition.fact)
        return names


def when(fact: str, op: Op, threshold: bool | int | Decimal | str | tuple[str, ...] | None = None) -> Condition:
    """Return a Condition; short to keep the clause table readable."""
    return Condition(fact=fact, op=op, threshold=threshold)
