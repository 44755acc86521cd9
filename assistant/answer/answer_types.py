"""What kind of thing a question asks for, and whether a sentence holds one."""

from __future__ import annotations

import re

from assistant.text import MONTH, has_date, is_number, words

# "What is the project's budget?", "How is it defined in dollar terms?": nouns that can only be answered by an amount.
_AMOUNT_NOUN = re.compile(
    r"\b(budget|price|valuation|revenue|revenues|profit|profits|salary|salaries|fee|fees|headcount|capex|spending|"
    r"dollar terms|in dollars|worth)\b(?![-‐])"
)
# "Which companies ...", "what news outlet ...": the answer is a name.
_ENTITY_ASKED = re.compile(
    r"\b(which|what)\s+(?!(?:did|does|do|is|are|was|were|has|have|had|made|makes|will|would|can|could)\b)"
    r"(other\s+|two\s+|three\s+|of the\s+)?(\w+\s+)?"
    r"(compan(y|ies)|firms?|organi[sz]ations?|outlets?|publications?|newspapers?|people|persons?|individuals?|"
    r"executives?|investors?|shareholders?|backers?|partners?|providers?|vendors?|competitors?|rivals?)\b"
)
# "What's the downside of ...": the answer explains, as a why-question's does.
_EXPLANATION_NOUN = re.compile(
    r"\bwhat(?:'s| is| are| was| were| would be| could be)\s+(?:the\s+)?(?:\w+\s+)?(drawbacks?|downsides?|upsides?|"
    r"risks?|benefits?|advantages?|disadvantages?|impacts?|effects?|consequences?|implications?|reasons?|problems?|"
    r"catch|trade-?offs?|point)\b"
)
# "Explain the first refusal thing", "what does that clause mean?": an explanation is asked for, as by a why-question.
_EXPLAIN = re.compile(
    r"^\s*(?:(?:can|could|would) you\s+|please\s+)?(explain|describe|clarify|elaborate|unpack|walk me through|"
    r"break down)\b|\bwhat (?:does|do|did) .+ (mean|entail|involve)\b|\bwhat is meant by\b"
)
# Where in the text: "what does the article open with", "in its conclusion", "how does the piece wrap up".
_TEXT = r"(?:article|piece|story|text|report|writer|author)"
_OPENING = re.compile(
    rf"\b{_TEXT}\s+(?:\w+\s+)?(?:open|opens|opened|begin|begins|began|start|starts|started|lead|leads)\b|"
    rf"\b(?:in|at)\s+(?:the|its)\s+(?:opening|beginning|start|intro|introduction|first (?:paragraph|line|sentence)|lede|lead)\b|"
    rf"\b(?:opening|first)\s+(?:line|lines|sentence|paragraph|image|words)\b|"
    rf"\b(?:the|its|article's|piece's)\s+(?:intro|introduction|lede)\b",
    re.IGNORECASE,
)
_CLOSING = re.compile(
    rf"\b{_TEXT}\s+(?:\w+\s+)?(?:end|ends|ended|close|closes|closed|conclude|concludes|concluded|finish|finishes|wrap|wraps)\b|"
    rf"\b(?:in|at)\s+(?:the|its)\s+(?:end|ending|close|conclusion|last (?:paragraph|line|sentence))\b|"
    rf"\b(?:closing|final|last|concluding)\s+(?:line|lines|sentence|paragraph|image|words|thought|thoughts)\b|"
    rf"\b(?:the|its|article's|piece's)\s+(?:conclusion|outro|ending)\b",
    re.IGNORECASE,
)
_PAST = re.compile(
    r"\b(previous|previously|before|formerly|former|originally|once|earlier|used to|in the past|had been|back then|"
    r"at first|initially|prior|(the|its|their|his|her) old)\b",
    re.IGNORECASE,
)
_PRESENT = re.compile(r"\b(now|currently|today|these days|no longer|anymore|remains?|still|nowadays)\b", re.IGNORECASE)
_LEAD = r"^\W*((and|but|so|then|also|ok|okay)\W+)?"  # how a follow-up may open before its question word
_WH_WORD = re.compile(r"\b(what|which|who|whom|whose|when|where|why|how)\b")
_PERCENT_ASKED = re.compile(r"\b(percent|percentage)\b|%")
_DATE_ASKED = re.compile(r"\b(until when|since when)\b|\b(what|which)( \w+)? (year|date|day|month|time|hour)\b")
_KEYWORD_TIME = re.compile(r"\b(year|date)\W*$")
_COUNT_ASKED = re.compile(r"\b(how much|how many)\b")
_AMOUNT_ASKED = re.compile(r"\bhow much\b")
_NUMBER_ASKED = re.compile(r"\b(what number|what amount|how big|how large)\b|\$\W*$")
_WHERE_ASKED = re.compile(r"\bwhere\b")
_PLACE_ASKED = re.compile(r"\b(what|which)\s+(city|town|country|state|place|location|headquarters)\b|"
                          r"\bwhich\s+\w+\s+(city|country|state)\b")  # "which US state"
_WHO_ASKED = re.compile(rf"{_LEAD}(who|whom)\b|\bwho (is|was|are|were|has|had|leads|led|owns)\b")
_NAME_ASKED = re.compile(r"\bwhat(?:'s| is| was| are| were)\s+(?:the\s+)?names?\s+of\b|"
                         rf"{_LEAD}what(?:'s| is| was| are| were)\b.*\b(called|named|dubbed|known as)\W*$|"
                         r"^\W*(the\s+)?names?\s+of\b|^\W*name\s+(the|a|an|one|two|three|all|any|every)\b")
_PLACE_NOUN = re.compile(r"\b(hq|headquarters|headquartered|located|situated)\b")


# Asks about the form of the answer, not its content: "in plain English", "in a nutshell", "briefly".
_FORM_PHRASE = re.compile(
    r"\b(in\s+((plain|simple|simpler|layman'?s?|everyday|basic)\s+(english|terms|words|language)|english|a nutshell|"
    r"short|brief|one sentence|a sentence|a few words|your own words)(?=\s*[,?.!]|\s*$|\s+(what|how|why|who|when|"
    r"where|which|does|do|is|are|please)\b)|"
    r"(briefly|simply|quickly|roughly)(?=\s*[,?]|\s+(explain|describe|summari[sz]e|put|tell|say))|"
    r"for (a beginner|beginners|a layperson|dummies))\b",
    re.IGNORECASE,
)


def without_form_phrases(question: str) -> str:
    """The question without the words that ask how to answer ("in plain English, what ..." -> "what ...")."""
    stripped = _FORM_PHRASE.sub(" ", question)
    stripped = re.sub(r"\s+([,?.!])", r"\1", re.sub(r"\s{2,}", " ", stripped))
    stripped = re.sub(r",+([?.!])", r"\1", stripped).strip(" ,")
    return stripped or question


# Common phrasal verbs and their one-word equivalents, so that "make sure" meets "ensure" in a sentence.
_PHRASAL = {
    "make sure": "ensure", "find out": "discover", "set up": "establish", "carry out": "perform",
    "pushed out": "ousted", "push out": "oust", "kicked out": "ousted", "forced out": "ousted", "let go": "dismissed",
    "put off": "postpone", "turn down": "decline", "turned down": "declined", "hand over": "transfer",
    "deal with": "handle", "look for": "seek", "looking for": "seeking", "come up with": "devise",
    "keep up": "sustain", "give up": "abandon", "point out": "note", "figure out": "determine",
    "rely on": "depend", "relies on": "depends", "depend on": "rely", "count on": "rely", "go up": "increase",
    "go down": "decrease", "run out": "exhaust", "team up": "partner", "teaming up": "partnering",
    "sign up": "enroll", "back out": "withdraw", "pull out": "withdraw", "step down": "resign", "cut off": "sever",
    "sign off": "approve", "signed off": "approved", "signs off": "approves", "green light": "approval",
    "green-lit": "approved", "greenlit": "approved", "okayed": "approved", "ok'd": "approved",
}
_PHRASAL_RE = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _PHRASAL), key=len, reverse=True)) + r")\b", re.IGNORECASE)


def with_plain_verbs(question: str) -> str:
    """The question with its phrasal verbs also said in one word ("make sure" -> "make sure ensure")."""
    return _PHRASAL_RE.sub(lambda m: f"{m.group(0)} {_PHRASAL[m.group(0).lower()]}", question)


def expected_answer_type(question: str) -> str | None:
    """'percent', 'time', 'number', 'place', 'name' or None."""
    q = question.lower()
    if _PERCENT_ASKED.search(q):
        return "percent"
    # "... expiry year?", "article pub date?": a question typed as keywords ends on the kind it wants.
    keywords = not _WH_WORD.search(q)
    if _DATE_ASKED.search(q) or keywords and _KEYWORD_TIME.search(q) or _asks_when(q):
        return "time"
    if _COUNT_ASKED.search(q) or _NUMBER_ASKED.search(q) or _asks_amount(q):
        return "number"
    if _WHERE_ASKED.search(q) or _PLACE_ASKED.search(q):
        return "place"
    if _WHO_ASKED.search(q) or _NAME_ASKED.search(q) or _ENTITY_ASKED.search(q):
        return "name"
    if _PLACE_NOUN.search(q):  # "acme hq"
        return "place"
    return None


def asks_why_or_how(question: str) -> bool:
    """Whether the question asks for a reason, a manner or a consequence ("why ...", "how did ...", "what's the
    downside of ..."), not a value."""
    lowered = question.lower()
    if expected_answer_type(question) is not None:
        return False
    if _EXPLAIN.search(lowered):
        return True
    first = _WH_WORD.search(lowered)
    return bool(first) and (first.group(1) in ("why", "how") or bool(_EXPLANATION_NOUN.search(lowered)))


def first_wh_word(question: str) -> str | None:
    """The question's first question word ("what", "who", ...), if it has one."""
    first = _WH_WORD.search(question.lower())
    return first.group(1) if first else None


def asks_amount(question: str) -> bool:
    """Whether it asks "how much": an amount answers it, not a count."""
    return bool(_AMOUNT_ASKED.search(question.lower()))


def _asks_when(question: str) -> bool:
    """Whether "when" is the question word, not a conjunction inside another question ("how did they react when ...")."""
    return first_wh_word(question) == "when"


def _asks_amount(question: str) -> bool:
    """Whether the question's object is an amount ("the budget"), not a topic ("what it says about profit")."""
    return any(not re.search(r"\b(about|on|regarding|of)\s+(\w+\s+)?$", question[: m.start()])
               for m in _AMOUNT_NOUN.finditer(question))


def asked_position(question: str) -> str | None:
    """'opening' or 'closing' when the question asks how the text begins or ends ("in its opening", "wrap up")."""
    if _OPENING.search(question):
        return "opening"
    if _CLOSING.search(question):
        return "closing"
    return None


def time_frame(text: str) -> str | None:
    """'past' or 'present' when a text marks when it speaks of ("previously", "once" / "now", "no longer")."""
    past = bool(_PAST.search(text))
    present = bool(_PRESENT.search(text))
    return None if past == present else ("past" if past else "present")
