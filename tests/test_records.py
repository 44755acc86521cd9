"""Comparisons across the entries of a record set (profiles, a Markdown table, a list of dated entries): the
extreme value named, the compared entries cited, nothing guessed."""

import pytest

from assistant.answer.records import _amount, _date, asked_superlative

from tests.conftest import one_document_bot, quoted_exactly

RELEASES = """# Widget releases

Widget is a small tool. This page lists its releases.

| Version | Released   | Downloads | Size   |
| ------- | ---------- | --------- | ------ |
| 1.0     | 2019-03-02 | 1,200     | 2.1 MB |
| 2.0     | 2021-07-15 | 48,000    | 3.4 MB |
| 3.0     | 2024-01-09 | 9,500     | 2.8 MB |

## History of board elections

* March 2018: the first board was elected.
* November 2020: the second board was elected.
* October 2023: the third board was elected.

The oldest trick in the book is to ship often.
"""


@pytest.fixture(scope="module")
def releases(tmp_path_factory):
    return one_document_bot(tmp_path_factory, "widget.md", RELEASES)


def test_values_read_as_numbers_and_dates():
    assert _amount("$18.21B") == pytest.approx(18.21e9)
    assert _amount("201-500") == 500
    assert _amount("10,001+") == 10001
    assert _date("1888") < _date("11-Jun-2024") < _date("2024-06-12")
    assert _date("201-500") is None


@pytest.mark.parametrize(("question", "word", "low"), [
    ("Which release has the fewest downloads?", "fewest", True),
    ("Which version is the largest?", "largest", False),
    ("Which company was founded most recently?", "recent", False),
    ("Is version 2 the largest?", None, None),  # a yes/no question, not "which one"
    ("What does the tool do?", None, None),
])
def test_a_superlative_is_found_by_the_tagger(question, word, low):
    found = asked_superlative(question)
    assert (found.word if found else None) == word
    if found:
        assert found.low is low


def test_a_table_is_compared_by_the_column_the_question_names(releases):
    answer = releases.ask("Which version has the most downloads?")
    assert answer.text.startswith("Of the 3 rows that give Downloads, the highest is 2.0 (48,000) [1].")
    assert all(RELEASES[c.start : c.end] == c.quote for c in answer.citations)
    assert releases.ask("Which version has the fewest downloads?").text.startswith(
        "Of the 3 rows that give Downloads, the lowest is 1.0 (1,200) [1].")


def test_the_oldest_entry_of_a_dated_list_named_by_the_question(releases):
    answer = releases.ask("Of the board elections in the history, which was the earliest?")
    assert answer.text.startswith("Of the 3 entries that give a date, the earliest is March 2018: the first board")
    first = answer.citations[0]
    assert first.quote.endswith("March 2018: the first board was elected.")
    assert RELEASES[first.start : first.end] == first.quote


def test_a_superlative_about_something_else_is_not_a_comparison(releases):
    answer = releases.ask("What is the oldest trick in the book?")
    assert "Of the" not in answer.text


def test_the_profiles_of_the_article_and_a_field_only_one_gives(bot):
    answer = bot.ask("Which organisation in the profiles was founded earliest?")
    assert answer.text.startswith("Of the 3 profiles that give a Founded date, the earliest is Financial Times (1888) [1].")
    assert "Oracle gives no Founded date" in answer.text  # said, not guessed
    assert [c.quote for c in answer.citations] == ["Founded date: 1888", "Founded date: 2013", "Founded date: 2015"]
    assert all(quoted_exactly(c) for c in answer.citations)
    assert "Oracle (1-10) [1]" in bot.ask("Which of the profiles has the fewest employees?").text
    # Only OpenAI's profile gives a total raised: there is nothing to compare, so no comparison is made up.
    assert "Of the" not in bot.ask("Which of the profiles raised the most money?").text
