"""A yes or a no for a yes/no what-if ("would that trigger the clause?"), read off the clause outcomes.

A question gets a verdict only when it is a yes/no question, asks exactly one of the pack's verdicts (by its
`asked_by` patterns, in the question's main clause), and every deciding outcome says the same of it. Otherwise the
answer stays as the clauses put it, without a yes or a no.
"""

from __future__ import annotations

import re

from assistant.clauses import cues
from assistant.clauses.asked import YES_NO
from assistant.clauses.pack import Pack
from assistant.clauses.reader import normalise
from assistant.clauses.results import Evaluation

# Where a question's clauses break: "Assuming no approval, would the supplier still ...?"
_CLAUSE_BREAK = re.compile(r"[,;:—–]|[.!?]\s|\s-\s|\bthen\b")
# A last clause that goes on to ask something else: "..., and how long does the deal run?", "..., and until what
# year?"
_ASKS_ALSO = re.compile(r"^(?:and|or|but|also)\s+(?:[a-z]+\s+)?(?:how|what|when|where|which|who|whom|whose|why)\b")


def verdict(pack: Pack, question: str, evaluation: Evaluation) -> bool | None:
    """True for yes, False for no, None when the question is not a yes/no one or the clauses don't settle it."""
    asked = _main_clause(normalise(question).lower())
    if not YES_NO.match(asked):
        return None
    words = cues.tokens(asked)
    matched = [name for name, v in pack.verdicts.items() if cues.first_of(v.asked_by, words)]
    if len(matched) != 1:
        return None
    chosen = pack.verdicts[matched[0]]
    if chosen.not_when and cues.first_of(chosen.not_when, words):
        return None  # the question asks more than any outcome settles ("lose everything")
    deciding = [r for r in evaluation.results if not r.overridden_by]
    if any(r.status != "decided" for r in deciding):
        return None  # an undecided or contradictory clause: no flat answer
    opinions = {chosen.says[r.outcome] for r in deciding if r.outcome in chosen.says}
    if chosen.no_wins and False in opinions:
        return False
    return opinions.pop() if len(opinions) == 1 else None


def _main_clause(question: str) -> str:
    """The question's last clause, where its main verb sits; or the yes/no clause before it when the last goes on
    to ask something else ("Does it still have access, and until when does the deal run?")."""
    text = question.strip().rstrip("?").strip()
    parts = [p.strip() for p in _CLAUSE_BREAK.split(text) if p and p.strip()] or [text]
    if len(parts) > 1 and _ASKS_ALSO.match(parts[-1]) and YES_NO.match(parts[-2]):
        return parts[-2]
    return parts[-1]
