"""The dates and releases a question writes, read for a pack's date and version facts: calendar dates written out
or counted from today, the time between two of them, and software releases ("1.30")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from assistant.clauses import cues
from assistant.clauses.cues import Token
from assistant.clauses.dates import (DATE, RELATIVE, date_of, format_date, month_end, month_written, relative_date,
                                     time_between)
from assistant.clauses.pack import Pack
from assistant.clauses.quantities import AMOUNT, VERSION, Bound, format_number, parse_version
from assistant.clauses.reading import Reading, token_at, unread


@dataclass(frozen=True)
class WrittenDate:
    """A date as a question writes it: where, its words, the day read, whether it gave its year (a date counted
    from today does not), and whether it names a whole month ("in May 2024")."""

    start: int
    end: int
    text: str
    day: date
    year_written: bool = True
    month: bool = False
    counted: bool = False  # counted from today: "45 days ago"


# "today is 25 January", "today, 1 March": the question says which day today is.
_TODAY_IS = re.compile(r"\btoday(?:'s date)?[\s,:(]*(?:is|was|being)?[\s,:(]*$", re.IGNORECASE)
_NAMES_A_DATE = re.compile(r"[\s,:(]*(?:is|was|being)?[\s,:(]*" + DATE.pattern, re.IGNORECASE)


def dates_in(text: str, years: list[int], reading: Reading, today: date) -> list[WrittenDate]:
    """The calendar dates a question writes, in order: written out, or counted from today ("45 days ago", "today"),
    which is the day the question names as today ("today is 25 January") if it does.
    One without its year takes the year of the date written before it, a year later if it would fall before that
    date ("20 December 2024 ... 5 January"), else the year the question names, else today's. "may" in lower case
    is the verb; a day the month has not is noted and left out."""
    written: list[WrittenDate] = []
    chain: list[WrittenDate] = []  # the dates a later one without its year follows; not the one that names today
    for match in DATE.finditer(text):
        if month_written(match) == "may":
            continue
        default_year = chain[-1].day.year if chain else years[0] if years else today.year
        read = date_of(match, default_year)
        if read is None:
            reading.notes.append(f"There is no {match.group(0)}; no rule reads it.")
            continue
        day, year_written = read
        later = date_of(match, default_year + 1) if not year_written and chain and day < chain[-1].day else None
        written.append(WrittenDate(match.start(), match.end(), match.group(0), later[0] if later else day, year_written,
                                month=bool(match.group("month3"))))
        if _TODAY_IS.search(text[:match.start()]):
            today = written[-1].day
        else:
            chain.append(written[-1])
    counted = [WrittenDate(m.start(), m.end(), m.group(0), day, year_written=False, counted=True)
               for m in RELATIVE.finditer(text)
               if (day := relative_date(m, today)) is not None and not _NAMES_A_DATE.match(text, m.end())]
    return sorted(written + counted, key=lambda d: d.start)


def read_dates(pack: Pack, words: tuple[Token, ...], dates: list[WrittenDate], reading: Reading) -> list[WrittenDate]:
    """Each date goes to the first date fact whose `near` words share its clause, else its sentence ("added the
    credit, the notice and the link on 5 February"), or to the only one, when a pack has one without `near` words;
    a date given without its year, or counted from today, is noted with the day read, and a month ("in May 2024")
    is every day of it, so a rule it leaves open stays open. Returns the dates a fact took."""
    facts = list(unread(pack, reading, words, "date"))
    taken = []
    for written in dates:
        owner = _owner(pack, words, token_at(words, written.start), facts, reading)
        if owner is None:
            continue
        reading.evidence[owner] = written.text
        taken.append(written)
        if written.month:
            reading.facts[owner] = Bound(low=written.day, high=month_end(written.day), low_open=False, high_open=False)
            reading.notes.append(f"Read {written.text} as any day of it.")
        else:
            reading.facts[owner] = written.day
            if not written.year_written:
                reading.notes.append(f"Read {written.text} as {format_date(written.day)}.")
    return taken


def _owner(pack: Pack, words: tuple[Token, ...], index: int, facts: list[str], reading: Reading,
           release: bool = False) -> str | None:
    """The unread fact a date or a release at `index` goes to: of those whose `near` words share its clause, else
    its sentence, the first in the pack's order for a date (packs order their date facts: "the day of use comes
    last"), the one whose words stand nearest for a release ("removed in 1.31 after being deprecated in 1.29").
    Else a date goes to the only date fact, when it has no `near` words; a release needs its fact's words."""
    open_facts = [n for n in facts if n not in reading.facts and pack.facts[n].read.near]
    for shares in (cues.in_clause, cues.in_sentence):
        near = [n for n in open_facts if shares(words, index, pack.facts[n].read.near)]
        if near and release:
            return min(near, key=lambda n: cues.distance(words, index, pack.facts[n].read.near))
        if near:
            return near[0]
    if not release and len(facts) == 1 and not pack.facts[facts[0]].read.near and facts[0] not in reading.facts:
        return facts[0]
    return None


def releases_in(text: str, words: tuple[Token, ...]) -> list[re.Match[str]]:
    """The releases a text writes ("1.30", "v1.31"). An amount is none: a figure with a plural noun, a scale or a
    joined unit of its own ("1.5 years", "1.5 million", "a 1.5-year wait", "2.5%"), or with a currency ("USD
    1.50")."""
    money = [m.span() for m in AMOUNT.finditer(text) if m.group("sign") or m.group("word") or m.group("scale")]
    found = []
    for match in VERSION.finditer(text):
        index = token_at(words, match.start())
        after = words[index + 1] if index + 1 < len(words) else None
        if not (any(start <= match.start() < end for start, end in money) or (after is not None and (
                after.tag in ("NNS", "CD", "HYPH") or after.lower in ("%", "percent")))):
            found.append(match)
    return found


def read_versions(pack: Pack, words: tuple[Token, ...], text: str, reading: Reading) -> tuple[tuple[int, int], ...]:
    """Each release a question writes goes to a version fact whose `near` words point at it, as a date does to a
    date fact. Returns the spans the facts took."""
    facts = list(unread(pack, reading, words, "version"))
    taken = []
    for match in releases_in(text, words) if facts else ():
        owner = _owner(pack, words, token_at(words, match.start()), facts, reading, release=True)
        if owner is not None:
            reading.facts[owner] = parse_version(match.group(0))
            reading.evidence[owner] = match.group(0)
            taken.append((match.start(), match.end()))
    return tuple(taken)


def read_span_between(pack: Pack, words: tuple[Token, ...], dates: list[WrittenDate], reading: Reading) -> None:
    """Two dates in the question ("on 3 March ... on 20 March", "45 days ago ... today", "in August 2023 ... it's
    May 2025") give the time between them to a fact counted in days, weeks, months or years whose `near` words share
    the later date's sentence, when no figure was read for it; a third date counted from today ("what happens
    today?") is left aside. A month ("May 2024") counts from its first day, for months and years only."""
    facts = {n: s.unit.lower() for n, s in unread(pack, reading, words, "number", "duration").items()
             if (s.unit or "").lower() in ("days", "weeks", "months", "years")}
    pair = dates if len(dates) == 2 else [d for d in dates if not d.counted]
    if not facts or len(pair) != 2 or pair[1].day <= pair[0].day:
        return
    first, second = pair
    index = token_at(words, second.start)
    for name, unit in facts.items():
        near, not_near = pack.facts[name].read.near, pack.facts[name].read.not_near
        if unit in ("days", "weeks"):
            if first.month or second.month:
                continue  # "May 2024" is no day to count days from
            bound = not near or cues.in_sentence(words, index, near) or cues.in_sentence(words, 0, near)
        else:  # a span of months or years is the fact's only when its words share the clause of the date it runs
            # from ("I started working here in March 2019"), and no word that marks it as something else does
            bound = bool(near) and cues.in_clause(words, token_at(words, first.start), near) and not any(
                cues.in_clause(words, token_at(words, d.start), not_near, affirmed=True) for d in pair if not_near)
        if bound:
            span = time_between(first.day, second.day, unit)
            reading.facts[name] = span
            reading.evidence[name] = f"{first.text} … {second.text}"
            reading.notes.append(f"Read {first.text} to {second.text} as {format_number(span, unit)}.")
            return
