"""Whether a sentence holds a value of the kind a question asks for, and the words around each value."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from assistant.text import MONTH, has_date, is_number, words

if TYPE_CHECKING:
    from assistant.answer.question import Question

_NUMBER_WORDS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|dozens?|hundreds?|thousands?|millions?|billions?|trillions?"
)
_NUMBER = re.compile(rf"\d|\b({_NUMBER_WORDS})\b", re.I)
_NUMBER_WORD = re.compile(rf"^({_NUMBER_WORDS})$")
# A date or duration that says when or how long: a figure, a number word, a month or a weekday ("the end of the
# leave year" and "annually" are times too, but say neither).
_POINT_IN_TIME = re.compile(rf"\d|\b({_NUMBER_WORDS}|a|an|one)\b|{MONTH.pattern}|\b(Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b",
                            re.IGNORECASE)
FIELD = re.compile(r"^([A-Z][A-Za-z ]{1,30}): ")
# "$3.9 million", "0.3 percent", "15 kg", "4 hours": what the recogniser labels an amount, a share, a measure or a
# span of time (a time only with a figure in it: "this summer" is none).
_AMOUNT_LABELS = frozenset({"MONEY", "PERCENT", "QUANTITY"})
# An amount written with its sign or its currency, which the small recogniser does not always label ("40 euros").
_AMOUNT_SIGN = re.compile(r"[$€£¥₹]\s*\d|\d\s*(%|percent\b)|\d\s*(dollars?|euros?|pounds?|yen|yuan|francs?|rupees?|"
                          r"pesos?|cents?|pence|usd|eur|gbp|jpy|cny|chf|inr)\b", re.IGNORECASE)
VALUE_WINDOW = 6  # words either side of a number
NAME_WINDOW = 60  # characters either side of a name, place or date


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


def has_answer_type(text: str, kind: str | None, question: Question, entities: Entities) -> bool:
    """Whether a sentence contains the `kind` of thing the question asks for (a name or place that neither the
    question nor the conversation before it names)."""
    if kind is None:
        return True
    if kind == "percent":
        return bool(re.search(r"\d\s*(%|percent)", text))
    field = FIELD.match(text)
    if kind == "number" and not field and question.wants_amount:
        return _holds_amount(text, entities)  # "how much funding" is not answered by a count of teams
    if kind == "number":
        return bool(_NUMBER.search(text))
    if field:  # a profile field answers a where/who question only if its key says so
        if kind == "time":
            return has_date(text)
        return {"place": "location", "name": "name"}[kind] in field.group(1).lower()
    return bool(_answer_spans(text, kind, question, entities, question.named))


def _holds_amount(text: str, entities: Entities) -> bool:
    return bool(_AMOUNT_SIGN.search(text)) or any(
        label in _AMOUNT_LABELS or label == "TIME" and _NUMBER.search(text[a:b]) for label, a, b in entities)


def value_windows(text: str, kind: str | None, question: Question, entities: Entities) -> list[list[str]]:
    """The words around each value of the asked kind in a sentence (a profile field: its key).

    For a number the values are numbers; for a name, place or date, the entities of that kind the question does
    not already name.
    """
    field = FIELD.match(text)
    if field:
        return [words(field.group(1))]
    if kind in ("name", "place", "time"):
        return [words(_whole_words(text, a - NAME_WINDOW, b + NAME_WINDOW))
                for a, b in _answer_spans(text, kind, question, entities, question.question_words)]
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


def _answer_spans(text: str, kind: str, question: Question, entities: Entities, asked: set[str]) -> list[tuple[int, int]]:
    """Where a sentence holds an entity of the asked kind (found by the recogniser at ingest) whose words are not
    among the `asked` ones."""
    labels = WHO_LABELS if kind == "name" and question.asks_who else ENTITY_LABELS[kind]
    # A time must say when or how long; a name or place must be one the question does not give.
    spans = [(a, b) for label, a, b in entities if label in labels
             and (_POINT_IN_TIME.search(text[a:b]) if kind == "time" else not _named_in(text[a:b], asked))]
    return spans


def _named_in(entity: str, asked: set[str]) -> bool:
    """Whether the question already names an entity: half its words or more ("Lovelace" is "Ada Lovelace",
    "Creative Commons" is "Creative Commons Corporation"); an entity it names is not the answer it asks for."""
    own = set(words(entity))
    return len(own & asked) >= len(own) / 2


