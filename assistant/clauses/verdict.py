"""A yes or a no for a yes/no what-if ("would that trigger the AGI clause?"), read off the clause outcomes.

A question gets a verdict only when it is a yes/no question, asks about exactly one kind of proposition (losing
access, keeping it, being allowed to do something), and every deciding clause outcome says the same of it.
Otherwise the answer stays as the clauses put it, without a yes or a no.
"""

from __future__ import annotations

import re

from assistant.clauses.extractors import normalise
from assistant.clauses.results import Evaluation

_AUXILIARY = re.compile(r"^(would|will|does|do|did|is|are|was|were|can|could|may|might|should|must|has|have)\b")
# The question's main clause comes after its last comma or dash: "Assuming no AGI, would Microsoft still ...?"
_CLAUSE_BREAK = re.compile(r"[,;:—–]|[.!]\s|\s-\s|\bthen\b")
# "everything", "all": the article says Microsoft could lose access to *some* technologies; no flat yes or no.
_SWEEPING = re.compile(r"\b(everything|all|entirely|completely|absolutely|totally|forever)\b")

# Each proposition: the words that ask it, and what each clause outcome says of it.
PROPOSITIONS: dict[str, tuple[re.Pattern, dict[str, bool]]] = {
    "loses_access": (
        re.compile(r"\b(lose|loses|lost|losing|cut off|cut|trigger\w*|count as agi|counts as agi|qualif\w*|"
                   r"clear the (agi )?bar|clears the (agi )?bar|meet the (agi )?(bar|threshold)|be (considered )?agi)\b"),
        {"could_lose_access": True, "access_at_risk_within_term": True, "access_unaffected": False},
    ),
    "keeps_access": (
        re.compile(r"\b(still have|still get|still be|keep|keeps|retain|retains|in effect|in force|still running|"
                   r"still valid|still guaranteed|intact|continue)\b"),
        {"within_term": True, "access_unaffected": True, "could_lose_access": False, "access_at_risk_within_term": False},
    ),
    "may_use": (
        re.compile(r"\b(can|could|may|might|allowed|able|free|permitted)\b.*\b(us(e|ed|ing)|turn\w* to|go(es|ne)? to|went to|go with|switch\w* to|buy\w*|host\w*|"
                   r"serv\w*|offer\w*|sell\w*|skip\w*|tak(e|ing)|mov(e|ing)|train\w*|run|work with|partner\w*)\b"),
        {"may_use_competitor": True, "oracle_allowed": True, "exclusivity_ended": True, "api_on_azure": True,
         "microsoft_supplies": True, "microsoft_has_first_claim": False, "api_not_allowed": False,
         "azure_only_then": False},
    ),
}
# Where outcomes disagree on being allowed, the more specific restriction wins: the right of first refusal
# decides new compute even though cloud exclusivity has ended; the API stays on Azure whatever else holds.
_NO_WINS = {"may_use"}


def verdict(question: str, evaluation: Evaluation) -> bool | None:
    """True for yes, False for no, None when the question is not a yes/no one or the clauses don't settle it."""
    asked = _main_clause(normalise(question))
    if not _AUXILIARY.match(asked) or _SWEEPING.search(asked):
        return None
    matched = [name for name, (pattern, _) in PROPOSITIONS.items() if pattern.search(asked)]
    if len(matched) != 1:
        return None
    name = matched[0]
    says = PROPOSITIONS[name][1]
    deciding = [r for r in evaluation.results if not r.overridden_by]
    if any(r.status != "decided" for r in deciding):
        return None  # an undecided or contradictory clause: no flat answer
    opinions = {says[r.outcome] for r in deciding if r.outcome in says}
    if name in _NO_WINS and False in opinions:
        return False
    return opinions.pop() if len(opinions) == 1 else None


def _main_clause(question: str) -> str:
    """The part of the question after its last clause break: where its main verb sits."""
    text = question.strip().rstrip("?").strip()
    parts = [p.strip() for p in _CLAUSE_BREAK.split(text) if p and p.strip()]
    return parts[-1] if parts else text
