"""Dollar amounts: parse "$150 billion", "150B", "$1.5 trillion" into Decimal and print them back."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_UNITS = {
    "trillion": Decimal(10) ** 12,
    "tn": Decimal(10) ** 12,
    "t": Decimal(10) ** 12,
    "billion": Decimal(10) ** 9,
    "bn": Decimal(10) ** 9,
    "b": Decimal(10) ** 9,
    "million": Decimal(10) ** 6,
    "mn": Decimal(10) ** 6,
    "m": Decimal(10) ** 6,
    "thousand": Decimal(10) ** 3,
    "k": Decimal(10) ** 3,
}

# The unit must end at a word boundary so "150 bananas" is not 150 billion.
AMOUNT_PATTERN = re.compile(
    r"(?P<dollar>\$|usd\s*)?\s*(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"\s*(?P<unit>trillion|billion|million|thousand|tn|bn|mn|t|b|m|k)?\b"
    r"(?P<dollars>\s*(?:us\s*)?(?:dollars|usd))?",
    re.IGNORECASE,
)


def parse_amount(text: str) -> Decimal:
    """Return the dollar amount written in `text`; raise ValueError if it is not one amount."""
    cleaned = text.strip()
    match = AMOUNT_PATTERN.fullmatch(cleaned)
    if match is None:
        raise ValueError(f"not a dollar amount: {text!r} (try 150B, $1.5 trillion or 100000000000)")
    return amount_from_match(match)


def amount_from_match(match: re.Match[str]) -> Decimal:
    """Return the Decimal value of an AMOUNT_PATTERN match."""
    try:
        number = Decimal(match.group("number").replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the pattern only admits digits
        raise ValueError(f"not a number: {match.group('number')!r}") from exc
    unit = (match.group("unit") or "").lower()
    return number * _UNITS.get(unit, Decimal(1))


def format_usd(amount: Decimal) -> str:
    """Return an amount as a reader would write it: "$150 billion", "$100,000,000,001"."""
    for word, scale in (("trillion", Decimal(10) ** 12), ("billion", Decimal(10) ** 9)):
        if abs(amount) >= scale and (amount / scale) == (amount / scale).quantize(Decimal("0.001")):
            return f"${_plain(amount / scale)} {word}"
    return f"${_plain(amount, grouped=True)}"


def _plain(value: Decimal, grouped: bool = False) -> str:
    """Return a Decimal without exponent or trailing zeros."""
    text = format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if grouped and "." not in text:
        return f"{int(text):,}"
    return text


def usd_to_json(amount: Decimal) -> str:
    """Return an amount as an exact string of digits for JSON."""
    text = format(amount, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text
