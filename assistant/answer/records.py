"""Questions that compare the entries of a record set: "which of the profiles is the oldest?", "which option has
the longest default?".

No single sentence answers a comparison. A record set is a run of `Key: value` records (each named by the line
above its fields) or a Markdown table (each row named by its first cell, its fields by the header). The field a
question compares is the one it names (or, for "oldest"/"newest", the one field whose values are dates); every
entry's value is read as a number or a date, the extreme one is named, and every compared value is cited.

A superlative is found by spaCy's tagger (JJS, RBS), not by a word list; which end of the scale it wants is the
one short map of English below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from assistant.ingest.corpus import FRONT_MATTER_SECTION, HEADER_SECTION, PROFILE_PREFIX
from assistant.index.lexicon import content_words
from assistant.answer.markers import cited
from assistant.models import Answer, Provenance, SentenceProvenance
from assistant.ingest.segmentation import FIELD, ITEM, ROW, field_key, fold, table_cells
from assistant.index.sentences import SentenceUnit, sentence_units
from assistant.text import FUNCTION_WORDS, stem, word_spans, words

if TYPE_CHECKING:
    from assistant.index.lexicon import Lexicon
    from assistant.index.search import HybridIndex

# Superlatives that want the low end of a scale of amounts; any other wants the high end.
_LOW = frozenset({"least", "fewest", "smallest", "lowest", "shortest", "cheapest", "youngest", "lightest", "slowest",
                  "minimum", "narrowest", "weakest", "worst"})
# On a scale of dates: the earliest end, and the latest ("most recent").
_EARLY = frozenset({"oldest", "earliest", "first"})
_LATE = frozenset({"newest", "latest", "youngest", "recent", "last"})
_SUPERLATIVE_TAGS = frozenset({"JJS", "RBS"})
_MAY_BE_SUPERLATIVE = frozenset({"most", "least", "best", "worst"})  # and words in -est: the tagger decides
_NOUN_TAGS = frozenset({"NN", "NNS"})
_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "b": 1e9, "bn": 1e9, "billion": 1e9,
          "t": 1e12, "trillion": 1e12}
_AMOUNT = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(k|m|bn|b|t|thousand|million|billion|trillion)?\b", re.IGNORECASE)
MAX_SHOWN = 4  # entries an answer names and cites: the extreme ones and the nearest after them


@dataclass(frozen=True)
class Superlative:
    """The superlative a question asks by, and the noun right after it, if any ("most employees")."""

    word: str
    noun: str | None
    low: bool  # wants the low end of amounts
    temporal: str | None  # "early" or "late" on a scale of dates


@dataclass
class Record:
    """One entry of a record set: its name and its fields (key -> the unit that gives it)."""

    name: str
    fields: dict[str, SentenceUnit] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)  # key -> the value as the document gives it


@dataclass
class RecordSet:
    """Records read together: the profiles of one document, or the rows of one table."""

    source: str
    noun: str  # what its entries are called in an answer ("profiles", "rows")
    words: set[str]  # the stems that name the set (its section names, the table's heading and header)
    records: list[Record] = field(default_factory=list)

    def keys(self) -> list[str]:
        return sorted({key for r in self.records for key in r.fields})


def may_compare(question: str) -> bool:
    """Whether a question may hold a superlative ("oldest", "most"): only then are the tagger and the record sets
    read (spaCy costs a second and a half to load)."""
    return any(w in _MAY_BE_SUPERLATIVE or len(w) >= 5 and w.endswith("est") for w, _, _ in word_spans(question))


def asked_superlative(question: str) -> Superlative | None:
    """The superlative of a which/what/who question, by the tagger; None when it has none."""
    if not may_compare(question):
        return None
    from assistant.ingest.entities import tagged

    tokens = tagged(question)
    if not any(t.lower() in ("which", "what", "who") for t, _ in tokens):
        return None
    for i, (token, tag) in enumerate(tokens):
        word = token.lower()
        if tag not in _SUPERLATIVE_TAGS:
            continue
        following = tokens[i + 1][0].lower() if i + 1 < len(tokens) else ""
        following = following.removesuffix("ly") if following.endswith("ly") else following
        if word in ("most", "least") and following in _LATE | _EARLY:
            word = following  # "most recent", "most recently"
        noun = next((t.lower() for t, tg in tokens[i + 1 : i + 3] if tg in _NOUN_TAGS), None)
        temporal = "early" if word in _EARLY else "late" if word in _LATE else None
        return Superlative(word, noun, word in _LOW, temporal)
    return None


def section_units(index: HybridIndex, sources: set[str],
                  sections: set[str] | None = None) -> dict[tuple[str, str], list[SentenceUnit]]:
    """The sentence units of these documents by (source, section), in text order, each line once; only the named
    sections when `sections` is given."""
    by_section: dict[tuple[str, str], dict[int, SentenceUnit]] = {}
    for position, (source, section) in enumerate(zip(index.metas.column("source"), index.metas.column("section"))):
        section = str(section or "")
        if source in sources and (sections is None or section in sections):
            units = by_section.setdefault((source, section), {})
            for unit in sentence_units(index.passage(position, 0.0)):
                units.setdefault(unit.start, unit)  # chunks overlap: each line once
    return {where: [found[start] for start in sorted(found)] for where, found in by_section.items()}


def read_record_sets(index: HybridIndex, sources: set[str]) -> list[RecordSet]:
    """The record sets of these documents: each one's `Key: value` profiles, Markdown tables, and lists of dated
    entries ("* January 2019: PEP 8100")."""
    out: list[RecordSet] = []
    profiles: dict[str, RecordSet] = {}
    for (source, section), units in section_units(index, sources).items():
        if section.startswith(PROFILE_PREFIX):
            record_set = profiles.setdefault(source, RecordSet(source, "profiles", _naming(PROFILE_PREFIX)))
            record = _record(record_set, section.removeprefix(PROFILE_PREFIX))
            for unit in units:
                if unit.is_field:
                    key = field_key(unit.text)
                    record.fields[key], record.values[key] = unit, unit.text.partition(":")[2].strip()
            continue
        out += _tables(source, [u for u in units if u.kind == ROW])
        if section not in (FRONT_MATTER_SECTION, HEADER_SECTION):  # a document's own date is not an entry
            out += _dated_lists(source, section, units)
    out += profiles.values()
    return [s for s in out if len(s.records) >= 2]


def _naming(text: str) -> set[str]:
    """The stems of the words that name a record set ("History of council elections": histori, council, elect)."""
    return {stem(w) for w in words(text) if w not in FUNCTION_WORDS}


def _record(found: RecordSet, name: str) -> Record:
    for record in found.records:
        if record.name == name:
            return record
    found.records.append(Record(name))
    return found.records[-1]


def _tables(source: str, rows: list[SentenceUnit]) -> list[RecordSet]:
    """The tables among a document's rows: each run of rows with nothing between them but a rule line
    (`|---|---|`, which is no unit), its first row the header, each row under it an entry named by its first cell."""
    runs: list[list[SentenceUnit]] = []
    for row in rows:
        if runs and row.start - runs[-1][-1].end <= len(runs[-1][-1].text) + 2:
            runs[-1].append(row)
        else:
            runs.append([row])
    out = []
    for header_row, *body in runs:
        header = table_cells(header_row.text)
        record_set = RecordSet(source, "rows", _naming(" ".join(header) + " " + header_row.passage.section))
        for row in body:
            cells = table_cells(row.text)
            if len(cells) != len(header) or not cells[0]:
                continue  # a continued cell of a grid table, not an entry
            record = Record(cells[0])
            for key, value in zip(header[1:], cells[1:]):
                if key and value:
                    record.fields[key], record.values[key] = row, value
            record_set.records.append(record)
        out.append(record_set)
    return out


DATE_KEY = "date"
_LISTED = (ITEM, FIELD)


def _dated_lists(source: str, section: str, units: list[SentenceUnit]) -> list[RecordSet]:
    """Runs of list items (or `Key: value` lines) of one section that each hold a date: entries to compare by it."""
    out: list[RecordSet] = []
    run: list[tuple[SentenceUnit, str]] = []
    for unit in [*units, None]:
        date = _entity_date(unit) if unit is not None and unit.kind in _LISTED else None
        if date is not None:
            run.append((unit, date))
            continue
        if len(run) >= 2:
            record_set = RecordSet(source, "entries", _naming(section))
            for item, shown in run:
                record = Record(fold(item.text.lstrip("*-+• ")))
                record.fields[DATE_KEY], record.values[DATE_KEY] = item, shown
                record_set.records.append(record)
            out.append(record_set)
        run = []
    return out


def _entity_date(unit: SentenceUnit) -> str | None:
    """The one date the recogniser found in a unit, as written, when it reads as a date."""
    dates = [unit.text[a:b] for label, a, b in unit.entities if label == "DATE"]
    return dates[0] if len(dates) == 1 and date_value(dates[0]) is not None else None


def compare_records(question: str, sets: list[RecordSet], lexicon: Lexicon) -> Answer | None:
    """The answer to a superlative question over a record set, or None when the question is not one.

    The question must name the field it compares or the set it compares (with "oldest": any set with one date
    field), and a noun right after the superlative must be that field ("the oldest trick" compares no record).
    At least two entries must give a value; those that don't are named, not guessed.
    """
    superlative = asked_superlative(question) if sets else None
    if superlative is None:
        return None
    asked = [w for w in content_words(question) if w not in (superlative.word, "most", "least")]
    best: tuple[float, RecordSet, str] | None = None
    for record_set in sets:
        for key, strength in named_keys(asked, record_set, lexicon).items():
            if superlative.temporal and not all_dates(record_set, key):
                continue  # "oldest" compares dates
            if best is None or strength > best[0]:
                best = (strength, record_set, key)
    if best is not None:
        _, record_set, key = best
        if superlative.noun and not _names(superlative.noun, key, lexicon):
            return None
    else:
        # No field named: "oldest" compares the one date field of the set the question names best.
        asked_stems = {stem(w) for w in asked}
        dated = sorted(((len(asked_stems & s.words), s, k) for s in sets for k in s.keys()
                        if superlative.temporal and asked_stems & s.words and all_dates(s, k)), key=lambda d: -d[0])
        if not dated or len(dated) > 1 and dated[1][0] == dated[0][0]:
            return None
        _, record_set, key = dated[0]
        if superlative.noun and stem(superlative.noun) not in record_set.words:
            return None
    dates = all_dates(record_set, key)
    values, silent = [], []
    for record in record_set.records:
        shown = record.values.get(key)
        value = (date_value(shown) if dates else _amount(shown)) if shown else None
        if value is None:
            silent.append(record.name)
        else:
            values.append((record, value))
    if len(values) < 2:
        return None
    high = superlative.temporal == "late" if dates and superlative.temporal else not superlative.low
    values.sort(key=lambda rv: rv[1], reverse=high)
    top = [rv for rv in values if rv[1] == values[0][1]]
    extreme = ("latest" if high else "earliest") if dates else ("highest" if high else "lowest")
    return _answer(question, key, record_set.noun, extreme, top, values, silent)


def named_keys(asked: list[str], record_set: RecordSet, lexicon: Lexicon) -> dict[str, float]:
    """The keys of a set the question names, by a shared stem (1.0) or a near-synonym (its cosine)."""
    named = {}
    asked_stems = {lexicon.term(w) for w in asked}
    for key in record_set.keys():
        key_words = content_words(key)
        if not key_words:
            continue
        if asked_stems & {lexicon.term(w) for w in key_words}:
            named[key] = 1.0
        else:
            soft = lexicon.soft_matches(asked, key_words)
            if soft:
                named[key] = max(soft.values())
    return named


def _names(noun: str, key: str, lexicon: Lexicon) -> bool:
    key_words = content_words(key)
    return lexicon.term(noun) in {lexicon.term(w) for w in key_words} or bool(lexicon.soft_matches([noun], key_words))


def all_dates(record_set: RecordSet, key: str) -> bool:
    shown = [r.values[key] for r in record_set.records if key in r.values]
    return len(shown) >= 2 and all(date_value(v) is not None for v in shown)


def date_value(value: str) -> float | None:
    """A value that reads as a date ("1888", "11-Jun-2024", "2024-06-11") as an ordinal, else None."""
    if not any(_is_year(w) for w, _, _ in word_spans(value)) or len(words(value)) > 4:
        return None
    from dateutil import parser

    try:
        return float(parser.parse(value, default=datetime(1, 1, 1)).toordinal())
    except (ValueError, OverflowError):
        return None


def _amount(value: str) -> float | None:
    """The number a value gives ("$18.21B" -> 1.821e10; a range "201-500" -> its upper end, 500)."""
    found = [float(m.group(1).replace(",", "")) * _SCALE.get((m.group(2) or "").lower(), 1.0)
             for m in _AMOUNT.finditer(value)]
    return max(found) if found else None


def _answer(question: str, key: str, noun: str, extreme: str, top: list, values: list, silent: list[str]) -> Answer:
    given = len(values)
    values = values[:MAX_SHOWN]  # the extreme and the nearest after it: a long list's tail says nothing more
    citations = [record.fields[key].citation(n) for n, (record, _) in enumerate(values, start=1)]
    shown = {record.name: f"{record.name} [{n}]" if record.values[key] in record.name
             else f"{record.name} ({record.values[key]}) [{n}]" for n, (record, _) in enumerate(values, 1)}
    names = " and ".join(shown[record.name] for record, _ in top)
    verb = "are both" if len(top) == 2 else "are all" if len(top) > 2 else "is"
    sentences = [f"Of the {given} {noun} that give {_a(key)}, the {extreme} {verb} {names}."]
    others = [shown[record.name] for record, _ in values if (record, _) not in top]
    if others:
        sentences.append(("The others: " if len(others) == given - len(top) else "Next: ") + ", ".join(others) + ".")
    if silent:
        sentences.append(f"{', '.join(silent)} {'gives' if len(silent) == 1 else 'give'} no {key}.")
    provenance = [SentenceProvenance(text=s, origin="document", citations=cited(s))
                  for s in sentences]
    return Answer(question=question, text=" ".join(sentences), citations=citations,
                  provenance=Provenance(backend="extractive", sentences=provenance))


def _is_year(word: str) -> bool:
    return len(word) == 4 and word.isdigit() and 1500 <= int(word) <= 2099


def _a(key: str) -> str:
    """"a Founded date", "an Employees" reads badly: a plural key goes bare."""
    return key if key.endswith("s") else ("an " if key[:1].lower() in "aeiou" else "a ") + key
