"""Facts as the clauses see them: the scenario's, the article's standing facts, derived ones, contradictions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel

from assistant.clauses.amounts import format_usd
from assistant.clauses.rules import AGI_PROFIT_THRESHOLD_USD, AGREEMENT_YEAR
from assistant.clauses.scenario import Scenario, provider_name

FactSource = Literal["question", "article", "derived", "unknown"]

# Facts the article states outright; they hold unless the question says otherwise.
STANDING_FACTS: dict[str, Any] = {"oracle_approved_by_microsoft": True}

# The article's own situation, used as the baseline beside a counterfactual.
ARTICLE_FACTS: dict[str, Any] = {
    "year": AGREEMENT_YEAR,
    "api_host": "azure",
    "agi_achieved": False,
    "profit_usd": None,
    "profit_above_usd": None,
    "profit_below_usd": None,
    "oracle_approved_by_microsoft": True,
    "earlier_arrangement": None,
}

FACT_LABELS: dict[str, str] = {
    "year": "the year",
    "microsoft_can_meet_demand": "whether Microsoft can meet OpenAI's new computing needs",
    "provider": "the cloud provider OpenAI would use",
    "api_host": "where OpenAI's API would be offered",
    "agi_achieved": "whether OpenAI has achieved AGI",
    "profit_usd": "the system's profit",
    "profit_above_usd": "the amount the profit is known to exceed",
    "profit_below_usd": "the amount the profit is known to stay under",
    "oracle_approved_by_microsoft": "whether Microsoft approved the Oracle partnership",
    "agi_reached": "whether the AGI clause is triggered",
    "earlier_arrangement": "whether the question is set under the earlier arrangement",
    "before_agreement": "whether the question is set before the January 2025 agreement",
    "about_compute": "whether the question is about where OpenAI's compute comes from",
}


class Fact(BaseModel):
    """One fact's value and where it came from."""

    value: Any = None
    source: FactSource = "unknown"


class Contradiction(BaseModel):
    """Facts of the question that cannot all be true, with a message saying why."""

    facts: list[str]
    message: str


def resolve_facts(scenario: Scenario) -> dict[str, Fact]:
    """Return every fact the clauses may read, filled from the question, the article, or derivation."""
    facts: dict[str, Fact] = {}
    for name in Scenario.model_fields:
        value = getattr(scenario, name)
        if value is not None:
            facts[name] = Fact(value=value, source="question")
        elif name in STANDING_FACTS:
            facts[name] = Fact(value=STANDING_FACTS[name], source="article")
        else:
            facts[name] = Fact()
    reached = agi_reached(scenario)
    facts["agi_reached"] = Fact(value=reached, source="derived" if reached is not None else "unknown")
    before = before_agreement(scenario)
    facts["before_agreement"] = Fact(value=before, source="derived" if before is not None else "unknown")
    # A question on AGI set in 2024 is about AGI, not about which cloud OpenAI then used.
    agi_only = reached is not None and scenario.provider is None and scenario.microsoft_can_meet_demand is None
    facts["about_compute"] = Fact(value=not agi_only, source="derived")
    return facts


def before_agreement(scenario: Scenario) -> bool | None:
    """Return whether the question is set before the January 2025 agreement: under the old deal, or in an earlier
    year; None if it does not say."""
    if scenario.earlier_arrangement:
        return True
    if scenario.year is not None:
        return scenario.year < AGREEMENT_YEAR
    return None


def agi_reached(scenario: Scenario) -> bool | None:
    """Return whether the AGI clause's condition holds, None if the facts don't say."""
    over = _profit_over_threshold(scenario)
    if scenario.agi_achieved is not None:
        return scenario.agi_achieved
    return over


def _profit_over_threshold(scenario: Scenario) -> bool | None:
    """Return whether the profit facts put the system over $100 billion, None if they don't say."""
    if scenario.profit_usd is not None:
        return scenario.profit_usd > AGI_PROFIT_THRESHOLD_USD
    if scenario.profit_above_usd is not None and scenario.profit_above_usd >= AGI_PROFIT_THRESHOLD_USD:
        return True
    if scenario.profit_below_usd is not None and scenario.profit_below_usd <= AGI_PROFIT_THRESHOLD_USD:
        return False
    return None


def find_contradictions(scenario: Scenario) -> list[Contradiction]:
    """Return the facts of the scenario that contradict each other or the article's definitions."""
    found = _profit_bound_contradictions(scenario)
    over = _profit_over_threshold(scenario)
    profit_facts = [n for n in ("profit_usd", "profit_above_usd", "profit_below_usd") if getattr(scenario, n) is not None]
    if not found and scenario.agi_achieved is not None and over is not None and over != scenario.agi_achieved:
        profit = _describe_profit(scenario)
        if scenario.agi_achieved:
            message = (
                f"The question says OpenAI achieved AGI but puts the system's profit at {profit}; the article "
                "defines AGI as a system capable of generating over $100 billion in profit; say which holds."
            )
        else:
            message = (
                f"The question says OpenAI has not achieved AGI but puts the system's profit at {profit}; the "
                "article defines AGI as a system capable of generating over $100 billion in profit; say which holds."
            )
        found.append(Contradiction(facts=["agi_achieved", *profit_facts], message=message))
    if scenario.earlier_arrangement is not None and scenario.year is not None and (
            scenario.earlier_arrangement != (scenario.year < AGREEMENT_YEAR)):
        found.append(
            Contradiction(
                facts=["earlier_arrangement", "year"],
                message=f"The question sets {scenario.year} "
                + ("under the earlier arrangement" if scenario.earlier_arrangement else "outside the earlier arrangement")
                + ", but the new agreement dates from January 2025; say which holds.",
            )
        )
    if scenario.microsoft_can_meet_demand is False and scenario.provider == "microsoft":
        found.append(
            Contradiction(
                facts=["microsoft_can_meet_demand", "provider"],
                message="The question says Microsoft can't meet the demand yet has Microsoft supplying it; "
                "say which holds.",
            )
        )
    return found


def _profit_bound_contradictions(scenario: Scenario) -> list[Contradiction]:
    """Return contradictions among the exact profit and its bounds."""
    exact, above, below = scenario.profit_usd, scenario.profit_above_usd, scenario.profit_below_usd
    clashes = []
    if exact is not None and above is not None and exact <= above:
        clashes.append(["profit_usd", "profit_above_usd"])
    if exact is not None and below is not None and exact >= below:
        clashes.append(["profit_usd", "profit_below_usd"])
    if above is not None and below is not None and below <= above:
        clashes.append(["profit_above_usd", "profit_below_usd"])
    return [
        Contradiction(facts=pair, message=f"The profit figures disagree: {_describe_profit(scenario)}. Give one figure.")
        for pair in clashes
    ]


def _describe_profit(scenario: Scenario) -> str:
    """Return the profit facts in words."""
    parts = []
    if scenario.profit_usd is not None:
        parts.append(format_usd(scenario.profit_usd))
    if scenario.profit_above_usd is not None:
        parts.append(f"over {format_usd(scenario.profit_above_usd)}")
    if scenario.profit_below_usd is not None:
        parts.append(f"under {format_usd(scenario.profit_below_usd)}")
    return " and ".join(parts)


def display_values(facts: dict[str, Fact]) -> dict[str, str]:
    """Return the placeholders a branch text may use, filled from the facts."""

    def usd(name: str) -> str:
        value = facts[name].value
        return format_usd(value) if isinstance(value, Decimal) else "an unknown amount"

    provider = facts["provider"].value
    api_host = facts["api_host"].value
    year = facts["year"].value
    return {
        "provider": provider_name(provider) if provider else "another provider",
        "api_host": provider_name(api_host) if api_host else "another platform",
        "year": str(year) if year is not None else "that year",
        "profit": usd("profit_usd"),
        "profit_above": usd("profit_above_usd"),
        "profit_below": usd("profit_below_usd"),
    }
