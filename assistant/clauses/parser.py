"""Turn a natural-language question into a Scenario, deterministically, and say what was found."""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from assistant.answer.answer_types import expected_answer_type
from assistant.clauses import extractors as x
from assistant.clauses.rules import AGREEMENT_YEAR
from assistant.clauses.scenario import Scenario

_HYPOTHETICAL = re.compile(
    r"\b(?:what if|what happens|what would|suppose|supposing|imagine|assume|assuming|let's say|say that|"
    r"hypothetically|in the event|in case|given that|provided that|were to|if|could|would|can openai|can microsoft|"
    r"can it|may openai|say (?:it'?s|it is|that|openai|microsoft)|"
    r"is openai (?:allowed|permitted|able|free)|is it (?:allowed|permitted)|will openai|will microsoft|"
    r"would openai|should openai)\b"
)

# A why-question asks the documents for a reason ("Why could the API's exclusivity be a drawback?"), unless it
# also sets up a case of its own ("Why, if Microsoft declines, could OpenAI go to AWS?").
_LEAD = r"^\s*(?:(?:and|so|but|then)\s+)?"  # how a follow-up may open before its question word
_WHY = re.compile(_LEAD + r"(?:why|how come)\b")
_WH_START = re.compile(_LEAD + r"(?:how|what|which|when|where|who)\b")
_SETS_UP_A_CASE = re.compile(r"\b(?:what if|if|suppose|supposing|imagine|assume|assuming|let's say|say that|"
                        r"in the event|in case|provided that|given that|were to)\b")


def _is_hypothetical(question: str, year: int | None) -> bool:
    """Whether a question sets up a case for the clauses to decide.

    A why-question asks the documents for a reason, and "How many GPUs will OpenAI get?" for a value, unless
    it sets up a case of its own ("if ..."). A year after the agreement's asks about the term's future, a
    what-if even without "if"; earlier years are history, like a founding year, and go to the documents.
    """
    sets_up_a_case = bool(_SETS_UP_A_CASE.search(question))
    if _WHY.search(question) and not sets_up_a_case:
        return False
    if year is not None and year > AGREEMENT_YEAR:
        return True
    asks_a_value = bool(_WH_START.search(question)) and expected_answer_type(question) is not None
    return bool(_HYPOTHETICAL.search(question)) and (sets_up_a_case or not asks_a_value)


class ParsedQuestion(BaseModel):
    """A question read as a scenario: the facts found, their evidence, and whether it is a what-if."""

    text: str
    scenario: Scenario
    facts_found: list[str] = Field(default_factory=list)
    evidence: dict[str, str] = Field(default_factory=dict, description="For each fact, the words it was read from.")
    hypothetical: bool = False
    notes: list[str] = Field(default_factory=list)

    @property
    def covered(self) -> bool:
        """Return whether the question gives any fact a clause reads."""
        return bool(self.facts_found)


def parse_question(text: str) -> ParsedQuestion:
    """Return the scenario a question describes; facts it does not state stay None."""
    lowered = x.normalise(text)
    notes: list[str] = []
    found: dict[str, x.Found] = {}
    for name, finder in (
        ("year", x.find_year),
        ("microsoft_can_meet_demand", x.find_can_meet_demand),
        ("agi_achieved", x.find_agi),
        ("oracle_approved_by_microsoft", x.find_oracle_approval),
        ("earlier_arrangement", x.find_earlier_arrangement),
    ):
        result = finder(lowered)
        if result is not None:
            found[name] = result
    if "year" in found and found["year"][1].split()[0] in {"after", "beyond", "past", "post", "before"}:
        notes.append(f"Read '{found['year'][1]}' as the year {found['year'][0]}.")
    found.update(x.find_profit(lowered, notes))
    found.update(x.find_hosts(lowered))
    if "oracle_approved_by_microsoft" in found and "provider" not in found:
        # The only approval the article reports is the Oracle partnership's.
        found["provider"] = ("oracle", found["oracle_approved_by_microsoft"][1])
    order = list(Scenario.model_fields)
    names = sorted(found, key=order.index)
    return ParsedQuestion(
        text=text,
        scenario=Scenario(**{name: found[name][0] for name in names}),
        facts_found=names,
        evidence={name: found[name][1] for name in names},
        hypothetical=_is_hypothetical(lowered, found["year"][0] if "year" in found else None),
        notes=notes,
    )
