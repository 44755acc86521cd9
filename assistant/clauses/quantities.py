"""Values of a pack's facts: parsed from what a user or a pack writes ("150B", "over 15", "yes", "AWS"),
compared three-valued (a bound such as "over $100 million" may leave a comparison open), and shown in words."""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Mapping

from pydantic import PlainSerializer

from assistant.clauses.dates import parse_date

SCALES = {"trillion": 12, "tn": 12, "t": 12, "billion": 9, "bn": 9, "b": 9, "million": 6, "mn": 6, "m": 6,
          "thousand": 3, "k": 3}
CURRENCY_SIGNS = {"$": "USD", "€": "EUR", "£": "GBP"}
_SIGN_OF = {code: sign for sign, code in CURRENCY_SIGNS.items()}
# A figure, optionally signed with a currency and scaled by a word; the scale must end at a word boundary so
# "150 bananas" is not 150 billion.
AMOUNT = re.compile(
    r"(?P<sign>[$€£]|usd\s*|eur\s*|gbp\s*)?\s*(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"\s*(?P<scale>trillion|billion|million|thousand|tn|bn|mn|t|b|m|k)?\b"
    r"(?P<word>\s*(?:us\s*)?(?:dollars|usd|euros?|eur|pounds|gbp))?",
    re.IGNORECASE,
)
# The words that make a figure a bound, longest first, with the bound each makes: (side, whether it is open).
_BOUND_WORDS = sorted(
    [(w, "low", False) for w in ("at least", "no less than", "a minimum of", ">=")]
    + [(w, "high", False) for w in ("at most", "up to", "no more than", "a maximum of", "<=")]
    + [(w, "low", True) for w in ("more than", "over", "above", "exceeding", "in excess of", "greater than", "beyond",
                                  "upwards of", "north of", ">")]
    + [(w, "high", True) for w in ("less than", "under", "below", "short of", "fewer than", "nearly", "almost", "<")],
    key=lambda bound: -len(bound[0]))
# A software release as written: "1.30", "v1.31", "2.0.1" (the patch level is dropped: releases count in minors).
VERSION = re.compile(r"(?<![\w.$€£])[vV]?(?P<major>\d{1,3})\.(?P<minor>\d{1,3})(?:\.\d{1,4})?(?!\w|\.\d)")
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}


@dataclass(frozen=True)
class Bound:
    """A figure known only to lie past a limit: over 100 (low=100, open), at most 80 (high=80, closed)."""

    low: Decimal | None = None
    high: Decimal | None = None
    low_open: bool = True
    high_open: bool = True

    def words(self, show: Any) -> str:
        if self.low is not None and self.high is not None:  # a month read as its days
            return f"{show(self.low)}–{show(self.high)}"
        if self.low is not None:
            return f"{'over' if self.low_open else 'at least'} {show(self.low)}"
        return f"{'under' if self.high_open else 'at most'} {show(self.high)}"


@dataclass(frozen=True, order=True)
class Version:
    """A release numbered major.minor; releases count in minors ("1.30" plus 2 releases is "1.32")."""

    major: int
    minor: int

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}"

    def moved(self, releases: Decimal) -> Version | None:
        """The release this many minors later (earlier when negative); None for a part of a release or before x.0."""
        if releases != releases.to_integral_value() or self.minor + int(releases) < 0:
            return None
        return Version(self.major, self.minor + int(releases))


def parse_version(value: Any) -> Version:
    """A release given by a user or a pack: "1.30" or "v1.30"; raise ValueError otherwise."""
    if isinstance(value, Version):
        return value
    if isinstance(value, (float, Decimal)):  # YAML's 1.10 is the number 1.1: its zero is gone before it gets here
        raise ValueError(f"write the release in quotes ('{value}') so its zeros are kept")
    match = VERSION.fullmatch(str(value).strip())
    if match is None:
        raise ValueError(f"expected a release such as 1.30, got {value!r}")
    return Version(int(match.group("major")), int(match.group("minor")))


def bound_of(words_before: str, amount: Decimal) -> Bound | Decimal:
    """The value a figure has given the words written before it: "more than 15" is a bound."""
    before = " ".join(words_before.lower().split())
    for words, side, is_open in _BOUND_WORDS:
        if before.endswith(words):
            return Bound(**{side: amount, f"{side}_open": is_open})
    return amount


def amount_of(match: re.Match[str]) -> Decimal:
    """The value of an AMOUNT match, its scale word applied."""
    number = Decimal(match.group("number").replace(",", ""))
    scale = (match.group("scale") or "").lower()
    return _exact(number * Decimal(10) ** SCALES.get(scale, 0))


def currency_of(match: re.Match[str]) -> str | None:
    """The currency an AMOUNT match is written in, if it says."""
    written = (match.group("sign") or match.group("word") or "").strip().lower()
    if not written or written in CURRENCY_SIGNS:
        return CURRENCY_SIGNS.get(written)
    return next((code for code, word in (("USD", "usd"), ("USD", "dollar"), ("EUR", "eur"), ("GBP", "gbp"),
                                         ("GBP", "pound")) if word in written), None)


def _exact(value: Decimal) -> Decimal:
    # 150000000000.0 and 150000000000 are the same amount; print them the same way.
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def parse_number(text: Any) -> Decimal | Bound:
    """A figure or a bound: 15, "15.5", "150B", "$1.5 trillion", "over 100B", "at most 80"."""
    if isinstance(text, bool):
        raise ValueError(f"expected a figure, got {text!r}")
    if isinstance(text, (int, float, Decimal)):
        number = Decimal(repr(text)) if isinstance(text, float) else Decimal(text)  # repr: 1.5e11 exactly
        if not number.is_finite():
            raise ValueError(f"expected a finite figure, got {text!r}")
        return _exact(number)
    if isinstance(text, Bound):
        return text
    written = " ".join(str(text).strip().split())
    for words, _, _ in _BOUND_WORDS:
        if written.lower().startswith(words):
            inner = parse_number(written[len(words):])
            if not isinstance(inner, Bound):
                return bound_of(words, inner)
    match = AMOUNT.fullmatch(written)
    if match is None:
        raise ValueError(f"not a figure: {text!r} (try 15, 150B, $1.5 trillion or 'over 100')")
    return amount_of(match)


def parse_value(kind: str, value: Any, unit: str | None = None, choices: Mapping[str, Any] | None = None,
                open_choice: bool = False) -> Any:
    """A value as a fact of this kind holds it; raise ValueError saying what to write instead."""
    if value is None:
        return None
    if kind == "yes/no":
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if word not in _YES | _NO:
            raise ValueError(f"expected yes or no, got {value!r}")
        return word in _YES
    if kind == "year":
        if isinstance(value, int) and not isinstance(value, bool) or str(value).strip().isdigit():
            year = int(str(value).strip())
            if 1000 <= year <= 2999:
                return year
        raise ValueError(f"expected a year such as 2031, got {value!r}")
    if kind == "choice":
        return choice_key(str(value), choices or {}, open_choice)
    if kind == "date":
        return value if isinstance(value, Bound) else parse_date(value)  # a bound: a month, every day of it
    if kind == "version":
        return parse_version(value)
    number = parse_number(value)
    if isinstance(number, Decimal) and number < 0:
        raise ValueError(f"expected a figure of zero or more, got {value!r}")
    return number


def choice_key(text: str, choices: Mapping[str, Any], open_choice: bool) -> str:
    """The key of a choice written by its key, its name or one of its names."""
    written = " ".join(text.lower().replace("’", "'").replace("'s", "").split())
    for key, choice in choices.items():
        names = {key.lower(), str(getattr(choice, "name", key)).lower(), *(s.lower() for s in getattr(choice, "say", ()))}
        if written in names:
            return key
    if open_choice and written:
        return written
    listed = ", ".join(choices)
    raise ValueError(f"not one of {listed}: {text!r}")


_COMPARE = {"eq": operator.eq, "ne": operator.ne, "gt": operator.gt, "ge": operator.ge, "lt": operator.lt,
            "le": operator.le}


def compare(value: Any, op: str, threshold: Any) -> bool | None:
    """A condition's truth; None when the value is unknown or a bound leaves it open."""
    if op == "known":
        return value is not None
    if op == "unknown":
        return value is None
    if value is None:
        return None
    if op in ("in", "not_in"):
        inside = value in threshold
        return inside if op == "in" else not inside
    if isinstance(value, Bound):
        return _compare_bound(value, op, threshold)
    return bool(_COMPARE[op](value, threshold))


def _compare_bound(value: Bound, op: str, threshold: Decimal) -> bool | None:
    """Whether every figure within the bound passes (True), none does (False), or some do (None)."""
    low, high = value.low, value.high
    # Every figure of the bound is above `threshold` (strictly when `strict`), or below it.
    above = low is not None and (low > threshold or (low == threshold and value.low_open))
    at_or_above = low is not None and low >= threshold
    below = high is not None and (high < threshold or (high == threshold and value.high_open))
    at_or_below = high is not None and high <= threshold
    decided = {"gt": (above, at_or_below), "ge": (at_or_above, below), "lt": (below, at_or_above),
               "le": (at_or_below, above), "eq": (False, above or below), "ne": (above or below, False)}[op]
    if decided[0]:
        return True
    if decided[1]:
        return False
    return None


def format_number(value: Decimal, unit: str | None = None) -> str:
    """A figure as a reader writes it: "$150 billion", "€4.8 million", "1,200 hours", "6.5 years"; a quotient's
    long tail is cut to two decimals ("33.33 hours")."""
    if isinstance(value, Bound):
        return value.words(lambda v: format_number(v, unit))
    if isinstance(value, Decimal) and value.is_finite() and value.as_tuple().exponent < -4:
        value = value.quantize(Decimal("0.01"))
    sign = _SIGN_OF.get((unit or "").upper())
    if sign:
        for word, power in (("trillion", 12), ("billion", 9), ("million", 6)):
            scale = Decimal(10) ** power
            if abs(value) >= scale and (value / scale) == (value / scale).quantize(Decimal("0.001")):
                return f"{sign}{_plain(value / scale)} {word}"
        return f"{sign}{_plain(value, grouped=True)}"
    text = _plain(value, grouped=True)
    if not unit:
        return text
    return f"{text} {unit[:-1] if value == 1 and unit.endswith('s') else unit}"


def _plain(value: Decimal, grouped: bool = False) -> str:
    """A Decimal without exponent or trailing zeros, thousands grouped when asked."""
    text = format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if grouped and "." not in text:
        return f"{int(text):,}"
    return text


def jsonable(value: Any) -> Any:
    """A value JSON holds exactly: figures become strings of digits, bounds words, tuples lists."""
    if isinstance(value, Decimal):
        return _plain(value)
    if isinstance(value, Bound):
        return value.words(jsonable)
    if isinstance(value, (tuple, list)):
        return [jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Version):
        return str(value)
    return value


# A fact's value as the engine holds it (a Decimal, a date, a bound), written as `jsonable` makes it in JSON.
Typed = Annotated[Any, PlainSerializer(jsonable, when_used="json")]


def parse_literal(value: Any) -> Decimal | date:
    """An operand a pack writes in its arithmetic: a finite number, or a date (2025-03-03)."""
    try:
        number = as_decimal(value)
    except ValueError:
        return parse_date(value)
    if not number.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return number


def as_decimal(value: Any) -> Decimal:
    """A pack's written number (tier value, operand) as a Decimal."""
    try:
        return Decimal(str(value).replace(",", ""))
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {value!r}") from exc
