"""The clauses of the Microsoft-OpenAI agreement, as data, each resting on verbatim quotes."""

from __future__ import annotations

from decimal import Decimal

from assistant.clauses.schema import Branch, Clause, when

SOURCE = "microsoft-openai-partnership.md"
AGI_PROFIT_THRESHOLD_USD = Decimal("100000000000")
AGREEMENT_YEAR = 2025  # the article is dated January 24, 2025
TERM_END_YEAR = 2030
MICROSOFT = ("microsoft",)
# The new agreement's rules do not reach back to the arrangement it replaced.
BEFORE_AGREEMENT = when("before_agreement", "eq", True)
AZURE = ("azure",)

Q_FIRST_REFUSAL = (
    'The new agreement gives Microsoft a "right of first refusal" on OpenAI\'s future cloud computing needs.'
)
Q_FIRST_SHOT = (
    "In simpler terms, if OpenAI needs more computing power, Microsoft gets the first shot at fulfilling "
    "that need. However, if Microsoft can't meet those demands, OpenAI can turn to competitors."
)
Q_SOLE_PROVIDER = "Once upon a time, Microsoft was the sole provider of cloud infrastructure for OpenAI."
Q_FREEDOM = "Now, OpenAI has the freedom to explore other cloud service providers."
Q_PREVIOUS = (
    "This is a significant change from the previous arrangement, where OpenAI was tethered exclusively "
    "to Microsoft Azure."
)
Q_ORACLE = (
    "The partnership with Oracle, approved by Microsoft, was a clear signal that OpenAI needed more than "
    "what Microsoft could provide."
)
Q_STARGATE = "This collaboration with Oracle and others, dubbed Stargate, highlights the urgency of the situation."
Q_API = (
    "Microsoft’s Azure platform remains the exclusive home for OpenAI’s API, ensuring that customers "
    "benefit from leading-edge models."
)
Q_TERM = (
    "The partnership is set to last until 2030, ensuring that key elements, such as access to OpenAI's "
    "intellectual property and revenue-sharing agreements, remain intact."
)
Q_AGI = (
    "If OpenAI achieves its goal of creating artificial general intelligence (AGI)—a system capable of "
    "generating over $100 billion in profit—Microsoft could lose access to some of OpenAI's most "
    "powerful technologies."
)

_LOSE_ACCESS = "Microsoft could lose access to some of OpenAI's most powerful technologies"
_NOT_TRIGGERED = "the AGI clause is not triggered and does not cut Microsoft's access"

RIGHT_OF_FIRST_REFUSAL = Clause(
    id="right_of_first_refusal",
    title="Right of first refusal on new compute",
    source=SOURCE,
    quotes=(Q_FIRST_SHOT, Q_FIRST_REFUSAL),  # the first quote of a clause states its rule
    summary="Microsoft gets the first shot at OpenAI's new computing needs; if it can't meet them, "
    "OpenAI can turn to competitors.",
    relevant_when=(when("microsoft_can_meet_demand", "known"), when("provider", "known")),
    unless=(BEFORE_AGREEMENT,),
    branches=(
        Branch(
            id="microsoft_is_provider",
            outcome="microsoft_supplies",
            when=(when("provider", "in", MICROSOFT),),
            text="Microsoft supplies the new compute on Azure, which is what its right of first refusal gives it first.",
        ),
        Branch(
            id="microsoft_can_meet",
            outcome="microsoft_supplies",
            when=(when("microsoft_can_meet_demand", "eq", True), when("provider", "unknown")),
            text="Microsoft gets the first shot at OpenAI's new computing needs and can meet them, so Microsoft "
            "supplies the compute.",
        ),
        Branch(
            id="competitor_while_microsoft_can_meet",
            outcome="microsoft_has_first_claim",
            when=(when("microsoft_can_meet_demand", "eq", True), when("provider", "not_in", MICROSOFT)),
            text="Microsoft can meet the need, so under its right of first refusal the work goes to Microsoft; "
            "the article lets OpenAI turn to competitors such as {provider} only if Microsoft can't meet the demand.",
        ),
        Branch(
            id="named_competitor",
            outcome="may_use_competitor",
            when=(when("microsoft_can_meet_demand", "eq", False), when("provider", "not_in", MICROSOFT)),
            text="Microsoft can't meet the need, so OpenAI can turn to competitors such as {provider} for the new compute.",
        ),
        Branch(
            id="any_competitor",
            outcome="may_use_competitor",
            when=(when("microsoft_can_meet_demand", "eq", False), when("provider", "unknown")),
            text="Microsoft can't meet the need, so OpenAI can turn to competitors for the new compute.",
        ),
    ),
)

ORACLE_STARGATE = Clause(
    id="oracle_stargate",
    title="Oracle partnership approved by Microsoft (Stargate)",
    kind="exception",
    exception_to="right_of_first_refusal",
    source=SOURCE,
    quotes=(Q_ORACLE, Q_STARGATE),
    summary="Microsoft approved OpenAI's partnership with Oracle, part of the Stargate collaboration.",
    relevant_when=(when("provider", "eq", "oracle"),),
    unless=(BEFORE_AGREEMENT,),
    branches=(
        Branch(
            id="approved",
            outcome="oracle_allowed",
            when=(when("provider", "eq", "oracle"), when("oracle_approved_by_microsoft", "eq", True)),
            text="OpenAI can use Oracle: Microsoft approved the Oracle partnership (Stargate), so the right of "
            "first refusal does not stand in its way.",
            overrides=True,
        ),
        Branch(
            id="not_approved",
            outcome="no_exception",
            when=(when("provider", "eq", "oracle"), when("oracle_approved_by_microsoft", "eq", False)),
            text="Without Microsoft's approval the Oracle exception falls away, and the right of first refusal decides.",
        ),
    ),
)

CLOUD_EXCLUSIVITY_ENDED = Clause(
    id="cloud_exclusivity_ended",
    title="End of cloud exclusivity",
    source=SOURCE,
    quotes=(Q_FREEDOM, Q_SOLE_PROVIDER, Q_PREVIOUS),
    summary="Microsoft is no longer OpenAI's sole cloud provider; OpenAI may explore other providers.",
    relevant_when=(when("provider", "not_in", MICROSOFT),),
    # Where Microsoft can meet the need, its right of first refusal decides the new compute, freedom or not.
    unless=(BEFORE_AGREEMENT, when("microsoft_can_meet_demand", "eq", True)),
    branches=(
        Branch(
            id="free_to_explore",
            outcome="exclusivity_ended",
            when=(when("provider", "not_in", MICROSOFT),),
            text="Azure is no longer OpenAI's only cloud: OpenAI is free to explore other providers such as {provider}.",
        ),
    ),
)

API_EXCLUSIVE_ON_AZURE = Clause(
    id="api_exclusive_on_azure",
    title="OpenAI's API stays exclusive to Azure",
    kind="exception",
    exception_to="cloud_exclusivity_ended",
    source=SOURCE,
    quotes=(Q_API,),
    summary="Azure remains the exclusive home for OpenAI's API; the end of cloud exclusivity covers compute, not the API.",
    relevant_when=(when("api_host", "known"),),
    branches=(
        Branch(
            id="on_azure",
            outcome="api_on_azure",
            when=(when("api_host", "in", AZURE),),
            text="Offering the API through Azure is what the agreement provides: Azure is the exclusive home for "
            "OpenAI's API.",
        ),
        Branch(
            id="elsewhere",
            outcome="api_not_allowed",
            when=(when("api_host", "not_in", AZURE), when("year", "unknown")),
            text="OpenAI cannot offer its API through {api_host}: Azure remains the exclusive home for OpenAI's API, "
            "and the end of cloud exclusivity covers compute, not the API.",
        ),
        Branch(
            id="elsewhere_within_term",
            outcome="api_not_allowed",
            when=(when("api_host", "not_in", AZURE), when("year", "le", TERM_END_YEAR)),
            text="OpenAI cannot offer its API through {api_host} in {year}: Azure remains the exclusive home for "
            "OpenAI's API, and the end of cloud exclusivity covers compute, not the API.",
        ),
        Branch(
            id="elsewhere_after_term",
            outcome="not_stated",
            when=(when("api_host", "not_in", AZURE), when("year", "gt", TERM_END_YEAR)),
            text="The article does not say: Azure is the exclusive home for OpenAI's API, but the partnership is "
            "only stated to last until 2030, so the article does not settle whether the API could be offered "
            "through {api_host} in {year}.",
            quotes=(Q_TERM,),
        ),
    ),
)

EARLIER_EXCLUSIVITY = Clause(
    id="earlier_exclusivity",
    title="The earlier arrangement: Azure only",
    source=SOURCE,
    quotes=(Q_PREVIOUS, Q_SOLE_PROVIDER),
    summary="Before the January 2025 agreement, OpenAI was tethered exclusively to Microsoft Azure, its sole cloud "
    "provider.",
    relevant_when=(BEFORE_AGREEMENT, when("about_compute", "eq", True)),
    relevant_if="all",
    branches=(
        Branch(
            id="other_provider_then",
            outcome="azure_only_then",
            when=(BEFORE_AGREEMENT, when("provider", "known"), when("provider", "not_in", MICROSOFT)),
            text="Under the earlier arrangement OpenAI was tethered exclusively to Microsoft Azure, so it could not "
            "turn to {provider}: Microsoft was its sole cloud provider. The right of first refusal came with the new "
            "agreement.",
        ),
        Branch(
            id="microsoft_then",
            outcome="microsoft_supplies",
            when=(BEFORE_AGREEMENT, when("provider", "in", MICROSOFT)),
            text="Under the earlier arrangement Microsoft Azure was OpenAI's only cloud, so the work went to Microsoft.",
        ),
        Branch(
            id="azure_only_then",
            outcome="azure_only_then",
            when=(BEFORE_AGREEMENT, when("provider", "unknown")),
            text="Under the earlier arrangement OpenAI was tethered exclusively to Microsoft Azure: Microsoft was its "
            "sole cloud provider. The right of first refusal came with the new agreement.",
        ),
    ),
)

TERM_TO_2030 = Clause(
    id="term_to_2030",
    title="Term of the partnership to 2030",
    source=SOURCE,
    quotes=(Q_TERM,),
    summary="The partnership is set to last until 2030, keeping Microsoft's access to OpenAI's IP and the "
    "revenue sharing intact.",
    relevant_when=(when("year", "known"),),
    unless=(BEFORE_AGREEMENT,),
    branches=(
        Branch(
            id="within_term",
            outcome="within_term",
            when=(when("year", "ge", AGREEMENT_YEAR), when("year", "le", TERM_END_YEAR)),
            text="{year} is within the stated term: the partnership is set to last until 2030, so Microsoft's access "
            "to OpenAI's intellectual property and the revenue-sharing agreements remain intact.",
        ),
        Branch(
            id="after_term",
            outcome="outside_term",
            when=(when("year", "gt", TERM_END_YEAR),),
            text="{year} is after the stated term: the partnership is set to last until 2030, so the article does not "
            "guarantee Microsoft's access to OpenAI's intellectual property or the revenue sharing in {year}; "
            "nor does it say they end.",
        ),
    ),
)

AGI_CLAUSE = Clause(
    id="agi_clause",
    title="AGI clause ($100 billion profit)",
    source=SOURCE,
    quotes=(Q_AGI,),
    summary="If OpenAI creates AGI, a system capable of generating over $100 billion in profit, Microsoft could "
    "lose access to some of OpenAI's most powerful technologies.",
    relevant_when=(
        when("agi_achieved", "known"),
        when("profit_usd", "known"),
        when("profit_above_usd", "known"),
        when("profit_below_usd", "known"),
    ),
    branches=(
        Branch(
            id="profit_over_threshold",
            outcome="could_lose_access",
            when=(when("profit_usd", "gt", AGI_PROFIT_THRESHOLD_USD),),
            text=f"A system generating {{profit}} in profit is over the $100 billion mark that defines AGI, so {_LOSE_ACCESS}.",
        ),
        Branch(
            id="profit_known_over_threshold",
            outcome="could_lose_access",
            when=(when("profit_above_usd", "ge", AGI_PROFIT_THRESHOLD_USD),),
            text=f"A system generating over {{profit_above}} in profit is over the $100 billion mark that defines AGI, "
            f"so {_LOSE_ACCESS}.",
        ),
        Branch(
            id="agi_declared",
            outcome="could_lose_access",
            when=(when("agi_achieved", "eq", True),),
            text=f"If OpenAI achieves AGI, {_LOSE_ACCESS}.",
        ),
        Branch(
            id="profit_not_over_threshold",
            outcome="access_unaffected",
            when=(when("profit_usd", "le", AGI_PROFIT_THRESHOLD_USD),),
            text=f"{{profit}} in profit is not over $100 billion, so {_NOT_TRIGGERED}.",
        ),
        Branch(
            id="profit_known_under_threshold",
            outcome="access_unaffected",
            when=(when("profit_below_usd", "le", AGI_PROFIT_THRESHOLD_USD),),
            text=f"Less than {{profit_below}} in profit is not over $100 billion, so {_NOT_TRIGGERED}.",
        ),
        Branch(
            id="agi_not_achieved_before_agreement",
            outcome="access_unaffected",
            when=(when("agi_achieved", "eq", False), BEFORE_AGREEMENT),
            text=f"Without AGI, {_NOT_TRIGGERED}.",
        ),
        Branch(
            id="agi_not_achieved",
            outcome="access_unaffected",
            when=(when("agi_achieved", "eq", False),),
            # How long the access then lasts is the term's to say: "if OpenAI never reaches AGI, until when ...?"
            text=f"Without AGI, {_NOT_TRIGGERED}, which the partnership keeps until 2030.",
            quotes=(Q_TERM,),
            rests_on=(Q_AGI, Q_TERM),
        ),
    ),
)

AGI_WITHIN_TERM = Clause(
    id="agi_within_term",
    title="AGI can cut access within the term",
    kind="exception",
    exception_to="term_to_2030",
    source=SOURCE,
    quotes=(Q_TERM, Q_AGI),
    summary="The term keeps access intact until 2030 unless the AGI clause is triggered first.",
    relevant_when=(when("year", "known"), when("agi_reached", "eq", True)),
    relevant_if="all",
    branches=(
        Branch(
            id="agi_within_term",
            outcome="access_at_risk_within_term",
            when=(
                when("agi_reached", "eq", True),
                when("year", "ge", AGREEMENT_YEAR),
                when("year", "le", TERM_END_YEAR),
            ),
            text=f"AGI in {{year}} would come before the term ends: although the partnership is set to last until "
            f"2030, {_LOSE_ACCESS}.",
            rests_on=(Q_TERM, Q_AGI),
            overrides=True,
        ),
        Branch(
            id="agi_after_term",
            outcome="outside_term",
            when=(when("agi_reached", "eq", True), when("year", "gt", TERM_END_YEAR)),
            text=f"{{year}} is after the stated term, so the article guarantees no access then; and with AGI, "
            f"{_LOSE_ACCESS}.",
            rests_on=(Q_TERM, Q_AGI),
        ),
        Branch(
            id="agi_before_agreement",
            outcome="before_agreement",
            when=(when("agi_reached", "eq", True), when("year", "lt", AGREEMENT_YEAR)),
            text="{year} is before the agreement the article reports, so the article does not say how AGI then "
            "would have affected Microsoft's access.",
        ),
    ),
)

CLAUSES: tuple[Clause, ...] = (
    RIGHT_OF_FIRST_REFUSAL,
    ORACLE_STARGATE,
    CLOUD_EXCLUSIVITY_ENDED,
    EARLIER_EXCLUSIVITY,
    API_EXCLUSIVE_ON_AZURE,
    TERM_TO_2030,
    AGI_CLAUSE,
    AGI_WITHIN_TERM,
)
