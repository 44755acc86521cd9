"""Read a question as a scenario of a pack: which of its facts the question states and their values, by the same
general means for every pack — figures with their units and bounds, years, named choices, and yes/no statements
with their negations — guided only by the words the pack gives each fact."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from assistant.clauses import cues
from assistant.clauses.cues import Token
from assistant.clauses.number_words import digits
from assistant.clauses.pack import FactSpec, Pack
from assistant.clauses.quantities import AMOUNT, amount_of, bound_of, currency_of, format_number
from assistant.clauses.read_dates import dates_in, read_dates, read_span_between, read_versions
from assistant.clauses.reading import Reading, span, token_at, unread
from assistant.text import sentence_spans

# Words that set up a case ("if", "suppose"), and modal verbs that ask about one ("could", "would").
_SETS_UP_A_CASE = re.compile(r"^\s*say\b|\b(?:what if|if|suppose|supposing|imagine|assume|assuming|let's say|say that|"
                             r"hypothetically|in the event|in case|provided that|given that|were to|picture|pretend)\b")
_ASKS_ABOUT_A_CASE = re.compile(r"\b(?:could|would|can|may|might|will|should|must|allowed|permitted|able to|"
                                r"entitled|eligible|qualify|need to|have to)\b")
_LEAD = r"^\s*(?:(?:and|so|but|then)\s+)?"  # how a follow-up may open before its question word
# A question that tells of the asker's own case ("I have 275 hours", "my rating is 20 percent").
_OWN_CASE = re.compile(r"\b(?:i|i'm|i've|i'd|i'll|my|we|we're|we've|our)\b")
_WHY = re.compile(_LEAD + r"(?:why|how come)\b")
_WH_START = re.compile(_LEAD + r"(?:how|what|which|when|where|who)\b")
_YEAR = re.compile(r"(?<![\d$€£,.])\b(?:(?P<prep>in|after|beyond|past|post|by|before|until|till|through|during|from|"
                   r"the year|year)\s+)?(?P<year>(?:19|20|21)\d{2})\b(?!\s*(?:billion|million|trillion|bn|b\b|"
                   r"dollars|euros|%|percent|hours?|days?))")
_YEAR_SHIFT = {"after": 1, "beyond": 1, "past": 1, "post": 1, "before": -1}
_STRONG_PREPS = {"in", "after", "beyond", "past", "post", "by", "before", "during", "the year", "year"}


def normalise(text: str) -> str:
    """Straight apostrophes and figures written in words as digits; the case is kept, for the tagger."""
    return digits(text.replace("’", "'").replace("‘", "'"))


def read_question(pack: Pack, question: str, pack_id: str = "", today: date | None = None) -> Reading:
    """The facts of `pack` that the question states; facts it does not state are left out. `today` is the day it
    is asked (the clock's, unless given), which "45 days ago" counts back from."""
    text = normalise(question)
    reading = Reading(pack=pack_id, text=question)
    lowered = text.lower()
    years = [int(m.group("year")) for m in _YEAR.finditer(lowered)]
    own_case, told = bool(_OWN_CASE.search(lowered)), states_a_case(text)
    if not (is_hypothetical(lowered, max(years, default=None), pack.as_of) or own_case or told):
        return reading  # a plain question: not read at all, so asking one never loads the tagger
    words = cues.tokens(text)
    for name, spec in unread(pack, reading, words, "yes/no", "year").items():
        if spec.type == "yes/no":
            _read_yes_no(name, spec, words, text, reading)
        else:
            _read_year(name, spec, words, text, reading)
    _read_choices(pack, words, text, reading)
    _read_quoted(pack, words, text, reading)
    dates = dates_in(text, years, reading, today or date.today())
    taken = read_dates(pack, words, dates, reading)
    releases = read_versions(pack, words, text, reading)
    # a date's figures are the date's ("3 March 2024" holds no 2024 hours), and so is the figure of a date counted
    # from today that a fact took ("found it 45 days ago"), which is no duration, and a release's ("1.30")
    _read_figures(pack, words, text, reading,
                  dated=tuple((d.start, d.end) for d in dates if not d.counted or d in taken) + releases)
    read_span_between(pack, words, dates, reading)
    for name in list(reading.facts):
        for implied, value in pack.facts[name].read.implies.items():
            if implied not in reading.facts:
                reading.facts[implied] = pack.typed(implied, value)
                reading.evidence[implied] = reading.evidence[name]
    order = list(pack.facts)
    reading.facts = {n: reading.facts[n] for n in sorted(reading.facts, key=order.index)}
    year = next((v for n, v in reading.facts.items() if pack.facts[n].type == "year"), None)
    # a case told before the question counts when it states more than a year ("The article came out in 2025. What
    # does it say about AGI?" asks the document)
    told_case = told and any(pack.facts[n].type != "year" for n in reading.facts)
    reading.hypothetical = is_hypothetical(lowered, year, pack.as_of) or (own_case and reading.covered) or told_case
    return reading


def states_a_case(text: str) -> bool:
    """Whether a question tells of a case with figures before it asks about it ("The council voted 3 to 2 to eject
    him. Is he out?"): a sentence that asks nothing, with a figure in it, comes before the one that asks."""
    sentences = [span.text for span in sentence_spans(text)]
    asking = max((i for i, sentence in enumerate(sentences) if "?" in sentence), default=None)
    told = [sentence for sentence in sentences[:asking or 0] if "?" not in sentence]
    return asking is not None and any(any(c.isdigit() for c in sentence) for sentence in told)


def is_hypothetical(text: str, year: int | None = None, as_of: int | None = None) -> bool:
    """Whether a question sets up a case for rules to decide, rather than asking the document for a fact: "if",
    "suppose", a modal verb; or a year after the document's (its future is a what-if). A why-question asks for a
    reason, and "How many GPUs will it get?" for a value, unless it sets up a case of its own."""
    from assistant.answer.answer_types import expected_answer_type

    case = bool(_SETS_UP_A_CASE.search(text))
    if _WHY.search(text) and not case:
        return False
    if year is not None and as_of is not None and year > as_of:
        return True
    asks_a_value = bool(_WH_START.search(text)) and expected_answer_type(text) is not None
    return case or (bool(_ASKS_ABOUT_A_CASE.search(text)) and not asks_a_value)


def _read_yes_no(name: str, spec: FactSpec, words: tuple[Token, ...], text: str, reading: Reading) -> None:
    """A statement of the fact, or of its opposite, flipped by a negation the pattern does not name. Where both
    match, the opposite wins ("declines to supply"), unless a later verb phrase of the same subject follows it
    ("turns it down and can meet it")."""
    true, false = cues.first_of(spec.read.says_true, words), cues.first_of(spec.read.says_false, words)
    if true and false:
        later_phrase = true[1] > false[1] and any(t.lower in ("and", "but", "then") for t in words[false[1]:true[1]])
        found, stated = (true, True) if later_phrase else (false, False)
    elif true or false:
        found, stated = (true, True) if true else (false, False)
    else:
        return
    start, end, pattern = found
    ignored = cues.first_of(spec.read.ignore, words)
    if ignored and ignored[0] < end and start < ignored[1]:
        return
    if cues.negated(words, start, end, pattern):
        stated = not stated
    reading.facts[name] = stated
    reading.evidence[name] = span(words, start, end, text)


def _read_year(name: str, spec: FactSpec, words: tuple[Token, ...], text: str, reading: Reading) -> None:
    """The year a question is set in: "after 2030" is 2031, "before 2030" 2029; a year with a preposition first.
    With `near` words, only a year in their clause ("she died in 1990, and the copyright runs until 2060")."""
    found = []
    for match in _YEAR.finditer(text.lower()):
        prep = match.group("prep") or ""
        if not spec.read.near or cues.in_clause(words, token_at(words, match.start("year")), spec.read.near):
            found.append((prep in _STRONG_PREPS, match.start(), int(match.group("year")) + _YEAR_SHIFT.get(prep, 0),
                          match.group(0).strip()))
    if found:
        *_, year, evidence = max(found)
        reading.facts[name] = year
        reading.evidence[name] = evidence
        if evidence.split()[0] in ("after", "beyond", "past", "post", "before"):
            reading.notes.append(f"Read '{evidence}' as the year {year}.")


def _read_choices(pack: Pack, words: tuple[Token, ...], text: str, reading: Reading) -> None:
    """Each named value (longest names first) goes to the choice fact whose `near` words share its clause, else to
    one without `near`; a fact takes its first value named, a `weak` one only when no other is, and a `negatable`
    one none named after a negation ("not marked alpha or beta")."""
    facts = unread(pack, reading, words, "choice")
    names: dict[str, dict[str, str]] = {}  # a name -> the fact it may be -> that fact's value
    for name, spec in facts.items():
        for key, choice in spec.values.items():
            for said in (choice.name, *choice.say):
                names.setdefault(said.lower(), {}).setdefault(name, key)
    mentions: dict[str, list[tuple[int, str, str]]] = {n: [] for n in facts}
    taken: set[int] = set()
    for said in sorted(names, key=len, reverse=True):
        match = cues.find(said, words)
        if match is None or taken & set(range(*match)):
            continue
        holders = names[said]
        near = [n for n in holders if facts[n].read.near and cues.in_clause(words, match[0], facts[n].read.near)]
        owner = near[0] if near else next((n for n in holders if not facts[n].read.near), None)
        if owner is not None:
            taken |= set(range(*match))
            if not (facts[owner].read.negatable and cues.negates_name(words, match[0])):
                mentions[owner].append((match[0], holders[owner], span(words, *match, text)))
    for name, found in mentions.items():
        weak = set(facts[name].read.weak)
        chosen = sorted(m for m in found if m[1] not in weak) or sorted(found)
        if chosen:
            reading.facts[name], reading.evidence[name] = chosen[0][1], chosen[0][2]


_QUOTED = re.compile(r"(?<!\w)['\"“‘]([^'\"“”‘’]{1,60})['\"”’](?!\w)")


def _read_quoted(pack: Pack, words: tuple[Token, ...], text: str, reading: Reading) -> None:
    """A name in quotes ('Nightjar') is the value of an open choice fact that takes quoted names, when the fact's
    `near` words share its sentence."""
    takes_quotes = {n: s for n, s in unread(pack, reading, words, "choice").items() if s.open and s.read.quoted}
    for name, spec in takes_quotes.items():
        for match in _QUOTED.finditer(text):
            index = token_at(words, match.start(1))
            if not spec.read.near or cues.in_sentence(words, index, spec.read.near):
                reading.facts[name] = match.group(1).strip()
                reading.evidence[name] = match.group(0)
                break


def _read_figures(pack: Pack, words: tuple[Token, ...], text: str, reading: Reading,
                  dated: tuple[tuple[int, int], ...]) -> None:
    """Figures go to the number, duration and money facts their units and `near` words point at, most fitting first;
    a bound ("more than 15 years") is kept as a bound. A figure within a date (the `dated` spans: "45 days ago")
    is that date's."""
    facts = unread(pack, reading, words, "number", "duration", "money")
    if not facts:
        return
    candidates, inner, refused = [], set(), {}
    unit_before: dict[int, str] = {}  # a sentence (its first token) -> what follows its last figure with a noun
    figure_clauses = frozenset(t.clause for t in words if t.lower[:1].isdigit())
    for match in AMOUNT.finditer(text):
        if match.start("number") in inner or any(start <= match.start("number") < end for start, end in dated):
            continue
        index = next((i for i, t in enumerate(words) if t.start <= match.start("number") < t.end), None)
        if index is None:
            continue
        amount = amount_of(match)
        each = _EACH.match(text, match.end())
        if each:  # "12 8-hour days" is 96 hours: the figure counts things that each hold the unit
            amount, after = amount * Decimal(each.group(1)), text[each.start(2):each.end(2)]
            inner.add(each.start(1))
        written_money = bool(match.group("sign") or match.group("word") or match.group("scale"))
        # A word that marks a figure as something else counts in the figure's clause, or anywhere in its sentence
        # but in the clause of another figure, which it describes ("210 hours of annual leave, plus 300 hours of
        # sick leave": "sick" is the 300's).
        others = figure_clauses - {words[index].clause}
        after = after if each else text[match.end():match.end() + 40]
        # "each" after a figure's unit is a rate when it shares out another figure ("15 days, 8 hours each"); alone
        # it is not ("we hold 250 hours each")
        sentence = cues.sentence_of(words, index)[0]
        shares_out = any(t.lower[:1].isdigit() for t in words[sentence:index])
        # a figure with no noun of its own takes the unit of the figure before it in its sentence ("200 hours now,
        # and I'll pick up another 104 before the year ends")
        elided = not each and (index + 1 == len(words) or not words[index + 1].tag.startswith(("NN", "JJ", "CD", "HYPH")))
        for name, spec in facts.items():
            value = amount  # in this fact's unit
            if spec.type == "money":
                if not written_money or (currency_of(match) and spec.unit and currency_of(match) != spec.unit.upper()):
                    continue
                fits_unit = True
            else:
                if match.group("sign") or match.group("word"):
                    continue
                size = _unit_size(spec, after, shares_out)
                if size is None and elided and sentence in unit_before:
                    size = _unit_size(spec, unit_before[sentence])
                fits_unit = size is not None
                value = amount * size if size is not None else amount
            # near words that name the figure's place ("# in favour", "out of #") bind it tightest
            beside = any(cues.anchored(p, words, index) for p in spec.read.near if cues.FIGURE in p.split())
            near = beside or bool(spec.read.near) and cues.in_sentence(words, index, spec.read.near)
            not_near = spec.read.not_near  # "without taking a day off" marks no figure as taken
            if not_near and (cues.in_clause(words, index, not_near, affirmed=True) or
                             (not near and cues.in_sentence(words, index, not_near, others, affirmed=True))):
                if fits_unit:
                    refused.setdefault(match.start(), f"{format_number(value, spec.unit)} is not {spec.label}, "
                                                      "so no rule reads it.")
                continue
            if (spec.units and not fits_unit) or (not spec.units and spec.type != "money" and not near) or \
                    (spec.type == "money" and spec.read.near and not near):
                continue
            # a fact's words in the figure's own clause bind it tighter than words elsewhere in its sentence ("4 in
            # favour, 1 against")
            own_clause = beside or near and cues.in_clause(words, index, spec.read.near)
            # equally fitting facts: the one whose words stand nearest the figure ("3 in favour to 2 against")
            nearest = cues.distance(words, index, spec.read.near) if near else len(words)
            candidates.append((-(fits_unit + near + own_clause + beside), nearest, match.start(), name, value, match))
        if not elided:
            unit_before[sentence] = after
    used: set[int] = set()
    for _, _, start, name, amount, match in sorted(candidates, key=lambda c: c[:4]):
        if name in reading.facts or start in used:
            continue
        used.add(start)
        reading.facts[name] = bound_of(text[max(0, start - 20):start], amount)
        reading.evidence[name] = match.group(0).strip()
    # A figure that a fact's unit fits but its context rules out is worth a note, unless another fact took it.
    reading.notes += [note for start, note in refused.items() if start not in used]


_EACH = re.compile(r"\s*(\d+(?:\.\d+)?)-(\w+)")


_UNIT_STOPS = {"IN", "CC", "TO", ",", ".", ":"}
# After a figure's unit, what makes it a rate ("20 hours a week", "6 hours per pay period", "8 hours each"): not an
# amount.
_FIXED_SPANS = r"(?:hour|day|week|fortnight|month|year|shift)s?"
_RATE = re.compile(rf"^\s*(?:a|an|per|each|every|/)\s*(?:{_FIXED_SPANS}|(?:pay )?periods?)\b", re.IGNORECASE)
_EACH_ALONE = re.compile(r"^\s*(?:each|apiece)\b", re.IGNORECASE)
# A figure joined to its unit that describes a span of time is a rate too ("a 40-hour week", "an 8-hour shift"); a
# period has no fixed length ("a 20-day period" is 20 days).
_SPAN_AFTER = re.compile(rf"^\s*{_FIXED_SPANS}\b", re.IGNORECASE)


def _unit_size(spec: FactSpec, after: str, shares_out: bool = False) -> Decimal | None:
    """The size, in the fact's unit, of the unit word that comes right after the figure (within its next three
    words: "two weeks" is 14 days when a week is 7); None when none does, or when the figure is a rate."""
    trimmed = after.strip().lstrip("-").strip()
    following = cues.tokens(trimmed)[:3]
    # The unit is the figure's own noun: words may come before it ("10 more days", "5 annual leave hours"), but not a
    # preposition, another figure or another plural noun ("275 hours at year end", "GS-13 with 300 hours").
    stop = next((i for i, t in enumerate(following) if t.tag in _UNIT_STOPS or t.lower[:1].isdigit() or (
        i and t.tag == "NNS" and not any(cues.find(_plural_too(u), following[i:i + 1]) for u in spec.units))),
        len(following))
    for unit, size in sorted(spec.units.items(), key=lambda item: -len(item[0])):  # "half day" before "day"
        found = cues.find(_plural_too(unit), following)
        if found is not None and found[0] < stop:
            rest = trimmed[following[found[1] - 1].end:]
            joined = after.lstrip().startswith("-")
            rate = _RATE.match(rest) or (joined and _SPAN_AFTER.match(rest)) or (shares_out and _EACH_ALONE.match(rest))
            return None if rate else size
    return None


def _plural_too(unit: str) -> str:
    """A unit word as a pattern that takes its plural as well: the lemmatiser leaves abbreviations ("hrs", "yrs")
    as written."""
    return f"{{{unit}|{unit}s}}"
