"""Figures written in words, rewritten as digits so one reader handles both: "forty-five days" -> "45 days",
"a hundred and fifty billion" -> "150 billion", "twenty twenty-nine" -> "2029", "'31" -> "2031"."""

from __future__ import annotations

import re

_UNITS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve thirteen "
                                     "fourteen fifteen sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if i > 1}
_WORDS = "|".join([*_UNITS, *_TENS, "hundred", "thousand"])
# A run of number words; "and" joins them only after a hundred or a thousand, and not before another hundred ("a
# hundred and fifty", not "between three and fifteen" or "between one hundred and two hundred").
_AND = r"(?:(?<=hundred)|(?<=thousand))\s+and\s+(?!(?:[a-z]+[\s-]+){0,2}hundred\b)"
_RUN = re.compile(r"(?:(?:\b(?:a|an)\s+)?\b(?:" + _WORDS + r")\b(?:(?:[\s-]+|" + _AND + r")(?=(?:" + _WORDS + r")\b))?)+",
                  re.I)
_SHORT_YEAR = re.compile(r"(?<![\w$])'(\d{2})\b")


# "within a week", "more than a year": one unit of time, after a word that measures a stretch of it.
_ONE_UNIT = re.compile(r"\b(within|after|over|than|only|just|about|around|nearly|almost|under|barely)\s+an?\s+"
                       r"(?=(?:hour|day|week|fortnight|month|year)\b)", re.I)
_AND_A_HALF = re.compile(r"\b(?:(?P<number>\d+)|an?|one) (?P<unit>[a-z]+) and a half\b", re.I)


def digits(text: str) -> str:
    """The text with figures written in words as digits; everything else unchanged."""
    text = _SHORT_YEAR.sub(lambda m: "20" + m.group(1), text)
    text = _RUN.sub(_replace, text)
    # "two and a half years", "a year and a half"
    text = re.sub(r"\b(\d+) and a half\b", r"\1.5", text)
    text = _AND_A_HALF.sub(lambda m: f"{m.group('number') or 1}.5 {m.group('unit')}", text)
    return _ONE_UNIT.sub(r"\1 1 ", text)


def _replace(match: re.Match[str]) -> str:
    written = match.group(0)
    words = [w for w in re.split(r"[\s-]+", written.lower()) if w and w != "and"]
    if words and words[0] in ("a", "an"):
        if len(words) == 1 or words[1] not in ("hundred", "thousand"):
            return written  # "a" alone is an article, not a figure
        words[0] = "one"
    if words == ["one"]:
        return written  # "from one year to the next": a pronoun or determiner more often than a figure
    numbers = _parse(words)
    if numbers is None:
        return written
    trailing = " " if written.endswith((" ", "-")) else ""
    return " ".join(str(n) for n in numbers) + trailing


def _parse(words: list[str]) -> list[int] | None:
    """The figures a run of number words writes ("twelve eight" is two): two-digit pairs are read as a year."""
    groups: list[list[str]] = [[]]
    for word in words:
        # "twenty twenty-nine": a tens word after a complete two-digit figure starts a new one.
        last = groups[-1][-1] if groups[-1] else None
        if last is not None and ((word in _TENS and (last in _TENS or last in _UNITS) and "hundred" not in groups[-1]
                                  and "thousand" not in groups[-1]) or (word in _UNITS and last in _UNITS)):
            groups.append([])
        groups[-1].append(word)
    numbers = [_value(g) for g in groups]
    if any(n is None for n in numbers):
        return None
    if len(numbers) == 2 and 19 <= numbers[0] <= 21 and 0 <= numbers[1] <= 99:
        return [numbers[0] * 100 + numbers[1]]
    return numbers


def _value(words: list[str]) -> int | None:
    total, current = 0, 0
    for word in words:
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word == "thousand":
            total += max(current, 1) * 1000
            current = 0
        else:
            return None
    return total + current
