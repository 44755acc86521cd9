"""Questions that compare the organisation profiles: "which of them is the oldest?", "who raised the most?".

No single sentence answers a comparison, so the profile fields of every organisation in the index are read
as values (a year, a head-count range, an amount), the extreme one is named, and every compared field is cited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .answer_types import FIELD
from .corpus import PROFILE_PREFIX
from .models import Answer, Provenance, SentenceProvenance
from .sentences import SentenceUnit, sentence_units

if TYPE_CHECKING:
    from collections.abc import Callable

    from .retrieval import HybridIndex

@dataclass(frozen=True)
class Measure:
    """A profile field compared by a superlative, and how its value reads as a number."""

    key: str  # the field's key, lower-cased ("founded date")
    noun: str  # what the answer calls the value ("founding date")
    parse: Callable[[str], float | None]


@dataclass(frozen=True)
class Superlative:
    """A superlative a question may use, the field it compares, and which end of the scale it wants."""

    pattern: re.Pattern
    measure: Measure
    highest: bool
    adjective: str


def _year(value: str) -> float | None:
    found = re.search(r"\b(1[5-9]\d\d|20\d\d)\b", value)
    return float(found.group(1)) if found else None


def _head_count(value: str) -> float | None:
    """The upper end of an employee range ("201-500" -> 500; "10,001+" -> 10001)."""
    numbers = [float(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", value)]
    return max(numbers) if numbers else None


def _amount(value: str) -> float | None:
    found = re.search(r"([\d.,]+)\s*([KMBT])?", value.replace("$", ""), re.IGNORECASE)
    if not found:
        return None
    scale = {"k": 1e3, "m": 1e6, "b": 1e9, "t": 1e12}.get((found.group(2) or "").lower(), 1.0)
    return float(found.group(1).replace(",", "")) * scale


FOUNDED = Measure("founded date", "founding date", _year)
EMPLOYEES = Measure("employees", "employee count", _head_count)
RAISED = Measure("total raised", "total raised", _amount)

SUPERLATIVES = (
    Superlative(re.compile(r"\b(oldest|earliest|founded (first|earliest)|longest[- ]established)\b"),
                FOUNDED, False, "oldest"),
    Superlative(re.compile(r"\b(newest|youngest|most recently founded|founded (last|latest|most recently)|"
                           r"latest[- ]founded)\b"), FOUNDED, True, "newest"),
    Superlative(re.compile(r"\b(most|largest number of|biggest number of) (employees|staff|people)\b|"
                           r"\b(largest|biggest) (team|workforce|staff)\b"), EMPLOYEES, True, "largest by employees"),
    Superlative(re.compile(r"\b(fewest|smallest number of|least) (employees|staff|people)\b|"
                           r"\bsmallest (team|workforce|staff)\b"), EMPLOYEES, False, "smallest by employees"),
    Superlative(re.compile(r"\braised the most\b|\bmost (money|funding|capital)\b|\b(best|most)[- ]funded\b"),
                RAISED, True, "best funded"),
    Superlative(re.compile(r"\braised the least\b|\bleast (money|funding|capital)\b|\b(least|worst)[- ]funded\b"),
                RAISED, False, "least funded"),
)
# A comparison question asks which one ("which ...", "who ...") of the profiled organisations: it names them as
# a set. "What is the oldest trick in the book?" is not one.
_ASKS_WHICH = re.compile(r"^\s*(which|what|who)\b|\b(which|what) (one|organi[sz]ation|company|firm)\b", re.IGNORECASE)
_THE_SET = re.compile(
    r"\b(organi[sz]ations?|compan(y|ies)|firms?|profiles?|profiled|outlets?|publications?|businesses|startups?|"
    r"of them|of these|of those|listed)\b",
    re.IGNORECASE,
)


# "the oldest trick", "the newest development": the superlative is about something else.
_OTHER_NOUN = re.compile(
    r"\s+(?!(?:of|one|ones|among|in|on|by|and|or|is|was|listed|here|there|organi[sz]ations?|compan(?:y|ies)|firms?|"
    r"profiles?|outlets?|publications?|businesses|startups?|founded)\b)[a-z]{3,}"
)


@dataclass(frozen=True)
class ProfileValue:
    """One organisation's value of a compared field, and the field line it was read from."""

    organisation: str
    value: float
    shown: str  # the value as the profile gives it ("1888", "201-500")
    unit: SentenceUnit


def asked_superlative(question: str) -> Superlative | None:
    """The superlative a "which one" question compares by, if any."""
    if not (_ASKS_WHICH.search(question) and _THE_SET.search(question)):
        return None
    lowered = question.lower()
    for superlative in SUPERLATIVES:
        found = superlative.pattern.search(lowered)
        if found and not _OTHER_NOUN.match(lowered, found.end()):
            return superlative
    return None


def profile_fields(index: HybridIndex) -> dict[str, list[SentenceUnit]]:
    """Every profile's `Key: value` lines in the index, by organisation, each once (chunks overlap)."""
    fields: dict[str, dict[tuple[str, int], SentenceUnit]] = {}
    for position, section in enumerate(index.metas.column("section")):
        if not str(section or "").startswith(PROFILE_PREFIX):
            continue
        for unit in sentence_units(index.passage(position, 0.0)):
            if unit.is_field:
                fields.setdefault(unit.context, {}).setdefault((unit.passage.source, unit.start), unit)
    return {organisation: list(units.values()) for organisation, units in fields.items()}


def compare_profiles(question: str, fields: dict[str, list[SentenceUnit]]) -> Answer | None:
    """The answer to a superlative question over the profiles, or None when the question is not one.

    At least two profiles must give the compared field; those that don't are named, not guessed.
    """
    superlative = asked_superlative(question)
    if superlative is None:
        return None
    values, silent = [], []
    for organisation, units in sorted(fields.items()):
        value = _value(units, superlative.measure)
        if value is None:
            silent.append(organisation)
        else:
            values.append(value)
    if len(values) < 2:
        return None
    values.sort(key=lambda v: v.value, reverse=superlative.highest)
    best = [v for v in values if v.value == values[0].value]
    return _answer(question, superlative, best, values, silent)


def _value(units: list[SentenceUnit], measure: Measure) -> ProfileValue | None:
    for unit in units:
        field = FIELD.match(unit.text)
        if field and field.group(1).lower() == measure.key:
            shown = unit.text[field.end():].strip()
            value = measure.parse(shown)
            if value is not None:
                return ProfileValue(unit.context, value, shown, unit)
    return None


def _answer(question: str, superlative: Superlative, best: list[ProfileValue], values: list[ProfileValue],
            silent: list[str]) -> Answer:
    citations = [v.unit.citation(n) for n, v in enumerate(values, start=1)]
    shown = {id(v): f"{v.organisation} ({v.shown}) [{n}]" for n, v in enumerate(values, start=1)}
    names = " and ".join(shown[id(v)] for v in best)
    verb = "are tied as" if len(best) > 1 else "is"
    noun = superlative.measure.noun
    sentences = [f"Of the {len(values)} profiles that give {_a(noun)} {noun}, {names} {verb} the {superlative.adjective}."]
    others = [shown[id(v)] for v in values if v not in best]
    if others:
        sentences.append("The others: " + ", ".join(others) + ".")
    if silent:
        sentences.append(f"The profile of {', '.join(silent)} gives no {superlative.measure.noun}.")
    provenance = [SentenceProvenance(text=s, origin="document", citations=[int(n) for n in re.findall(r"\[(\d+)\]", s)])
                  for s in sentences]
    return Answer(question=question, text=" ".join(sentences), citations=citations,
                  provenance=Provenance(backend="extractive", sentences=provenance))


def _a(noun: str) -> str:
    return "an" if noun[:1] in "aeiou" else "a"

