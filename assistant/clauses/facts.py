"""A scenario's facts as a pack's clauses read them: those the question gives, those the document states, those
derived from both (conditions, arithmetic, tiers), and the ones that contradict each other."""

from __future__ import annotations

import functools
import math
import operator
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field

from assistant.clauses.dates import format_date, shift
from assistant.clauses.pack import Condition, Derived, Pack, Tier
from assistant.clauses.quantities import Bound, Typed, Version, as_decimal, compare, format_number, parse_literal

FactSource = Literal["question", "document", "derived", "unknown"]


class Fact(BaseModel):
    """One fact's value and where it came from."""

    value: Typed = None
    source: FactSource = "unknown"
    # the document's words a derived figure rests on (its tiers', all the way down), for citing; not part of its value
    quotes: tuple[str, ...] = Field(default=(), exclude=True)


class Contradiction(BaseModel):
    """Facts of the question that cannot all be true, with a message saying why."""

    facts: list[str]
    message: str


def resolve_facts(pack: Pack, given: dict[str, Any]) -> dict[str, Fact]:
    """Every fact the clauses may read: given, else the document's default, else unknown; then the derived ones,
    in the order the pack declares them."""
    facts: dict[str, Fact] = {}
    for name, spec in pack.facts.items():
        if given.get(name) is not None:
            facts[name] = Fact(value=given[name], source="question")
        elif spec.default is not None:
            facts[name] = Fact(value=pack.typed(name, spec.default), source="document")
        else:
            facts[name] = Fact()
    for name, derived in pack.derived.items():
        tier = _deciding_tier(derived, facts)  # None for a rule that is not tiers
        value = _rounded(as_decimal(tier.value) if tier else _derive(derived, facts), derived.round)
        facts[name] = Fact(value=value, source="derived" if value is not None else "unknown",
                           quotes=_quotes_of(derived, tier, facts) if value is not None else ())
    return facts


def _deciding_tier(derived: Derived, facts: dict[str, Fact]) -> Tier | None:
    """The first tier that holds; None when none does, or when one before it might (the figure cannot be told
    yet)."""
    for tier in derived.tiers or ():
        results = [holds(c, facts) for c in tier.when]
        if None in results and False not in results:
            return None
        if all(results):
            return tier
    return None


def _quotes_of(derived: Derived, tier: Tier | None, facts: dict[str, Fact]) -> tuple[str, ...]:
    """The quotes of the tier that gave a derived figure, and of the derived facts it reads."""
    reads = [c.fact for c in derived.conditions] + [o for o in derived.operands if isinstance(o, str) and o in facts]
    return tuple(dict.fromkeys((*(tier.quotes if tier else ()), *(q for r in reads for q in facts[r].quotes))))


def holds(condition: Condition, facts: dict[str, Fact]) -> bool | None:
    """A condition's truth, None when its fact is unknown."""
    return compare(facts[condition.fact].value, condition.op, condition.value)


def _derive(derived: Derived, facts: dict[str, Fact]) -> Any:
    rule = derived.rule
    if rule in ("any", "all", "first_known"):
        results = [holds(c, facts) for c in getattr(derived, rule)]
        if rule == "first_known":
            return next((r for r in results if r is not None), None)
        decisive = rule == "any"  # any: one True decides; all: one False decides
        if decisive in results:
            return decisive
        return None if None in results else not decisive
    if rule == "tiers":
        return None  # no tier decides (resolve_facts took the one that does)
    operands = [_operand(o, facts) for o in derived.operands]
    first, rest = (operands[0], operands[1:]) if operands else (None, [])
    if isinstance(first, Bound) and isinstance(first.low, date) and first.high and rule in ("add", "subtract") and \
            not any(o is None or isinstance(o, Bound) for o in rest):
        # a month moved by figures is the month's days moved: "in May" plus 30 days is 31 May to 30 June
        ends = [_date_arithmetic(derived, [side, *rest]) for side in (first.low, first.high)]
        return None if None in ends else Bound(low=ends[0], high=ends[1], low_open=False, high_open=False)
    if any(o is None or isinstance(o, Bound) for o in operands):
        return None
    if any(isinstance(o, date) for o in operands):
        return _date_arithmetic(derived, operands)
    if any(isinstance(o, Version) for o in operands):
        return _release_arithmetic(derived.rule, operands)
    if rule == "add":
        return sum(operands, Decimal(0))
    if rule == "subtract":
        return operands[0] - sum(operands[1:], Decimal(0))
    if rule == "multiply":
        return math.prod(operands, start=Decimal(1))
    if rule == "divide":
        return None if 0 in operands[1:] else functools.reduce(operator.truediv, operands)
    return min(operands) if rule == "min" else max(operands)


_ROUNDING = {"up": ROUND_CEILING, "down": ROUND_FLOOR, "nearest": ROUND_HALF_UP}


def _rounded(value: Any, how: str | None) -> Any:
    """A figure rounded to a whole number as the pack asks; anything else as it is."""
    if how is None or not isinstance(value, Decimal):
        return value
    return value.to_integral_value(rounding=_ROUNDING[how])


def _date_arithmetic(derived: Derived, operands: list[Any]) -> Any:
    """A date moved by figures in the derived fact's unit (days by default), the days between two dates, or the
    earliest or latest of dates."""
    first, rest = operands[0], operands[1:]
    if derived.rule in ("min", "max") and all(isinstance(o, date) for o in operands):
        return min(operands) if derived.rule == "min" else max(operands)
    if derived.rule == "subtract" and isinstance(first, date) and len(rest) == 1 and isinstance(rest[0], date):
        return Decimal((first - rest[0]).days)
    dates = [o for o in operands if isinstance(o, date)]
    figures = [o for o in operands if not isinstance(o, date)]
    if derived.rule not in ("add", "subtract") or len(dates) != 1 or (derived.rule == "subtract" and first is not dates[0]):
        return None  # no calendar sense: two dates added, a date multiplied
    moved = sum(figures, Decimal(0))
    return shift(dates[0], -moved if derived.rule == "subtract" else moved, derived.unit)


def _release_arithmetic(rule: str, operands: list[Any]) -> Any:
    """A release moved by a number of releases, the releases between two, or the earliest or latest of releases;
    None across major versions ("1.30" to "2.0" is no count of minors)."""
    first, rest = operands[0], operands[1:]
    if rule in ("min", "max"):
        return min(operands) if rule == "min" else max(operands)
    if rule == "subtract" and len(rest) == 1 and isinstance(rest[0], Version):
        return Decimal(first.minor - rest[0].minor) if first.major == rest[0].major else None
    moved = sum((o for o in operands if not isinstance(o, Version)), Decimal(0))
    release = next(o for o in operands if isinstance(o, Version))
    return release.moved(-moved if rule == "subtract" else moved)


def _operand(operand: Any, facts: dict[str, Fact]) -> Any:
    if isinstance(operand, str) and operand in facts:
        value = facts[operand].value
        return Decimal(value) if isinstance(value, int) and not isinstance(value, bool) else value
    return parse_literal(operand)


def sources_of(pack: Pack, name: str) -> set[str]:
    """The stated facts a fact rests on: itself, or for a derived one those its rule reads, all the way down."""
    if name not in pack.derived:
        return {name}
    derived = pack.derived[name]
    reads = [c.fact for c in derived.conditions]
    reads += [o for o in derived.operands if isinstance(o, str) and (o in pack.facts or o in pack.derived)]
    return set().union(*(sources_of(pack, r) for r in reads)) if reads else set()


def find_contradictions(pack: Pack, facts: dict[str, Fact]) -> list[Contradiction]:
    """The pack's contradictions whose every condition holds, their messages filled from the facts."""
    found = []
    for rule in pack.contradictions:
        if rule.when and all(holds(c, facts) is True for c in rule.when):
            named = list(dict.fromkeys(s for c in rule.when for s in sorted(sources_of(pack, c.fact))))
            found.append(Contradiction(facts=named, message=rule.message.format_map(display_values(pack, facts))))
    return found


def show_value(pack: Pack, name: str, value: Any) -> str:
    """A fact's value as a reader writes it: yes/no, figures with their unit, choices by name."""
    if value is None:
        return "unknown"
    if isinstance(value, (list, tuple)):
        return " or ".join(show_value(pack, name, v) for v in value)
    kind = pack.spec(name).type if name in pack.facts or name in pack.derived else None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, Version):
        return str(value)
    if isinstance(value, Bound) and isinstance(value.low if value.low is not None else value.high, date):
        return value.words(format_date)
    if kind == "choice":
        choice = pack.facts[name].values.get(str(value))
        return choice.name if choice else str(value).title()
    if isinstance(value, (Decimal, Bound)):
        return format_number(value, pack.spec(name).unit)
    return str(value)


class _Values(dict):
    """Placeholder values for an outcome's text; a name the pack does not know stays as written."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def display_values(pack: Pack, facts: dict[str, Fact]) -> dict[str, str]:
    """What `{fact}` shows in an outcome's text: the fact's value, or how the pack names it when unknown."""
    values = _Values()
    for name, fact in facts.items():
        if fact.value is not None:
            values[name] = show_value(pack, name, fact.value)
        else:
            spec = pack.facts.get(name)
            values[name] = (spec.unknown_as if spec and spec.unknown_as else pack.spec(name).label)
    return values
