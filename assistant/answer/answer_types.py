"""What a question asks for, read from its words: the kind of answer (a time, a number, a place, a name), whether it
asks for an explanation, where in the text it points, the time it asks about, and the words that only say how to
answer. Every check reads the question's tokens (lower-cased runs of word characters) once."""

from __future__ import annotations

import re

from assistant.text import word_spans

_WH = frozenset({"what", "which", "who", "whom", "whose", "when", "where", "why", "how"})
# "what's the maximum number of", "which is the total amount of": a count or an amount is asked for.
NUMBER_OF = re.compile(r"\b(?:what|which)(?:'s|\s+is|\s+are|\s+was)?\s+(?:the\s+)?(?:[a-z]+\s+)?(?:number|amount)\s+of\b",
                       re.IGNORECASE)
_LEAD = frozenset({"and", "but", "so", "then", "also", "ok", "okay"})  # how a follow-up may open
_BE = frozenset({"s", "is", "was", "are", "were"})  # "what's" is "what" and "s"
_TIME_NOUNS = frozenset({"year", "date", "day", "month", "time", "hour"})
_PLACE_NOUNS = frozenset({"city", "town", "country", "state", "place", "location", "headquarters"})
_PLACE_WORDS = frozenset({"hq", "headquarters", "headquartered", "located", "situated"})  # "acme hq"
# "What is the project's budget?", "How is it defined in dollar terms?": nouns that can only be answered by an amount.
_AMOUNT_NOUNS = frozenset({"budget", "price", "valuation", "revenue", "revenues", "profit", "profits", "salary",
                           "salaries", "fee", "fees", "headcount", "capex", "spending", "worth"})
_AMOUNT_PHRASES = (("dollar", "terms"), ("in", "dollars"))
_TOPIC_MARKERS = frozenset({"about", "on", "regarding", "of"})  # "what it says about profit": a topic, not an amount
# "Which companies ...", "what news outlet ...": the answer is a name.
_ENTITY_NOUNS = frozenset(
    "company companies firm firms organisation organisations organization organizations outlet outlets publication "
    "publications newspaper newspapers people person persons individual individuals executive executives investor "
    "investors shareholder shareholders backer backers partner partners provider providers vendor vendors competitor "
    "competitors rival rivals".split())
_AUXILIARIES = frozenset({"did", "does", "do", "is", "are", "was", "were", "has", "have", "had", "made", "makes",
                          "will", "would", "can", "could"})
# "What's the downside of ...": the answer explains, as a why-question's does.
_EXPLANATION_NOUNS = frozenset(
    "drawback drawbacks downside downsides upside upsides risk risks benefit benefits advantage advantages "
    "disadvantage disadvantages impact impacts effect effects consequence consequences implication implications "
    "reason reasons problem problems catch tradeoff tradeoffs point".split())
# "Explain the first refusal thing", "what does that clause mean?": an explanation is asked for.
_EXPLAIN_VERBS = frozenset({"explain", "describe", "clarify", "elaborate", "unpack"})
_EXPLAIN_PHRASES = (("walk", "me", "through"), ("break", "down"))
_MEANING_VERBS = frozenset({"mean", "entail", "involve"})
# Where in the text: "what does the article open with", "in its conclusion", "how does the piece wrap up".
_TEXT_NOUNS = frozenset({"article", "piece", "story", "text", "report", "writer", "author"})
_EDGES = {
    "opening": {
        "verbs": frozenset({"open", "opens", "opened", "begin", "begins", "began", "start", "starts", "started",
                           "lead", "leads"}),
        "places": frozenset({"opening", "beginning", "start", "intro", "introduction", "lede", "lead"}),
        "ordinal": frozenset({"first"}),
        "adjectives": frozenset({"opening", "first"}),
        "names": frozenset({"intro", "introduction", "lede"}),
    },
    "closing": {
        "verbs": frozenset({"end", "ends", "ended", "close", "closes", "closed", "conclude", "concludes", "concluded",
                           "finish", "finishes", "wrap", "wraps"}),
        "places": frozenset({"end", "ending", "close", "conclusion"}),
        "ordinal": frozenset({"last"}),
        "adjectives": frozenset({"closing", "final", "last", "concluding"}),
        "names": frozenset({"conclusion", "outro", "ending"}),
    },
}
_PARTS = frozenset({"paragraph", "line", "sentence"})
_EDGE_PARTS = frozenset({"line", "lines", "sentence", "paragraph", "image", "words"})
_CLOSING_PARTS = _EDGE_PARTS | {"thought", "thoughts"}
_PAST_WORDS = frozenset({"previous", "previously", "before", "formerly", "former", "originally", "once", "earlier",
                         "initially", "prior"})
_PAST_PHRASES = (("used", "to"), ("in", "the", "past"), ("had", "been"), ("back", "then"), ("at", "first"))
_OWNERS = frozenset({"the", "its", "their", "his", "her"})  # "its old partner"
_PRESENT_WORDS = frozenset({"now", "currently", "today", "anymore", "remain", "remains", "still", "nowadays"})
_PRESENT_PHRASES = (("these", "days"), ("no", "longer"))
# Words that ask about the form of the answer, not its content: "in plain English", "in a nutshell", "briefly".
_PLAIN = frozenset({"plain", "simple", "simpler", "layman", "laymans", "everyday", "basic"})
_LANGUAGE = frozenset({"english", "terms", "words", "language"})
_IN_FORMS = (("english",), ("a", "nutshell"), ("short",), ("brief",), ("one", "sentence"), ("a", "sentence"),
             ("a", "few", "words"), ("your", "own", "words"))
_FORM_FOLLOWERS = _WH - {"whom", "whose"} | {"does", "do", "is", "are", "please"}
_MANNER = frozenset({"briefly", "simply", "quickly", "roughly"})
_MANNER_FOLLOWERS = frozenset({"explain", "describe", "summarise", "summarize", "put", "tell", "say"})
_AUDIENCES = (("a", "beginner"), ("beginners",), ("a", "layperson"), ("dummies",))
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
    "green lit": "approved", "greenlit": "approved", "okayed": "approved", "ok d": "approved",
}
_PHRASAL_TOKENS = sorted(((tuple(k.split()), v) for k, v in _PHRASAL.items()), key=lambda kv: -len(kv[0]))


class _Tokens:
    """A text's lower-cased word tokens with their offsets."""

    def __init__(self, text: str):
        self.text = text
        spans = word_spans(text)
        self.words = [w for w, _, _ in spans]
        self.starts = [a for _, a, _ in spans]
        self.ends = [b for _, _, b in spans]

    def at(self, i: int, options) -> bool:
        """Whether the token at `i` is one of `options`."""
        return 0 <= i < len(self.words) and self.words[i] in options

    def has(self, phrase: tuple[str, ...], i: int) -> bool:
        """Whether `phrase` starts at token `i`."""
        return tuple(self.words[i : i + len(phrase)]) == phrase

    def find(self, phrase: tuple[str, ...]) -> bool:
        """Whether `phrase` occurs anywhere."""
        return any(self.has(phrase, i) for i in range(len(self.words)))

    def first(self, options) -> str | None:
        return next((w for w in self.words if w in options), None)

    def opening(self) -> int:
        """Where the question proper starts, after a follow-up's "and", "but", "ok"."""
        return 1 if self.at(0, _LEAD) else 0


def first_wh_word(question: str) -> str | None:
    """The question's first question word ("what", "who", ...), if it has one."""
    return _Tokens(question).first(_WH)


def asks_amount(question: str) -> bool:
    """Whether it asks "how much": an amount answers it, not a count."""
    return _Tokens(question).find(("how", "much"))


def expected_answer_type(question: str) -> str | None:
    """'percent', 'time', 'number', 'place', 'name' or None."""
    t = _Tokens(question)
    w = t.words
    if {"percent", "percentage"} & set(w) or "%" in question:
        return "percent"
    wh = t.first(_WH)
    # "... expiry year?", "article pub date?": a question typed as keywords ends on the kind it wants.
    keywords = wh is None and t.at(len(w) - 1, {"year", "date"})
    if wh == "when" or keywords or _asks_date(t):
        return "time"
    if _asks_number(t) or _asks_amount(t):
        return "number"
    if "where" in w or _asks_place(t):
        return "place"
    if _asks_who(t) or _asks_name(t) or _asks_entity(t):
        return "name"
    if _PLACE_WORDS & set(w):
        return "place"
    return None


def _asks_date(t: _Tokens) -> bool:
    """"until when", "since when", "what year", "which day of the month"."""
    if t.find(("until", "when")) or t.find(("since", "when")):
        return True
    return any(t.words[i] in ("what", "which") and (t.at(i + 1, _TIME_NOUNS) or t.at(i + 2, _TIME_NOUNS))
               for i in range(len(t.words)))


def _asks_number(t: _Tokens) -> bool:
    """"how many", "how much", "what number", "what's the maximum number of", "how big", or a question ending on a
    dollar sign."""
    pairs = (("how", "much"), ("how", "many"), ("what", "number"), ("what", "amount"), ("how", "big"), ("how", "large"))
    tail = t.text[t.ends[-1]:] if t.words else t.text
    return any(t.find(p) for p in pairs) or "$" in tail or bool(NUMBER_OF.search(t.text))


def _asks_amount(t: _Tokens) -> bool:
    """Whether the question's object is an amount ("the budget"), not a topic ("what it says about profit")."""
    for i, word in enumerate(t.words):
        phrase = next((p for p in _AMOUNT_PHRASES if t.has(p, i)), None)
        if word not in _AMOUNT_NOUNS and phrase is None:
            continue
        end = t.ends[i + len(phrase) - 1] if phrase else t.ends[i]
        if t.text[end : end + 1] in ("-", "‐"):  # "revenue-sharing agreements" are agreements
            continue
        if not (t.at(i - 1, _TOPIC_MARKERS) or t.at(i - 2, _TOPIC_MARKERS)):
            return True
    return False


def _asks_place(t: _Tokens) -> bool:
    """"which city", "what location", "which US state"."""
    w = t.words
    return any(w[i] in ("what", "which") and t.at(i + 1, _PLACE_NOUNS)
               or w[i] == "which" and t.at(i + 2, {"city", "country", "state"}) for i in range(len(w)))


def _asks_who(t: _Tokens) -> bool:
    """"Who ...", "and whom ...", "... who is/leads/owns ..."."""
    if t.at(t.opening(), {"who", "whom"}):
        return True
    verbs = {"is", "was", "are", "were", "has", "had", "leads", "led", "owns"}
    return any(w == "who" and t.at(i + 1, verbs) for i, w in enumerate(t.words))


def _asks_name(t: _Tokens) -> bool:
    """"What is the name of ...", "what is it called", "names of ...", "name the three ..."."""
    w = t.words
    for i, word in enumerate(w):
        if word == "what" and t.at(i + 1, _BE):
            at = i + 3 if t.at(i + 2, {"the"}) else i + 2
            if t.at(at, {"name", "names"}) and t.at(at + 1, {"of"}):
                return True
    start = t.opening()
    if t.at(start, {"what"}) and t.at(start + 1, _BE) and len(w) > start + 2 and (
            w[-1] in ("called", "named", "dubbed") or w[-2:] == ["known", "as"]):
        return True
    lead = 1 if t.at(0, {"the"}) else 0
    if t.at(lead, {"name", "names"}) and t.at(lead + 1, {"of"}):
        return True
    return t.at(0, {"name"}) and t.at(1, {"the", "a", "an", "one", "two", "three", "all", "any", "every"})


def _asks_entity(t: _Tokens) -> bool:
    """"Which companies ...", "what news outlet ...", "which of the partners ..."."""
    w = t.words
    for i, word in enumerate(w):
        if word not in ("which", "what") or t.at(i + 1, _AUXILIARIES) or i + 1 >= len(w):
            continue
        at = i + 1
        if t.at(at, {"other", "two", "three"}):
            at += 1
        elif t.has(("of", "the"), at):
            at += 2
        if t.at(at, _ENTITY_NOUNS) or t.at(at + 1, _ENTITY_NOUNS):
            return True
    return False


def asks_why_or_how(question: str) -> bool:
    """Whether the question asks for a reason, a manner or a consequence ("why ...", "how did ...", "what's the
    downside of ..."), not a value."""
    if expected_answer_type(question) is not None:
        return False
    t = _Tokens(question)
    if _asks_explanation(t):
        return True
    wh = t.first(_WH)
    return wh in ("why", "how") or wh is not None and _names_explanation(t)


def _asks_explanation(t: _Tokens) -> bool:
    """"Explain ...", "could you walk me through ...", "what does X mean", "what is meant by"."""
    w = t.words
    at = 2 if t.at(0, {"can", "could", "would"}) and t.at(1, {"you"}) else 1 if t.at(0, {"please"}) else 0
    if t.at(at, _EXPLAIN_VERBS) or any(t.has(p, at) for p in _EXPLAIN_PHRASES):
        return True
    for i, word in enumerate(w):
        if word == "what" and t.at(i + 1, {"does", "do", "did"}) and _MEANING_VERBS & set(w[i + 3 :]):
            return True
    return t.find(("what", "is", "meant", "by"))


def _names_explanation(t: _Tokens) -> bool:
    """"What's the downside of ...", "what would be the catch", "what are the trade-offs"."""
    w = t.words
    for i, word in enumerate(w):
        if word != "what":
            continue
        at = i + 1
        if t.at(at, {"would", "could"}) and t.at(at + 1, {"be"}):
            at += 2
        elif t.at(at, _BE | {"are"}):
            at += 1
        else:
            continue
        if t.at(at, {"the"}):
            at += 1
        for j in (at, at + 1):
            if t.at(j, _EXPLANATION_NOUNS) or t.at(j, {"trade"}) and t.at(j + 1, {"off", "offs"}):
                return True
    return False


def asked_position(question: str) -> str | None:
    """'opening' or 'closing' when the question asks how the text begins or ends ("in its opening", "wrap up")."""
    t = _Tokens(question)
    for edge in ("opening", "closing"):
        if _points_at(t, edge):
            return edge
    return None


def _points_at(t: _Tokens, edge: str) -> bool:
    words = _EDGES[edge]
    parts = _EDGE_PARTS if edge == "opening" else _CLOSING_PARTS
    for i, word in enumerate(t.words):
        if word in _TEXT_NOUNS and (t.at(i + 1, words["verbs"]) or t.at(i + 2, words["verbs"])):
            return True  # "the article opens", "the piece then wraps"
        if word in ("in", "at") and t.at(i + 1, {"the", "its"}) and (
                t.at(i + 2, words["places"]) or t.at(i + 2, words["ordinal"]) and t.at(i + 3, _PARTS)):
            return True  # "in its conclusion", "at the first paragraph"
        if word in words["adjectives"] and t.at(i + 1, parts):
            return True  # "the opening line", "its final thoughts"
        if word in words["names"] and (t.at(i - 1, {"the", "its"}) or t.at(i - 1, {"s"}) and t.at(i - 2, {"article", "piece"})):
            return True  # "the intro", "the article's ending"
    return False


def time_frame(text: str) -> str | None:
    """'past' or 'present' when a text marks when it speaks of ("previously", "once" / "now", "no longer")."""
    t = _Tokens(text)
    present_words = set(t.words)
    past = bool(_PAST_WORDS & present_words) or any(t.find(p) for p in _PAST_PHRASES) or any(
        w == "old" and t.at(i - 1, _OWNERS) for i, w in enumerate(t.words))
    present = bool(_PRESENT_WORDS & present_words) or any(t.find(p) for p in _PRESENT_PHRASES)
    return None if past == present else ("past" if past else "present")


def without_form_phrases(question: str) -> str:
    """The question without the words that ask how to answer ("in plain English, what ..." -> "what ...")."""
    t = _Tokens(question)
    cut: list[tuple[int, int]] = []
    i = 0
    while i < len(t.words):
        length = _form_phrase(t, i)
        if length:
            cut.append((t.starts[i], t.ends[i + length - 1]))
            i += length
        else:
            i += 1
    if not cut:
        return question
    kept, at = [], 0
    for start, end in cut:
        kept.append(question[at:start])
        at = end
    kept.append(question[at:])
    stripped = " ".join(" ".join(kept).split())
    for mark in ",?.!":
        stripped = stripped.replace(f" {mark}", mark)
    for mark in "?.!":
        while f",{mark}" in stripped:
            stripped = stripped.replace(f",{mark}", mark)
    stripped = stripped.strip(" ,")
    return stripped or question


def _form_phrase(t: _Tokens, i: int) -> int:
    """How many tokens from `i` ask only how to answer ("in plain English", "briefly", "for beginners"); 0 if none."""
    w = t.words
    if w[i] == "in":
        at = i + 1
        if t.at(at, _PLAIN):
            at += 2 if t.at(at + 1, {"s"}) else 1  # "layman's"
            length = at + 1 - i if t.at(at, _LANGUAGE) else 0
        else:
            form = next((f for f in _IN_FORMS if t.has(f, at)), None)
            length = 1 + len(form) if form else 0
        if length and _ends_clause(t, i + length - 1, ",?.!", _FORM_FOLLOWERS):
            return length
        return 0
    if w[i] in _MANNER and _ends_clause(t, i, ",?", _MANNER_FOLLOWERS, at_end=False):
        return 1
    if w[i] == "for":
        audience = next((a for a in _AUDIENCES if t.has(a, i + 1)), None)
        return 1 + len(audience) if audience else 0
    return 0


def _ends_clause(t: _Tokens, last: int, marks: str, followers: frozenset[str], at_end: bool = True) -> bool:
    """Whether token `last` is followed by one of `marks` (after spaces only), by the end of the text (`at_end`),
    or by spaces and one of `followers`."""
    rest = t.text[t.ends[last]:]
    after = rest.lstrip()
    if not after:
        return at_end
    if after[0] in marks:
        return True
    return after != rest and t.at(last + 1, followers) and t.starts[last + 1] == len(t.text) - len(after)


def plain_verbs(question: str) -> list[str]:
    """The one-word equivalents of the question's phrasal verbs ("make sure" -> "ensure")."""
    t = _Tokens(question)
    found, i = [], 0
    while i < len(t.words):
        match = next(((p, v) for p, v in _PHRASAL_TOKENS if t.has(p, i)), None)
        if match:
            found.append(match[1])
            i += len(match[0])
        else:
            i += 1
    return found
