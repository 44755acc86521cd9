"""Questions that compute with the entries of a record set, each value cited: the years between two entries' dates
("how many years apart were A and B founded?"), an entry's age at the document's date or a year the question
gives ("how old was A when the article came out?"), and whether a figure the question gives falls in an entry's
range ("we have 350 staff: would we be in A's band?").

An entry counts as named only by its name as the document writes it, capitals and all ("The Information" is a
profile; "the information" is not); nothing is computed from a value the document does not give.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from assistant.answer.markers import cited
from assistant.answer.records import Record, RecordSet, all_dates, date_value, named_keys, section_units
from assistant.clauses.asked import YES_NO
from assistant.index.lexicon import content_words
from assistant.index.sentences import PUBLISHED, SentenceUnit
from assistant.ingest.corpus import HEADER_SECTION
from assistant.models import Answer, Provenance, SentenceProvenance

if TYPE_CHECKING:
    from assistant.answer.question import Question
    from assistant.index.lexicon import Lexicon
    from assistant.index.search import HybridIndex

# How English asks for a span of years between two entries: "how many years apart / older / younger".
_APART = re.compile(r"\bhow\s+many\s+years\s+(?:\w+\s+)?(?:apart|older|younger|earlier|later)\b", re.IGNORECASE)
# How it asks an entry's age: "how old", "how many years old", with the entry (or "it") as the subject; a name may
# take "the" ("how old was the Guardian by then").
_ASKS_AGE = re.compile(r"\bhow\s+(?:old|many\s+years\s+old)\b", re.IGNORECASE)
_AGE_OF = (r"\bhow\s+(?:old|many\s+years\s+old)\s+(?:(?:(?:is|was|are|were|will\s+be|would\s+be)\s+)?"
           r"(?:(?:the\s+)?{name}|it|they)\b|(?:the\s+)?{name}\s+(?:is|was|will\s+be|would\s+be)\b"
           r"|(?:will|would)\s+(?:the\s+)?{name}\s+be\b)")
# A question set later than the document ("how old will it be ...") is not answered at the document's date.
_FUTURE = re.compile(r"\b(?:will|'ll|shall|going\s+to)\b", re.IGNORECASE)
# Asking whether a figure belongs to a range ("same band as", "fall within"), not how it compares to one bound.
_BELONGS = re.compile(r"\b(?:same|within|inside|outside|band|bracket|range|tier)\b|\b(?:fall|falls|land|lands|sit|sits|"
                      r"fit|fits|belong|belongs)\s+(?:in|into|within|to)\b", re.IGNORECASE)
_COMPARES_TO_A_BOUND = re.compile(r"\b(?:more|fewer|less|greater|over|under|above|below|at\s+least|at\s+most|exactly)\b",
                                  re.IGNORECASE)
_RANGE = re.compile(r"^\s*(\d[\d,]*)\s*(?:[-–]\s*(\d[\d,]*)|(\+))(?:\s+[A-Za-z][A-Za-z ]*)?\s*$")
_FIGURE = re.compile(r"(?<![\w.,-])(\d[\d,]*)(?![\w.,-]*\d)")
# A year the question sets its case in: after a preposition ("in 2020", "by 2030"), not a count ("2000 staff").
_YEAR_GIVEN = re.compile(r"\b(?:in|by|until|till|as\s+of|during)\s+(1[5-9]\d{2}|20\d{2})\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(1[5-9]\d{2}|20\d{2})\b")
_WHEN = re.compile(r"\bwhen\b", re.IGNORECASE)


def may_compute(question: str) -> bool:
    """Whether a question may compute with records: it asks for years, or is a yes/no question with a figure."""
    return bool(_APART.search(question) or _ASKS_AGE.search(question) or
                (_is_yes_no(question) and _FIGURE.search(question)))


def _is_yes_no(question: str) -> bool:
    """Whether one of the question's asking parts (up to a question mark, after a stop, colon or semicolon)
    opens with an auxiliary verb."""
    return any(YES_NO.match(s) for s in re.split(r"(?<=[.!?:;])\s+", question.strip()) if s.endswith("?"))


def compute_with_records(question: Question, sets: list[RecordSet], index: HybridIndex,
                         lexicon: Lexicon) -> Answer | None:
    """The answer computed from the records the question names, or None when it names none to compute with."""
    text = question.question
    for record_set in sets:
        named = _named(text, record_set)
        if not named:
            continue
        if _APART.search(text) or _ASKS_AGE.search(text):
            key = _date_key(text, record_set, lexicon)
            dated = [r for r in named if key in r.values and date_value(r.values[key]) is not None]
            if key is None or len(dated) != len(named):
                continue
            if len(named) == 2 and _APART.search(text):
                return _years_apart(question, key, dated)
            if len(named) == 1 and re.search(_AGE_OF.format(name=re.escape(named[0].name)), text, re.IGNORECASE):
                return _age(question, key, named[0], _dateline(index, record_set.source))
        elif len(named) == 1 and _is_yes_no(text) and _BELONGS.search(text) and not _COMPARES_TO_A_BOUND.search(text):
            return _within_range(question, record_set, named[0], lexicon)
    return None


def _named(text: str, record_set: RecordSet) -> list[Record]:
    """The set's entries whose names the question writes, longest names first, each word of the question once."""
    found, taken = [], set()
    for record in sorted(record_set.records, key=lambda r: -len(r.name)):
        for match in re.finditer(rf"(?<!\w){re.escape(record.name)}(?!\w)", text):
            if not taken & set(range(*match.span())):
                taken |= set(range(*match.span()))
                found.append(record)
                break
    return found


def _date_key(text: str, record_set: RecordSet, lexicon: Lexicon) -> str | None:
    """The set's date field the question names, else its only one."""
    dated = [k for k in record_set.keys() if all_dates(record_set, k)]
    named = [k for k in named_keys(content_words(text), record_set, lexicon) if k in dated]
    chosen = named or dated
    return chosen[0] if len(chosen) == 1 else None


def _when(value: str) -> date:
    return date.fromordinal(int(date_value(value)))


def _years_between(earlier: str, later: str) -> int:
    """Whole years from one value to another: by the calendar year when either gives only a year ("1888"), else
    by the dates ("2019-12-31" to "2020-01-01" is 0)."""
    if _YEAR.fullmatch(earlier.strip()) or _YEAR.fullmatch(later.strip()):
        return _when(later).year - _when(earlier).year
    from dateutil.relativedelta import relativedelta

    return relativedelta(_when(later), _when(earlier)).years


def _years(n: int) -> str:
    return f"{n} year" if n == 1 else f"{n} years"


def _years_apart(question: Question, key: str, dated: list[Record]) -> Answer:
    first, second = sorted(dated, key=lambda r: date_value(r.values[key]))
    years = _years_between(first.values[key], second.values[key])
    span = (f"{_years(years)} apart, {first.name} the earlier" if date_value(first.values[key]) <
            date_value(second.values[key]) else "the same date")
    sentence = (f"{first.name} gives {key} {first.values[key]} [1] and {second.name} {second.values[key]} [2]: "
                f"{span}.")
    return _answer(question, [sentence], [first.fields[key], second.fields[key]])


def _age(question: Question, key: str, record: Record, dateline: SentenceUnit | None) -> Answer | None:
    """The years from an entry's date to a year the question gives ("in 2020"), or else to the document's own
    date, which the answer states ("how old was it when this article came out?", "how old is it?"); nothing for a
    year before the entry's, or for a time the question names otherwise ("when it had 2000 employees")."""
    start = _when(record.values[key]).year
    given = [int(y) for y in _YEAR_GIVEN.findall(question.question)]
    if len(given) > 1 or given and given[0] < start:
        return None
    if given:
        sentence = f"{record.name} gives {key} {record.values[key]} [1]: {_years(given[0] - start)} by {given[0]}."
        return _answer(question, [sentence], [record.fields[key]])
    year = _YEAR.search(dateline.text) if dateline is not None else None
    if year is None or _FUTURE.search(question.question) or int(year.group(1)) < start:
        return None
    if _WHEN.search(question.question) and not question.mentions_document:
        return None  # "when it had 2000 employees": a time the document's date does not give
    sentence = (f"{record.name} gives {key} {record.values[key]} [1] and the document is dated {dateline.text} "
                f"[2]: {_years(_years_between(record.values[key], year.group(1)))} by then.")
    return _answer(question, [sentence], [record.fields[key], dateline])


def _within_range(question: Question, record_set: RecordSet, record: Record, lexicon: Lexicon) -> Answer | None:
    """Whether the one figure the question gives falls in the range of the entry's field it names ("201-500",
    "10,001+")."""
    ranges = {k: _RANGE.match(v) for k, v in record.values.items() if _RANGE.match(v)}
    keys = [k for k in named_keys(content_words(question.question), record_set, lexicon) if k in ranges]
    in_years = {m.start(1) for m in _YEAR_GIVEN.finditer(question.question)}
    figures = [m.group(1) for m in _FIGURE.finditer(question.question) if m.start(1) not in in_years]
    if len(keys) != 1 or len(figures) != 1:
        return None
    key = keys[0]
    low, high, open_ended = ranges[key].groups()
    figure = int(figures[0].replace(",", ""))
    inside = int(low.replace(",", "")) <= figure and (open_ended or figure <= int(high.replace(",", "")))
    sentence = (f"{'Yes' if inside else 'No'}: {record.name} gives {key} {record.values[key]} [1], and {figures[0]} "
                f"is {'within' if inside else 'outside'} it.")
    return _answer(question, [sentence], [record.fields[key]])


def _dateline(index: HybridIndex, source: str) -> SentenceUnit | None:
    """The line of a document's header that dates it ("January 24, 2025, 4:42 am")."""
    header = section_units(index, {source}, {HEADER_SECTION}).get((source, HEADER_SECTION), [])
    return next((unit for unit in header if unit.context == PUBLISHED), None)


def _answer(question: Question, sentences: list[str], units: list[SentenceUnit]) -> Answer:
    return Answer(question=question.text, text=" ".join(sentences),
                  citations=[unit.citation(n) for n, unit in enumerate(units, start=1)],
                  provenance=Provenance(backend="extractive", sentences=[
                      SentenceProvenance(text=s, origin="document", citations=cited(s)) for s in sentences]))
