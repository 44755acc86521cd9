"""Find single facts in a question's text; each finder returns (value, evidence) or None."""

from __future__ import annotations

import re

from assistant.clauses.amounts import AMOUNT_PATTERN, amount_from_match, format_usd
from assistant.clauses.rules import AGI_PROFIT_THRESHOLD_USD
from assistant.clauses.scenario import PROVIDER_ALIASES

Found = tuple[object, str]

# A clause ends at punctuation or a conjunction that starts a new clause.
_BOUNDARY = re.compile(r"[.,;:?!—–]| - |\b(?:and|but|while|whereas|so|then)\b")
_NEGATION = re.compile(
    r"\b(?:not|no|never|cannot|unable|fails?|failed|lacks?|lacking|insufficient|short|shortfall|exhausted|maxed|"
    r"struggles?|struggling|constrained|out of|at capacity|over capacity|declines?|declined|refuses?|refused|"
    r"pass(?:es|ed)? on|(?:turns?|turned) (?:(?:it|them|that|this) )?down|partly|partially|only\s+(?:\w+\s+){0,2}(?:part|some|half))\b|n't\b"
)
_CAPACITY = re.compile(
    r"\b(?:meet|meets|met|fulfil\w*|fulfill\w*|satisfy|satisfies|keep up|keeps up|handle|handles|supply|supplies|cover|covers|"
    r"provide|provides|deliver|delivers|capacity|compute|computing|enough|demand|demands|gpus?|chips|servers)\b"
)
_ABLE = re.compile(
    r"\b(?:can|could|is able|are able|was able|has|have|had|manages?|will|would|meets|fulfils|fulfills|handles|"
    r"supplies|provides|delivers|keeps up|does)\b"
)
_OUTGROWN = re.compile(
    r"\b(?:exceeds?|exceeding|outstrips?|outgrows?|outgrew|beyond|more than|than)\s+(?:what\s+)?"
    r"(?:microsoft|azure)(?:'s)?\s+(?:(?:can|could)\s+\w+|capacity|compute)"
)
_NOT_ENOUGH_FROM = re.compile(
    r"\b(?:not enough|insufficient|too little|no more|no spare)\s+(?:\w+\s+){0,2}(?:from|at|on|with)\s+(?:microsoft|azure)"
)
_SUBJECT = re.compile(r"\b(?:microsoft|azure|msft)\b(?:'s)?")
_COORDINATION = re.compile(r"\s*\b(?:and|but|then)\b")
# What opens a clause of its own after "and": a new subject ("... and OpenAI turns to AWS").
_NEW_SUBJECT = re.compile(
    r"\s*(?:openai|it|they|he|she|we|you|i|the|a|an|this|that|"
    + "|".join(sorted((re.escape(name) for name in PROVIDER_ALIASES), key=len, reverse=True)) + r")\b"
)

_YEAR = re.compile(
    r"(?<![\d$,.])\b(?:(?P<prep>in|after|beyond|past|post|by|before|until|till|through|during|from|the year|year)\s+)?"
    r"(?P<year>(?:19|20|21)\d{2})\b(?!\s*(?:billion|million|trillion|bn|b\b|dollars))"
)
_YEAR_SHIFT = {"after": 1, "beyond": 1, "past": 1, "post": 1, "before": -1}
_STRONG_PREPS = {"in", "after", "beyond", "past", "post", "by", "before", "during", "the year", "year"}

_PROFIT_WORDS = re.compile(
    r"\b(?:profits?|profitable|earns?|earning|earnings|generat\w*|makes?|making|made|net income|bottom line)\b"
)
_NOT_PROFIT_WORDS = re.compile(r"\b(?:revenue|revenues|sales|valuation|valued|worth|invest\w*|raise[sd]?|funding|cost|spend\w*)\b")
_ABOVE = re.compile(r"(?:over|more than|above|exceeding|exceeds?|in excess of|greater than|north of|upwards of|beyond|at least)\s*$")
_BELOW = re.compile(r"(?:under|less than|below|short of|fewer than|at most|up to|no more than|nearly|almost)\s*$")

_AGI = r"(?:agi|artificial general intelligence)"
_AGI_VERB = re.compile(
    r"\b(?:achieve[sd]?|achieving|reach(?:es|ed|ing)?|create[sd]?|creating|build(?:s|ing)?|built|develop(?:s|ed|ing)?|"
    r"attain(?:s|ed|ing)?|declare[sd]?|declaring|hit(?:s|ting)?|get(?:s|ting)?|got|unlock(?:s|ed)?|invent(?:s|ed)?|"
    r"produce[sd]?|deliver(?:s|ed)?|crack(?:s|ed)?)\b(?:\s+[\w'-]+){0,3}?\s+" + _AGI + r"\b"
)
_AGI_PASSIVE = re.compile(
    r"\b" + _AGI + r"\s+(?:(?:is|gets|has been|was|were|is finally|becomes)\s+)?"
    r"(?:achieved|reached|created|built|declared|developed|attained|arrives|happens|emerges|is here)\b"
)
_AGI_CLAUSE_TRIGGER = re.compile(r"\bagi clause\s+(?:is|gets|were|was|has been)\s+(not\s+)?(?:triggered|invoked|activated)\b")
_AGI_WITH = re.compile(r"\b(?P<prep>with|after|once|post-?|without|before|no)\s*" + _AGI + r"\b")

_API = re.compile(r"\bapis?\b")
_OFF_AZURE = re.compile(
    r"\b(?:off|outside(?: of)?|away from|other than|instead of|beyond|leaves?|leaving|leave|not on)\s+"
    r"(?:microsoft(?:'s)?\s+)?azure\b"
)
_PROVIDER = re.compile(
    r"\b(?:" + "|".join(sorted((re.escape(a) for a in PROVIDER_ALIASES if a not in {"microsoft", "msft"}),
                                key=len, reverse=True)) + r"|microsoft(?:'s)? cloud)\b"
)

_APPROVAL = re.compile(
    r"\b(?:approv\w*|sign(?:s|ed)? off|bless\w*|consent\w*|green[- ]light\w*|veto\w*|block\w*|reject\w*|unapproved)\b"
)
_APPROVAL_NEGATED_WORD = re.compile(r"^(?:veto|block|reject|unapproved)")
_APPROVAL_NEGATION = re.compile(
    r"(?:n't|\bnot\b|\bnever\b|\bwithout\b|\brefus\w*|\bdeclin\w*|\bwithdr\w*|\brevok\w*|\brescind\w*|\bno\b)[^.?!]{0,30}$"
)


_AGREEMENT_NOUN = r"(?:arrangement|agreement|deal|terms|contract|partnership|setup|set-up|regime)"
_EARLIER = re.compile(
    rf"\b(?:under|in|with|during|by)\s+(?:the|their|its)\s+(?:old|previous|earlier|original|former|prior)\s+"
    rf"{_AGREEMENT_NOUN}\b|\bbefore\s+(?:the|this|their)\s+(?:new|recent|current|january 2025)\s+{_AGREEMENT_NOUN}\b"
    # "before the current deal ends" is a time within the new agreement, not the arrangement before it
    rf"(?!\s+(?:ends?|ended|expires?|expired|runs out|ran out|lapses?|lapsed|is up|finishes|terminates|is over))|"
    rf"\bback when\s+(?:azure|microsoft)\s+was\s+(?:the\s+)?(?:sole|only|exclusive)\b"
)


def normalise(text: str) -> str:
    """Return the text lowercased with straight apostrophes, so patterns stay simple."""
    return text.replace("’", "'").replace("‘", "'").lower()


def clause_around(text: str, start: int, end: int) -> str:
    """Return the clause (between boundaries) that holds the span start:end."""
    left = max((m.end() for m in _BOUNDARY.finditer(text, 0, start)), default=0)
    right_match = _BOUNDARY.search(text, end)
    return text[left : right_match.start() if right_match else len(text)]


def find_can_meet_demand(text: str) -> Found | None:
    """Return whether the question says Microsoft can meet OpenAI's computing needs."""
    for pattern in (_OUTGROWN, _NOT_ENOUGH_FROM):
        match = pattern.search(text)
        if match:
            return False, match.group(0)
    for subject in _SUBJECT.finditer(text):
        for window, newest in _predicates(text, subject.end()):
            if not _CAPACITY.search(window):
                continue
            evidence = (subject.group(0) + window).strip()
            if _NEGATION.search(newest):
                return False, evidence
            if _ABLE.search(newest):
                return True, evidence
    return None


def _predicates(text: str, start: int) -> list[tuple[str, str]]:
    """The clause after a subject, then that clause with each verb phrase the subject goes on to ("Microsoft is
    offered the contract and decides to pass on it"): each as (all so far, the newest verb phrase), so that what
    is needed may be named in one phrase and what Microsoft does about it in the next."""
    windows = []
    end = start
    while True:
        boundary = _BOUNDARY.search(text, end)
        stop = boundary.start() if boundary else len(text)
        windows.append((text[start:stop], text[end:stop]))
        if not boundary or not _COORDINATION.fullmatch(boundary.group(0)) or _NEW_SUBJECT.match(text, boundary.end()):
            return windows
        end = boundary.end()


def find_earlier_arrangement(text: str) -> Found | None:
    """Return True when the question is set under the arrangement the new agreement replaced ("under the old deal")."""
    match = _EARLIER.search(text)
    return (True, match.group(0)) if match else None


def find_year(text: str) -> Found | None:
    """Return the year the question is set in: "after 2030" is 2031, "before 2030" is 2029."""
    found = []
    for match in _YEAR.finditer(text):
        prep = match.group("prep") or ""
        year = int(match.group("year")) + _YEAR_SHIFT.get(prep, 0)
        found.append((prep in _STRONG_PREPS, match.start(), year, match.group(0).strip()))
    if not found:
        return None
    _, _, year, evidence = max(found)
    return year, evidence


def find_profit(text: str, notes: list[str]) -> dict[str, Found]:
    """Return profit facts: an exact amount, or a bound ("over $100 billion")."""
    for match in AMOUNT_PATTERN.finditer(text):
        if not (match.group("dollar") or match.group("unit") or match.group("dollars")):
            continue
        sentence = clause_or_sentence(text, match.start(), match.end())
        amount = amount_from_match(match)
        if not _PROFIT_WORDS.search(sentence):
            if _NOT_PROFIT_WORDS.search(sentence):
                notes.append(f"{format_usd(amount)} is not a profit figure, so the AGI clause does not read it.")
            continue
        before = text[max(0, match.start() - 20) : match.start()]
        if _ABOVE.search(before):
            if before.rstrip().endswith("at least") and amount == AGI_PROFIT_THRESHOLD_USD:
                notes.append("'At least $100 billion' does not say whether the profit is over $100 billion.")
                return {}
            return {"profit_above_usd": (amount, match.group(0).strip())}
        if _BELOW.search(before):
            return {"profit_below_usd": (amount, match.group(0).strip())}
        return {"profit_usd": (amount, match.group(0).strip())}
    return {}


def clause_or_sentence(text: str, start: int, end: int) -> str:
    """Return the sentence that holds the span start:end."""
    left = max((m.end() for m in re.finditer(r"[.?!;]\s", text[:start])), default=0)
    right = re.search(r"[.?!;](?:\s|$)", text[end:])
    return text[left : end + right.start() if right else len(text)]


def find_agi(text: str) -> Found | None:
    """Return whether the question has OpenAI reaching AGI, or not reaching it."""
    trigger = _AGI_CLAUSE_TRIGGER.search(text)
    if trigger:
        return trigger.group(1) is None, trigger.group(0)
    for pattern in (_AGI_VERB, _AGI_PASSIVE):
        match = pattern.search(text)
        if match:
            return not _negated_before(text, match.start()) and " not " not in f" {match.group(0)} ", match.group(0)
    match = _AGI_WITH.search(text)
    if match:
        return match.group("prep") not in {"without", "before", "no"}, match.group(0)
    return None


def _negated_before(text: str, start: int) -> bool:
    """Return whether one of the three words before `start` negates what follows."""
    words = text[:start].split()[-3:]
    joined = " ".join(words)
    return bool(re.search(r"\b(?:never|not|no|cannot|yet to|fails? to|failed to|unable to)\b|n't\b", joined))


def find_hosts(text: str) -> dict[str, Found]:
    """Return the compute provider and the API host the question names, told apart by mention of the API."""
    compute: list[Found] = []
    api: list[Found] = []
    for match in _PROVIDER.finditer(text):
        key = PROVIDER_ALIASES.get(match.group(0), "microsoft")
        target = api if _API.search(clause_around(text, match.start(), match.end())) else compute
        target.append((key, match.group(0)))
    found: dict[str, Found] = {}
    chosen = _prefer_non_microsoft(compute)
    if chosen:
        found["provider"] = chosen
    chosen = _prefer_non_microsoft(api)
    off_azure = _OFF_AZURE.search(text)
    if chosen and chosen[0] != "microsoft":
        found["api_host"] = chosen
    elif off_azure and _API.search(text):
        found["api_host"] = ("elsewhere", off_azure.group(0))
    elif chosen:
        found["api_host"] = ("azure", chosen[1])
    return found


def _prefer_non_microsoft(mentions: list[Found]) -> Found | None:
    """Return the first provider other than Microsoft, else Microsoft, else None."""
    others = [m for m in mentions if m[0] != "microsoft"]
    return (others or mentions or [None])[0]


def find_oracle_approval(text: str) -> Found | None:
    """Return whether the question says Microsoft approved the Oracle partnership."""
    if not re.search(r"\b(?:oracle|stargate)\b", text):
        return None
    match = _APPROVAL.search(text)
    if match is None:
        return None
    before = text[max(0, match.start() - 40) : match.start()]
    refused = bool(_APPROVAL_NEGATED_WORD.match(match.group(0))) or bool(_APPROVAL_NEGATION.search(before))
    return not refused, (before.split(",")[-1] + match.group(0)).strip()

