"""A clause pack: a document's computable rules as data — the facts a scenario can state, the rules over them,
each citing the document's words — validated by pydantic. Nothing in a pack is executed as code: conditions are
`fact op value` triples, arithmetic is a tree of named operations."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from assistant.clauses.quantities import parse_literal, parse_value

FactType = Literal["yes/no", "number", "money", "duration", "year", "date", "version", "choice"]
Op = Literal["eq", "ne", "gt", "ge", "lt", "le", "in", "not_in", "known", "unknown"]
# How a condition is written in a pack ("years_of_service >= 15", "provider not in [aws, google]").
_WRITTEN_OPS = {"is": "eq", "=": "eq", "==": "eq", "is not": "ne", "!=": "ne", ">": "gt", ">=": "ge", "<": "lt",
                "<=": "le", "in": "in", "not in": "not_in", "known": "known", "unknown": "unknown"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Choice(_Strict):
    """One value of a choice fact: how it is shown, and the names a question may use for it."""

    name: str
    say: tuple[str, ...] = ()


class Reading(_Strict):
    """How a fact is read from a question's words. Patterns are phrases matched on word lemmas: `{a|b}` is either
    word, `...` skips up to six words."""

    says_true: tuple[str, ...] = Field(default=(), description="yes/no: patterns that state the fact (a negation "
                                       "flips them)")
    says_false: tuple[str, ...] = Field(default=(), description="yes/no: patterns that state its opposite")
    ignore: tuple[str, ...] = Field(default=(), description="patterns that, where they match, state nothing of it")
    near: tuple[str, ...] = Field(default=(), description="number/money/choice/date/year: words one of which must be "
                                  "near a figure, name, date or year for it to be this fact")
    not_near: tuple[str, ...] = Field(default=(), description="words that mark a figure as something else")
    only_with: tuple[str, ...] = Field(default=(), description="the fact is read only when one of these is in the question")
    weak: tuple[str, ...] = Field(default=(), description="choice: values taken only when no other is named")
    quoted: bool = Field(default=False, description="open choice: a name the question puts in quotes is its value")
    negatable: bool = Field(default=False, description="choice: a value named after a negation in its clause is not "
                            "the fact's value ('not labelled alpha or beta')")
    implies: dict[str, str] = Field(default={}, description="facts (and values) a reading of this one implies")


class FactSpec(_Strict):
    """A fact a scenario can state."""

    type: FactType
    label: str = Field(description="The fact in words: 'the employee's years of service'.")
    ask: str = Field(description="The question that asks for it.")
    unit: str | None = Field(default=None, description="number/duration: the unit ('hours'); money: the currency (USD).")
    units: dict[str, Decimal] = Field(default={}, description="number/duration: words a question writes the unit "
                                      "with; a mapping gives each word's size in the fact's unit ({day: 1, week: 7})")
    values: dict[str, Choice] = Field(default={}, description="choice: the values, by key.")
    open: bool = Field(default=False, description="choice: whether other names are accepted as written")
    true_as: str | None = Field(default=None, description="yes/no: the fact stated as true, in words")
    false_as: str | None = Field(default=None, description="yes/no: the fact stated as false, in words")
    default: Any = Field(default=None, description="What the document itself states; holds unless the question says.")
    unknown_as: str | None = Field(default=None, description="How an outcome's text names it when not given.")
    read: Reading = Reading()

    @field_validator("units", mode="before")
    @classmethod
    def _units(cls, value: Any) -> Any:
        """A list of unit words is a mapping with each word worth one unit; a size is above zero."""
        sizes = {str(word): 1 for word in value} if isinstance(value, (list, tuple)) else value
        for word, size in (sizes or {}).items():
            if any(mark in str(word) for mark in ("{", "}", "|", "...")):
                raise ValueError(f"unit `{word}`: write a unit as plain words, not a pattern")
            try:
                positive = Decimal(str(size)) > 0
            except ArithmeticError:
                positive = False
            if not positive:
                raise ValueError(f"unit `{word}`: its size must be a number above zero, not {size!r}")
        return sizes

    @model_validator(mode="after")
    def _fits_type(self) -> FactSpec:
        if self.type == "choice" and not self.values:
            raise ValueError("a choice fact needs `values`")
        if self.type != "choice" and self.values:
            raise ValueError(f"`values` is for choice facts, not {self.type}")
        if self.type in ("number", "duration") and not self.unit:
            raise ValueError(f"a {self.type} fact needs a `unit` (e.g. hours, years)")
        return self


class Condition(BaseModel):
    """A test of one fact: `years_of_service >= 15`, `provider in [aws, google]`, `year known`. The pack types its
    value when it loads (a money fact's "100B" becomes a number)."""

    model_config = ConfigDict(extra="forbid")

    fact: str
    op: Op
    value: Any = None


def parse_condition(text: str) -> Condition:
    """A condition written as `fact op value`; raise ValueError saying how to write one."""
    words = str(text).split(None, 1)
    if not words:
        raise ValueError("an empty condition: write `fact op value`, e.g. `years_of_service >= 15`")
    fact, rest = words[0], (words[1] if len(words) > 1 else "").strip()
    for written in sorted(_WRITTEN_OPS, key=len, reverse=True):
        if rest == written or rest.startswith(written + " "):
            op = _WRITTEN_OPS[written]
            value = rest[len(written):].strip()
            if op in ("known", "unknown"):
                if value:
                    raise ValueError(f"`{text}`: `{written}` takes no value")
                return Condition(fact=fact, op=op)
            if not value:
                raise ValueError(f"`{text}`: `{written}` needs a value")
            if op in ("in", "not_in"):
                value = tuple(v.strip() for v in value.strip("[]").split(",") if v.strip())
            return Condition(fact=fact, op=op, value=value)
    raise ValueError(f"`{text}`: write `fact op value` with op one of {', '.join(_WRITTEN_OPS)}")


def _conditions(value: Any) -> Any:
    """Conditions as a pack writes them: one or a list, each `fact op value` text or a mapping."""
    items = value if isinstance(value, (list, tuple)) else [value]
    return tuple(parse_condition(v) if isinstance(v, str) else v for v in items)


Conditions = Annotated[tuple[Condition, ...], BeforeValidator(_conditions)]


class Tier(_Strict):
    """A value that holds when all its conditions do; tiers are read in order and the first that holds counts."""

    when: Conditions = ()
    value: Any
    quotes: tuple[str, ...] = Field(default=(), description="The document's words the tier rests on; an outcome "
                                    "that reads its figure cites them.")


# The rules a derived fact may be computed by; it takes exactly one.
DERIVATIONS = ("any", "all", "first_known", "add", "subtract", "multiply", "divide", "min", "max", "tiers")


class Derived(_Strict):
    """A fact computed from others: a yes/no from conditions, or a figure from arithmetic or tiers."""

    label: str
    type: FactType = "yes/no"
    unit: str | None = Field(default=None, description="a figure's unit; for a date moved by figures, theirs (days, "
                             "weeks, months or years)")
    true_as: str | None = None
    false_as: str | None = None
    any: Conditions | None = Field(default=None, description="true when any holds, false when all fail")
    all: Conditions | None = Field(default=None, description="true when all hold, false when any fails")
    first_known: Conditions | None = Field(default=None, description="the first condition whose fact is known")
    add: tuple[Any, ...] | None = None
    subtract: tuple[Any, ...] | None = Field(default=None, description="the first operand minus the rest")
    multiply: tuple[Any, ...] | None = None
    divide: tuple[Any, ...] | None = Field(default=None, description="the first operand divided by the rest; "
                                           "unknown when one of them is zero")
    min: tuple[Any, ...] | None = None
    max: tuple[Any, ...] | None = None
    tiers: tuple[Tier, ...] | None = None
    round: Literal["up", "down", "nearest"] | None = Field(default=None, description="a figure rounded to a whole "
                                                            "number: two thirds of 91 votes is 61 when rounded up")
    asks_for: str | None = Field(default=None, description="The fact to ask for when this one is missing.")

    @model_validator(mode="after")
    def _one_rule(self) -> Derived:
        rules = [n for n in DERIVATIONS if getattr(self, n) is not None]
        if len(rules) != 1:
            raise ValueError(f"a derived fact takes exactly one of {', '.join(DERIVATIONS)} "
                             f"(found: {', '.join(rules) or 'none'})")
        return self

    @model_validator(mode="after")
    def _rounds_a_figure(self) -> Derived:
        if self.round and self.type not in ("number", "money", "duration"):
            raise ValueError(f"`round` is for a figure; this derived fact is a {self.type}")
        return self

    @model_validator(mode="after")
    def _points_by_arithmetic(self) -> Derived:
        if self.type in ("date", "version") and self.rule not in ("add", "subtract", "min", "max"):
            raise ValueError(f"a derived {_POINT_WORDS[self.type]} is computed by add, subtract, min or max, "
                             f"not {self.rule}")
        return self

    @model_validator(mode="after")
    def _divides_by_figures(self) -> Derived:
        if self.divide is not None and (len(self.divide) < 2 or any(_literal(o) == 0 for o in self.divide[1:])):
            raise ValueError("`divide` takes a figure and one or more divisors, none of them 0")
        return self

    @property
    def rule(self) -> str:
        return next(n for n in DERIVATIONS if getattr(self, n) is not None)

    @property
    def conditions(self) -> tuple[Condition, ...]:
        """Every condition the rule tests: its own, or its tiers'."""
        return (*(self.any or self.all or self.first_known or ()), *(c for t in self.tiers or () for c in t.when))

    @property
    def operands(self) -> tuple[Any, ...]:
        """The operands of its arithmetic (fact names or numbers); none for a rule of conditions or tiers."""
        return () if self.rule in ("any", "all", "first_known", "tiers") else getattr(self, self.rule)


class Branch(_Strict):
    """One outcome of a clause and the conditions (all must hold) that lead to it."""

    id: str
    outcome: str = Field(description="Machine-readable outcome; branches that agree share it.")
    when: Conditions
    text: str = Field(description="The outcome in words; `{fact}` shows a fact's value.")
    overrides: bool = Field(default=False, description="For an exception: this outcome replaces the base rule's.")
    silent: bool = Field(default=False, description="The document does not settle what the question asks: the "
                         "answer says what it does state, cites it, and abstains.")
    quotes: tuple[str, ...] = Field(default=(), description="Extra quotes this outcome rests on.")
    rests_on: tuple[str, ...] = Field(default=(), description="The quotes the outcome's sentence cites; by default "
                                      "the clause's first.")


class Clause(_Strict):
    """A rule as the document states it, with the verbatim quotes it rests on."""

    id: str
    title: str
    kind: Literal["rule", "exception"] = "rule"
    exception_to: str | None = None
    quotes: tuple[str, ...] = Field(min_length=1)
    summary: str = Field(description="The rule in one plain sentence.")
    relevant_when: Conditions = Field(description="Conditions that make the clause apply.")
    relevant_if: Literal["any", "all"] = "any"
    unless: Conditions = Field(default=(), description="Conditions any one of which keeps the clause from applying.")
    branches: tuple[Branch, ...] = Field(min_length=1)

    def facts(self) -> list[str]:
        """Every fact the clause reads, in first-use order."""
        conditions = (*self.relevant_when, *self.unless, *(c for b in self.branches for c in b.when))
        return list(dict.fromkeys(c.fact for c in conditions))


class ContradictionRule(_Strict):
    """Facts that cannot all hold: when every condition does, clauses reading them are not applied."""

    when: Conditions
    message: str


class Verdict(_Strict):
    """A yes/no question the outcomes settle: the words that ask it and what each outcome says of it."""

    asked_by: tuple[str, ...]
    says: dict[str, bool]
    not_when: tuple[str, ...] = Field(default=(), description="words that ask more than any outcome settles")
    no_wins: bool = Field(default=False, description="when outcomes disagree, a no settles it")


class FactError(ValueError):
    """A value that does not fit the fact it is given for: "year: expected a year such as 2031, got 'soon'"."""

    def __init__(self, fact: str, problem: str):
        super().__init__(f"{fact}: {problem}")
        self.fact, self.problem = fact, problem


def _literal(operand: Any) -> Decimal | date | None:
    """An arithmetic operand written in the pack as a number or a date; None for anything else."""
    try:
        return parse_literal(operand)
    except (ArithmeticError, ValueError):
        return None


_DATE_STEPS = {None, "day", "days", "week", "weeks", "month", "months", "year", "years"}
_POINT_WORDS = {"date": "date", "version": "release"}


def _check_points(name: str, derived: Derived, types: dict[str, str]) -> None:
    """Arithmetic on dates or releases that makes sense, with the type it gives: a date moved by figures in days,
    weeks, months or years is a date, a release moved by releases a release; a date minus a date is a number of
    days, a release minus a release one of releases; the earliest or latest of dates a date, of releases a release."""
    literals = [_literal(o) for o in derived.operands]
    kinds = [types.get(o) if types.get(o) in ("date", "version") else "date" if isinstance(literal, date)
             else "figure" for o, literal in zip(derived.operands, literals)]
    points = set(kinds) - {"figure"}
    if not points:
        return
    point = points.pop()
    if points:
        raise ValueError(f"derived {name}: a date and a release cannot be reckoned together")
    unit = (derived.unit or "").lower() or None
    if point == "version" and (unit not in (None, "release", "releases") or any(
            isinstance(literal, Decimal) and literal != int(literal) for literal in literals)):
        raise ValueError(f"derived {name}: a release moves by whole releases (no `unit`, or `releases`); a release "
                         "written in the pack must be a fact's")
    if derived.rule in ("min", "max") and set(kinds) == {point}:
        wanted = point
    elif derived.rule == "subtract" and kinds == [point, point]:
        wanted = "number"
        if point == "date" and unit not in (None, "days"):
            raise ValueError(f"derived {name}: a date minus a date is in days, not {derived.unit}")
    elif kinds.count(point) == 1 and (derived.rule == "add" or derived.rule == "subtract" and kinds[0] == point):
        wanted = point
        if point == "date" and unit not in _DATE_STEPS:
            raise ValueError(f"derived {name}: a date moves by days, weeks, months or years, not {derived.unit}")
    else:
        word = _POINT_WORDS[point]
        literal = f"; a {word} written in the pack must be a fact's" if point == "version" else ""
        raise ValueError(f"derived {name}: `{derived.rule}` of these {word}s makes no sense (add figures to one, "
                         f"subtract one or figures from one, or take the min or max of {word}s{literal})")
    if derived.type != wanted:
        raise ValueError(f"derived {name}: its {derived.rule} gives a {wanted}; declare `type: {wanted}`")


class Pack(_Strict):
    """A document's clause pack."""

    document: str = Field(description="The document's file name, beside the pack.")
    name: str = Field(description="What the rules are, for answers: 'the travel policy'.")
    as_of: int | None = Field(default=None, description="The year the document states its rules in.")
    facts: dict[str, FactSpec]
    derived: dict[str, Derived] = {}
    document_facts: dict[str, Any] = Field(default={}, description="The document's own situation, shown beside a "
                                           "what-if's outcome when they differ.")
    contradictions: tuple[ContradictionRule, ...] = ()
    clauses: tuple[Clause, ...] = Field(min_length=1)
    verdicts: dict[str, Verdict] = {}

    @model_validator(mode="after")
    def _consistent(self) -> Pack:
        known = set(self.facts) | set(self.derived)
        clash = set(self.facts) & set(self.derived)
        if clash:
            raise ValueError(f"{', '.join(sorted(clash))}: both a fact and a derived fact; rename one")
        for where, condition in self._conditions():
            if condition.fact not in known:
                raise ValueError(f"{where}: unknown fact `{condition.fact}` (declare it under facts or derived)")
            if condition.op in ("known", "unknown"):
                continue
            try:
                if condition.op in ("in", "not_in"):
                    condition.value = tuple(self.typed(condition.fact, v) for v in condition.value)
                else:
                    condition.value = self.typed(condition.fact, condition.value)
            except ValueError as exc:
                raise ValueError(f"{where}: `{condition.fact}`: {exc}") from None
        ready = set(self.facts)  # derived facts are computed in order: each reads facts and those declared before it
        for name, derived in self.derived.items():
            for operand in derived.operands:
                if operand == name:
                    raise ValueError(f"derived {name}: reads itself")
                if not (isinstance(operand, str) and operand in known) and _literal(operand) is None:
                    raise ValueError(f"derived {name}: `{operand}` is neither a fact nor a number or a date "
                                     "(2025-03-03)")
            later = [f for f in (*(c.fact for c in derived.conditions), *(o for o in derived.operands
                                                                            if isinstance(o, str) and o in known))
                     if f not in ready]
            if later:
                raise ValueError(f"derived {name}: reads `{later[0]}`, which is declared after it; move it above")
            _check_points(name, derived, {n: self.spec(n).type for n in known})
            ready.add(name)
        ids = [c.id for c in self.clauses]
        for clause in self.clauses:
            if clause.exception_to and clause.exception_to not in ids:
                raise ValueError(f"clause {clause.id}: exception_to `{clause.exception_to}` is not a clause id")
        for name in (*self.document_facts, *(f for s in self.facts.values() for f in s.read.implies)):
            if name not in self.facts:
                raise ValueError(f"`{name}` is not a fact of this pack")
        for name, spec in self.facts.items():
            if spec.default is not None:
                self.typed(name, spec.default)
        return self

    def _conditions(self) -> list[tuple[str, Condition]]:
        found = [(f"contradiction {i + 1}", c) for i, r in enumerate(self.contradictions) for c in r.when]
        for name, derived in self.derived.items():
            found += [(f"derived {name}", c) for c in derived.conditions]
        for clause in self.clauses:
            found += [(f"clause {clause.id}", c) for c in (*clause.relevant_when, *clause.unless)]
            found += [(f"clause {clause.id}, branch {b.id}", c) for b in clause.branches for c in b.when]
        return found

    def spec(self, name: str) -> FactSpec | Derived:
        """The declaration of a fact or a derived fact."""
        return self.facts.get(name) or self.derived[name]

    def typed(self, name: str, value: Any) -> Any:
        """A value written in the pack or by a user, as the fact's type holds it."""
        spec = self.spec(name)
        return parse_value(spec.type, value, unit=spec.unit,
                           choices=getattr(spec, "values", None) or None, open_choice=getattr(spec, "open", False))

    def scenario(self, given: dict[str, Any]) -> dict[str, Any]:
        """Facts a user or a model states, typed; raise FactError for the first that is not a fact of the pack or
        does not fit its type. Facts given as None are left out."""
        typed = {}
        for name, value in given.items():
            if name not in self.facts:
                raise FactError(name, f"not a fact of {self.document}")
            if value is not None:
                try:
                    typed[name] = self.typed(name, value)
                except ValueError as exc:
                    raise FactError(name, str(exc)) from None
        return typed

    def quotes(self) -> list[str]:
        """Every quote the pack cites, in order, once."""
        clauses = (q for c in self.clauses for q in (*c.quotes, *(q for b in c.branches for q in (*b.quotes,
                                                                                                  *b.rests_on))))
        tiers = (q for d in self.derived.values() for t in d.tiers or () for q in t.quotes)
        return list(dict.fromkeys((*clauses, *tiers)))

