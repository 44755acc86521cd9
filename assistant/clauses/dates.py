"""Calendar dates in a question or a pack: "3 March 2025", "March 3rd", "2025-03-03", "May 2024" (its first day,
which the question reader widens to the whole month), and dates counted from today ("today", "yesterday", "45 days
ago"); a date moved by days, weeks, months or years, and the time between two dates."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from decimal import ROUND_FLOOR, Decimal
from typing import Any

MONTHS = (r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
          r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?")
_MONTH_NUMBERS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
_YEAR = r"(?:,?\s+(?P<{}>(?:19|20|21)\d{{2}}))?"
DATE = re.compile(
    r"\b(?:(?P<iso>(?:19|20|21)\d{2}-\d{2}-\d{2})|"
    r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>" + MONTHS + r")\.?" + _YEAR.format("year") + "|"
    r"(?P<month2>" + MONTHS + r")\.?\s+(?P<day2>\d{1,2})(?:st|nd|rd|th)?" + _YEAR.format("year2") + "|"
    r"(?P<month3>" + MONTHS + r")\.?,?\s+(?:of\s+)?(?P<year3>(?:19|20|21)\d{2}))\b",
    re.IGNORECASE)


# A date counted back from the day the question is asked: "today", "yesterday", "45 days ago", "a week ago", "two
# weeks ago" (once figures in words are digits); not "today's rules", nor the tail of "1.5 years ago".
RELATIVE = re.compile(r"\b(?:(?P<today>today)|(?P<yesterday>yesterday))\b(?!'s)|(?<![\d.,])\b"
                      r"(?P<count>\d+|an?)\s+(?P<unit>day|week|month|year)s?\s+ago\b", re.IGNORECASE)


def relative_date(match: re.Match[str], today: date) -> date | None:
    """The day a RELATIVE match names, counted back from `today`; None past the calendar's start."""
    if match.group("today"):
        return today
    if match.group("yesterday"):
        return today - timedelta(days=1)
    count = match.group("count")
    try:
        return shift(today, -Decimal(1 if count.lower() in ("a", "an") else count), match.group("unit"))
    except (OverflowError, ValueError):
        return None


def month_written(match: re.Match[str]) -> str | None:
    """The month a DATE match names, as written ("may", "March"); None for an ISO date."""
    return match.group("month") or match.group("month2") or match.group("month3")


def _year_written(match: re.Match[str]) -> str | None:
    return match.group("year") or match.group("year2") or match.group("year3")


def date_of(match: re.Match[str], default_year: int) -> tuple[date, bool] | None:
    """The date a DATE match writes, and whether it wrote its year; None for a day the month has not."""
    if match.group("iso"):
        try:
            return date.fromisoformat(match.group("iso")), True
        except ValueError:
            return None
    month = _MONTH_NUMBERS[month_written(match).lower()[:3]]
    day = int(match.group("day") or match.group("day2") or 1)  # "in May 2024": its first day
    written = _year_written(match)
    try:
        return date(int(written) if written else default_year, month, day), bool(written)
    except ValueError:
        return None


def parse_date(value: Any) -> date:
    """A date given by a user or a pack: a date, "2025-03-03" or "3 March 2025"; raise ValueError otherwise."""
    if isinstance(value, date):
        return value
    written = " ".join(str(value).split())
    match = DATE.fullmatch(written)
    if match is None or not (match.group("iso") or _year_written(match)):
        raise ValueError(f"expected a date such as 2025-03-03 or 3 March 2025, got {value!r}")
    found = date_of(match, 0)
    if found is None:
        raise ValueError(f"no such day: {value!r}")
    return found[0]


def month_end(day: date) -> date:
    """The last day of a date's month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def format_date(value: date) -> str:
    """A date as a reader writes it: "3 March 2025"."""
    return f"{value.day} {calendar.month_name[value.month]} {value.year}"


def shift(start: date, amount: Decimal, unit: str | None) -> date | None:
    """A date moved by days (the default), weeks, or whole months or years; a month-end day stays in its month
    ("31 January" plus a month is 28 or 29 February). None past the calendar's end."""
    from dateutil.relativedelta import relativedelta

    unit = (unit or "days").lower().rstrip("s")
    try:
        if unit in ("day", "week"):
            return start + timedelta(days=int(amount * (7 if unit == "week" else 1)))
        if unit in ("month", "year") and amount == int(amount):
            return start + relativedelta(**{f"{unit}s": int(amount)})
    except OverflowError:
        return None
    raise ValueError(f"a date moves by days, weeks, or whole months or years, not {amount} {unit}s")


def time_between(start: date, end: date, unit: str) -> Decimal:
    """The time from one date to a later one in days, weeks, months or years: whole months and the days left as a
    share of the month they fall in, rounded down to two decimals, so a day short of three years is not three."""
    from dateutil.relativedelta import relativedelta

    unit = unit.lower().rstrip("s")
    days = Decimal((end - start).days)
    if unit in ("day", "week"):
        return days if unit == "day" else (days / 7).quantize(Decimal("0.01"), rounding=ROUND_FLOOR).normalize()
    gap = relativedelta(end, start)
    whole = gap.years * 12 + gap.months
    reached = start + relativedelta(months=whole)
    months = whole + Decimal(gap.days) / calendar.monthrange(reached.year, reached.month)[1]
    value = months if unit == "month" else months / 12
    return value.quantize(Decimal("0.01"), rounding=ROUND_FLOOR).normalize()
