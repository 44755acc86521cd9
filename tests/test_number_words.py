"""Figures written in words, as the clause reader sees them: rewritten as digits, everything else left alone."""

import pytest

from assistant.clauses.number_words import digits


@pytest.mark.parametrize(("written", "read"), [
    ("forty-five days", "45 days"),
    ("a hundred and fifty billion", "150 billion"),
    ("one hundred and twenty hours", "120 hours"),
    ("two thousand and five", "2005"),
    ("twenty twenty-nine", "2029"),  # two two-digit figures are a year
    ("in '31", "in 2031"),
    ("twelve eight-hour days", "12 8-hour days"),
    ("between three and fifteen years", "between 3 and 15 years"),  # "and" joins figures only after a hundred
    ("between one hundred and two hundred hours", "between 100 and 200 hours"),  # ... and not before another
    ("five hundred and twenty-five thousand", "525000"),
    ("two and a half years", "2.5 years"),
    ("a year and a half", "1.5 year"),
    ("within a week", "within 1 week"),
    ("from one year to the next", "from one year to the next"),  # "one" alone is a pronoun more often than a figure
    ("a day off", "a day off"),
    ("the third time", "the third time"),
])
def test_figures_in_words_become_digits(written, read) -> None:
    assert digits(written) == read
