"""Whether a sentence holds a value of the kind a question asks for, and the words around each value."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.text import has_date, is_number, word_spans, words

if TYPE_CHECKING:
    from assistant.answer.question import Question

_NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten dozen dozens hundred hundreds thousand thousands million "
    "millions billion billions trillion trillions".split())
# A date or duration that says when or how long: a figure, a number word, a month or a weekday ("the end of the
# leave year" and "annually" are times too, but say neither).
_WHEN_WORDS = _NUMBER_WORDS | {"a", "an"} | frozenset(
    "january february march april may june july august september october november december monday tuesday "
    "wednesday thursday friday saturday sunday".split())
# "$3.9 million", "0.3 percent", "15 kg", "4 hours": what the recogniser labels an amount, a share, a measure or a
# span of time (a time only with a figure in it: "this summer" is none).
_AMOUNT_LABELS = frozenset({"MONEY", "PERCENT", "QUANTITY"})
# An amount written with its sign or its currency, which the small recogniser does not always label ("40 euros").
_CURRENCY_SIGNS = "$€£¥₹"
_SCALE_WORDS = frozenset({"thousand", "million", "billion", "trillion", "bn"})
_CURRENCY_WORDS = frozenset(
    "dollar dollars euro euros pound pounds yen yuan franc francs rupee rupees peso pesos cent cents pence usd eur "
    "gbp jpy cny chf inr".split())


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
        return any(_after_figure(text, at) for at in _occurrences(text, ("%", "percent")))
    field = field_key_of(text)
    if kind == "number" and field is None and question.wants_amount:
        return _holds_amount(text, entities)  # "how much funding" is not answered by a count of teams
    if kind == "number":
        return _holds_count(text, entities)
    if field is not None:  # a profile field answers a where/who question only if its key says so
        if kind == "time":
            return has_date(text)
        return {"place": "location", "name": "name"}[kind] in field.lower()
    return bool(_answer_spans(text, kind, question, entities, question.named))


def field_key_of(text: str) -> str | None:
    """The key of a sentence written as a `Key: value` field ("Founded date: 2015"), or None."""
    key, colon, _ = text.partition(": ")
    if not colon or not 2 <= len(key) <= 31 or not ("A" <= key[0] <= "Z"):
        return None
    return key if all(ch == " " or ch.isascii() and ch.isalpha() for ch in key[1:]) else None


def holds_number(text: str) -> bool:
    """Whether a text holds a figure or a number word."""
    return any(ch.isdigit() for ch in text) or bool(_NUMBER_WORDS & {w for w, _, _ in word_spans(text)})


def _holds_count(text: str, entities: Entities) -> bool:
    """Whether a text holds a number that is not part of a calendar date or a clock time ("January 24, 2025",
    "4:42 am"): a count is not answered by a date line. A span of time ("30 days") is a count."""
    dated = [(a, b) for label, a, b in entities if label in ENTITY_LABELS["time"]
             and (has_date(text[a:b]) or ":" in text[a:b])]
    if not dated:
        return holds_number(text)
    undated, at = [], 0
    for a, b in sorted(dated):
        undated.append(text[at:a])
        at = max(at, b)
    undated.append(text[at:])
    return holds_number(" ".join(undated))


def _holds_amount(text: str, entities: Entities) -> bool:
    return _written_amount(text) or any(
        label in _AMOUNT_LABELS or label == "TIME" and holds_number(text[a:b]) for label, a, b in entities)


def _written_amount(text: str) -> bool:
    """An amount written with its sign, its currency or its scale: "$3.9", "40 euros", "12 %", "3 percent",
    "4.8 million euros", "3.1 million"."""
    for at, ch in enumerate(text):
        if ch in _CURRENCY_SIGNS and text[at + 1 :].lstrip()[:1].isdigit():
            return True
        if ch == "%" and _after_figure(text, at):
            return True
    return any((w in _CURRENCY_WORDS or w in _SCALE_WORDS or w == "percent") and _after_figure(text, start)
               or w[:1].isdigit() and w.lstrip("0123456789") in _CURRENCY_WORDS | {"percent"} for w, start, _ in word_spans(text))


def _after_figure(text: str, at: int) -> bool:
    """Whether a figure stands right before position `at`, spaces aside."""
    return text[:at].rstrip()[-1:].isdigit()


def _occurrences(text: str, needles: tuple[str, ...]) -> list[int]:
    """Where each needle occurs in a text."""
    found = []
    for needle in needles:
        at = text.find(needle)
        while at >= 0:
            found.append(at)
            at = text.find(needle, at + 1)
    return found


def value_windows(text: str, kind: str | None, question: Question, entities: Entities, *, words_around: int,
                  chars_around: int) -> list[list[str]]:
    """The words around each value of the asked kind in a sentence (a profile field: its key).

    For a number the values are numbers; for a name, place or date, the entities of that kind the question does
    not already name.
    """
    field = field_key_of(text)
    if field is not None:
        return [words(field)]
    if kind in ("name", "place", "time"):
        return [words(_whole_words(text, a - chars_around, b + chars_around))
                for a, b in _answer_spans(text, kind, question, entities, question.question_words)]
    tokens = words(text)
    return [tokens[max(0, i - words_around) : i + words_around + 1]
            for i, token in enumerate(tokens)
            if is_number(token) or token in _NUMBER_WORDS]


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
             and (_says_when(text[a:b]) if kind == "time" else not _named_in(text[a:b], asked))]
    return spans


def _says_when(entity: str) -> bool:
    """Whether a time says when or how long: a figure, a number word, a month or a weekday."""
    return any(ch.isdigit() for ch in entity) or bool(_WHEN_WORDS & {w for w, _, _ in word_spans(entity)})


def _named_in(entity: str, asked: set[str]) -> bool:
    """Whether the question already names an entity: half its words or more ("Lovelace" is "Ada Lovelace",
    "Creative Commons" is "Creative Commons Corporation"); an entity it names is not the answer it asks for."""
    own = set(words(entity))
    return len(own & asked) >= len(own) / 2


