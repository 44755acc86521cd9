"""What value a what-if asks for ("how many days", "in which year", "how much money"), and whether a clause's
outcome holds one: a pack whose rules touch the case but say nothing of the asked value ("how many days does the
author have to reply?", answered with the 30-day cure rule) leaves the question to the documents.

A yes/no question, or one that asks for a name, a reason or an outcome in words, is answered by any outcome.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.clauses import cues
from assistant.clauses.number_words import digits
from assistant.clauses.quantities import AMOUNT, VERSION
from assistant.text import has_date, sentence_spans

# A yes/no question opens with an auxiliary verb; its answer is a yes or a no, not a value.
YES_NO = re.compile(r"^\W*(?:and\s+|so\s+|but\s+)?(?:would|will|does|do|did|is|are|was|were|can|could|may|might|"
                    r"should|must|has|have|had|am|shall)\b", re.IGNORECASE)
# "When will ...?", "by when", "in which year"; not "When I post my version, what ...?"
_WHEN = re.compile(r"(?:^\W*|[,;]\s*)(?:and\s+|so\s+)?when\s+(?:do|does|did|will|would|must|can|could|should|is|are|was|were|has|"
                   r"have|may)\b|\b(?:by|until|till|from|since)\s+when\b|\b(?:what|which)\s+(?:year|date|day|month)\b",
                   re.IGNORECASE)
_COUNT = re.compile(r"\b(?:how\s+many|(?:what|which)(?:'s|\s+is|\s+are)?\s+(?:the\s+)?(?:maximum\s+|minimum\s+|total\s+|"
                    r"largest\s+|highest\s+)?(?:number|amount)\s+of|how\s+much|what\s+percentage|"
                    r"what\s+share)\b", re.IGNORECASE)
# Words that make "how much" ask for money, not for a quantity of something ("how much leave").
_MONEY_WORDS = {"money", "pay", "paid", "payout", "cost", "costs", "fee", "fees", "price", "damages", "dollar", "dollars",
                "euro", "euros", "pound", "pounds", "compensation", "fine", "fines", "premium", "salary", "billion",
                "billions", "million", "millions", "invest", "invested", "investment", "charge", "charges", "penalty",
                "penalties"}
_WHICH = re.compile(r"\b(?:what|which)(?:'s|\s+(?:is|are|was|were|will\s+be|would\s+be))?\s+(?:the\s+)?(?=\w)",
                    re.IGNORECASE)
# "which country's courts", "what jurisdiction": the wh-word's own noun asks for a place.
_WHICH_PLACE = re.compile(r"\b(?:what|which)\s+(?:country|countries|jurisdictions?|courts?|city|cities|nations?|"
                          r"regions?|venue|forum)\b", re.IGNORECASE)
_PERCENT = re.compile(r"\d\s?(?:%|percent\b|per cent\b)", re.IGNORECASE)


@dataclass(frozen=True)
class Ask:
    """The value a question asks for: a date, money, a percentage, a place, or a count of `noun` (its lemma), or a
    figure."""

    kind: str  # "date", "money", "percent", "count", "figure", "place"
    noun: str | None = None


def asked_value(question: str) -> Ask | None:
    """The value the question's last sentence asks for, or None when it asks for no value."""
    sentences = [s.text.strip() for s in sentence_spans(question) if s.text.strip()]
    asked = next((s for s in reversed(sentences) if "?" in s), sentences[-1] if sentences else "")
    asked = asked.split("?")[0]
    if not asked or YES_NO.match(asked):
        return None
    count = _COUNT.search(asked)
    if count is None:
        which = _WHICH.search(asked)
        named = _nouns_named(cues.tokens(asked[which.end():])) if which else set()
        if named & _MONEY_WORDS:
            return Ask("money")  # "what exit fee or penalty would it owe?"; not "what if the fee is waived?"
        if _WHICH_PLACE.search(asked):
            return Ask("place")
        return Ask("date") if _WHEN.search(asked) else None
    said = count.group(0).lower()
    rest = cues.tokens(asked[count.end():])
    if "percentage" in said or "share" in said:
        return Ask("percent")
    if "much" in said or "amount" in said:  # money when the rest of the question speaks of it ("paid out", "the fee")
        # ... but "pay period" is a span of time and "paid time off" is leave
        spoken = {t.lower for i, t in enumerate(rest) if not (
            t.lower in ("pay", "paid") and i + 1 < len(rest) and rest[i + 1].tag[:2] in ("NN", "JJ"))}
        return Ask("money") if spoken & _MONEY_WORDS else Ask("figure")
    noun = _head_noun(rest)
    if noun in _MONEY_WORDS:  # "how many billions of dollars"
        return Ask("money")
    return Ask("count", noun) if noun else Ask("figure")


def _head_noun(words: tuple[cues.Token, ...]) -> str | None:
    """The last noun of the first run of nouns ("annual leave hours", "hours of annual leave": hours), past
    determiners, adjectives, figures and "of those"."""
    head = None
    for token in words:
        if token.tag.startswith("NN"):
            head = token.lemma
        elif head is not None or token.tag.startswith(("VB", "MD", "PRP", "WP", "WRB")):
            break
    return head


def _nouns_named(words: tuple[cues.Token, ...]) -> set[str]:
    """The nouns right after "what"/"which", with their adjectives and an "or" or "and" between them ("exit fee
    or penalty"); none when another word comes first ("what if the fee ...")."""
    nouns: set[str] = set()
    for token in words:
        if token.tag.startswith("NN"):
            nouns.add(token.lower)
        elif not (token.tag.startswith("JJ") or (nouns and token.lower in ("or", "and"))):
            break
    return nouns


def answers(ask: Ask | None, outcome: str) -> bool:
    """Whether an outcome's text holds a value of the asked kind. A figure the question gave counts too ("you
    still have 50 hours" after jury duty), so an outcome must state the value it decides, not echo the question's."""
    if ask is None:
        return True
    if ask.kind == "date":  # "when can it go?" is answered by a day or by a release ("in 1.32")
        if has_date(outcome):
            return True
        if not VERSION.search(outcome):
            return False
        from assistant.clauses.read_dates import releases_in  # a pack reader's; only an outcome with a release needs it

        return bool(releases_in(outcome, cues.tokens(outcome)))
    if ask.kind == "percent":
        return bool(_PERCENT.search(outcome))
    if ask.kind == "place":
        from assistant.ingest.entities import decode, find_entities

        return any(label in ("GPE", "LOC") for label, _, _ in decode(find_entities([outcome])[0]))
    text = digits(outcome)
    amounts = list(AMOUNT.finditer(text))
    if ask.kind == "money":
        return any(m.group("sign") or m.group("word") or m.group("scale") for m in amounts)
    if ask.kind == "figure":
        return bool(amounts)
    words = cues.tokens(text)
    starts = {m.start("number") for m in amounts}
    return any(token.lemma == ask.noun and any(w.start in starts for w in words[max(0, i - 4):i])
               for i, token in enumerate(words))
