"""What kind of thing a question asks for, and whether a sentence holds one."""

from __future__ import annotations

import re

from assistant.text import MONTH, has_date, is_number, words

_NUMBER_WORDS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|dozens?|hundreds?|thousands?|millions?|billions?|trillions?"
)
_NUMBER = re.compile(rf"\d|\b({_NUMBER_WORDS})\b", re.I)
_NUMBER_WORD = re.compile(rf"^({_NUMBER_WORDS})$")
# A date or duration that says when or how long: a figure, a number word, a month or a weekday ("the end of the
# leave year" and "annually" are times too, but say neither).
_POINT_IN_TIME = re.compile(rf"\d|\b({_NUMBER_WORDS}|a|an|one)\b|{MONTH.pattern}|\b(Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b",
                            re.IGNORECASE)
# "What is Stargate's budget?", "How is it defined in dollar terms?": nouns that can only be answered by an amount.
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
FIELD = re.compile(r"^([A-Z][A-Za-z ]{1,30}): ")
_PERCENT_ASKED = re.compile(r"\b(percent|percentage)\b|%")
_DATE_ASKED = re.compile(r"\b(until when|since when)\b|\b(what|which)( \w+)? (year|date|day|month|time|hour)\b")
_KEYWORD_TIME = re.compile(r"\b(year|date)\W*$")
_COUNT_ASKED = re.compile(r"\b(how much|how many)\b")
_AMOUNT_ASKED = re.compile(r"\bhow much\b")
# "$3.9 million", "0.3 percent", "15 kg", "4 hours": what the recogniser labels an amount, a share, a measure or a
# span of time (a time only with a figure in it: "this summer" is none).
_AMOUNT_LABELS = frozenset({"MONEY", "PERCENT", "QUANTITY"})
# An amount written with its sign or its currency, which the small recogniser does not always label ("40 euros").
_AMOUNT_SIGN = re.compile(r"[$€£¥₹]\s*\d|\d\s*(%|percent\b)|\d\s*(dollars?|euros?|pounds?|yen|yuan|francs?|rupees?|"
                          r"pesos?|cents?|pence|usd|eur|gbp|jpy|cny|chf|inr)\b", re.IGNORECASE)
_NUMBER_ASKED = re.compile(r"\b(what number|what amount|how big|how large)\b|\$\W*$")
_WHERE_ASKED = re.compile(r"\bwhere\b")
_PLACE_ASKED = re.compile(r"\b(what|which)\s+(city|town|country|state|place|location|headquarters)\b|"
                          r"\bwhich\s+\w+\s+(city|country|state)\b")  # "which US state"
_WHO_ASKED = re.compile(rf"{_LEAD}(who|whom)\b|\bwho (is|was|are|were|has|had|leads|led|owns)\b")
_NAME_ASKED = re.compile(r"\bwhat(?:'s| is| was| are| were)\s+(?:the\s+)?names?\s+of\b|"
                         rf"{_LEAD}what(?:'s| is| was| are| were)\b.*\b(called|named|dubbed|known as)\W*$|"
                         r"^\W*(the\s+)?names?\s+of\b|^\W*name\s+(the|a|an|one|two|three|all|any|every)\b")
_PLACE_NOUN = re.compile(r"\b(hq|headquarters|headquartered|located|situated)\b")
VALUE_WINDOW = 6  # words either side of a number
NAME_WINDOW = 60  # characters either side of a name, place or date


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
    if _PLACE_NOUN.search(q):  # "oracle hq"
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


def _asks_when(question: str) -> bool:
    """Whether "when" is the question word, not a conjunction inside another question ("how did they react when ...")."""
    first = _WH_WORD.search(question)
    return bool(first) and first.group(1) == "when"


def _asks_amount(question: str) -> bool:
    """Whether the question's object is an amount ("the budget"), not a topic ("what it says about profit")."""
    return any(not re.search(r"\b(about|on|regarding|of)\s+(\w+\s+)?$", question[: m.start()])
               for m in _AMOUNT_NOUN.finditer(question))


# The entity labels of spaCy's recogniser that answer each kind of question.
ENTITY_LABELS = {
    "time": frozenset({"DATE", "TIME"}),
    "place": frozenset({"GPE", "LOC", "FAC", "ORG", "ADDRESS"}),
    "name": frozenset({"PERSON", "ORG", "NORP", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE",
                       "PROPN"}),
}
# "Who ..." asks for people or a group: what the recogniser labels so, not a place or an unlabelled proper noun.
WHO_LABELS = frozenset({"PERSON", "ORG", "NORP"})
Entities = list[tuple[str, int, int]]  # (label, start, end) in a sentence's text


def has_answer_type(text: str, kind: str | None, question: str, entities: Entities, said: str = "") -> bool:
    """Whether a sentence contains the kind of thing the question asks for (a name or place that neither the
    question nor what was `said` before it names)."""
    if kind is None:
        return True
    if kind == "percent":
        return bool(re.search(r"\d\s*(%|percent)", text))
    field = FIELD.match(text)
    if kind == "number" and not field and _AMOUNT_ASKED.search(question.lower()):
        return _holds_amount(text, entities)  # "how much funding" is not answered by a count of teams
    if kind == "number":
        return bool(_NUMBER.search(text))
    if field:  # a profile field answers a where/who question only if its key says so
        if kind == "time":
            return has_date(text)
        return {"place": "location", "name": "name"}[kind] in field.group(1).lower()
    return bool(_answer_spans(text, kind, question, entities, said))


def _holds_amount(text: str, entities: Entities) -> bool:
    return bool(_AMOUNT_SIGN.search(text)) or any(
        label in _AMOUNT_LABELS or label == "TIME" and _NUMBER.search(text[a:b]) for label, a, b in entities)


def value_windows(text: str, kind: str, question: str, entities: Entities) -> list[list[str]]:
    """The words around each value of the asked kind in a sentence (a profile field: its key).

    For a number the values are numbers; for a name, place or date, the entities of that kind the question does
    not already name.
    """
    field = FIELD.match(text)
    if field:
        return [words(field.group(1))]
    if kind in ("name", "place", "time"):
        return [words(_whole_words(text, a - NAME_WINDOW, b + NAME_WINDOW))
                for a, b in _answer_spans(text, kind, question, entities)]
    tokens = words(text)
    return [tokens[max(0, i - VALUE_WINDOW) : i + VALUE_WINDOW + 1]
            for i, token in enumerate(tokens)
            if is_number(token) or _NUMBER_WORD.match(token)]


def _whole_words(text: str, start: int, end: int) -> str:
    """text[start:end], widened so that no word is cut in two."""
    start, end = max(0, start), min(len(text), end)
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return text[start:end]


def _answer_spans(text: str, kind: str, question: str, entities: Entities, said: str = "") -> list[tuple[int, int]]:
    """Where a sentence holds an entity of the asked kind (found by the recogniser at ingest) that the question
    (or what was `said` before it) does not name; for a name, also a role such as "shareholders"."""
    asked = set(words(f"{question} {said}"))
    first = _WH_WORD.search(question.lower())
    labels = WHO_LABELS if kind == "name" and first and first.group(1) in ("who", "whom") else ENTITY_LABELS[kind]
    # A time must say when or how long; a name or place must be one the question does not give.
    spans = [(a, b) for label, a, b in entities if label in labels
             and (_POINT_IN_TIME.search(text[a:b]) if kind == "time" else not _named_in(text[a:b], asked))]
    return spans


def _named_in(entity: str, asked: set[str]) -> bool:
    """Whether the question already names an entity: half its words or more ("Suleyman" is "Mustafa Suleyman",
    "Creative Commons" is "Creative Commons Corporation"); an entity it names is not the answer it asks for."""
    own = set(words(entity))
    return len(own & asked) >= len(own) / 2


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
