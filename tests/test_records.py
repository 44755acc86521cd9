"""Comparisons across the entries of a record set (profiles, a Markdown table, a list of dated entries): the
extreme value named, the compared entries cited, nothing guessed."""

import pytest

from assistant.answer.records import _amount, asked_superlative, date_value

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
    assert date_value("1888") < date_value("11-Jun-2024") < date_value("2024-06-12")
    assert date_value("201-500") is None


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


def test_years_between_two_named_entries_and_an_age_at_the_documents_date(bot):
    apart = bot.ask("How many years apart were the Financial Times and The Information founded?")
    assert "125 years apart" in apart.text
    assert [c.quote for c in apart.citations] == ["Founded date: 1888", "Founded date: 2013"]
    older = bot.ask("Using the profiles, how many years older is the Financial Times than OpenAI?")
    assert "127 years apart, Financial Times the earlier" in older.text
    age = bot.ask("How old was OpenAI when this article was published?")
    assert age.text.endswith(": 10 years by then.")
    assert [c.quote for c in age.citations] == ["Founded date: 2015", "January 24, 2025, 4:42 am"]
    assert all(quoted_exactly(c) for c in (*apart.citations, *age.citations))
    assert "137 years by then" in bot.ask("How many years old was the Financial Times when the article came out?").text
    # a question that asks two things is computed whole: its second part alone names no entry
    both = bot.ask("Between The Information and OpenAI, which was founded first, and how many years earlier?")
    assert "2 years apart, The Information the earlier" in both.text
    # ... but a part answered on its own keeps the other part's answer beside it
    two = bot.ask("How old was OpenAI in 2020, and what is the Stargate project?")
    assert "5 years by 2020" in two.text and "Stargate" in two.text
    assert "5 years by 2020" in bot.ask("How old was OpenAI in 2020?").text
    assert "0 years by 2015" in bot.ask("How old was OpenAI in 2015?").text


def test_a_figure_the_question_gives_in_an_entrys_range(bot):
    inside = bot.ask("We have 350 staff: would we fall in the same headcount band as OpenAI?")
    assert inside.text.startswith("Yes: OpenAI gives Employees 201-500 [1], and 350 is within it.")
    assert bot.ask("We have 600 staff. Would we be in the same headcount band as OpenAI?").text.startswith("No:")


COMPUTED = ("years by then", "years apart", "is within it", "is outside it")


@pytest.mark.parametrize("question", [
    "How old must you be to subscribe to The Information?",  # the entry is not whose age is asked
    "How many years after its founding did OpenAI get the right to use other clouds?",  # not an age, not a span
    "How old was OpenAI when it had 2000 employees?",  # a time the document's date does not give
    "How old was OpenAI in 1990?",  # before the entry's own date
    "How old will OpenAI be, going by its profile?",  # later than the document, and no year given
    "Has OpenAI had more than 300 employees?",  # one bound, which a range cannot settle
    "Did Microsoft invest in OpenAI in 2019 when OpenAI had 350 employees?",  # not asking whether it is in the range
])
def test_what_no_record_computes_is_left_to_the_reader(bot, question):
    assert not any(tail in bot.ask(question).text for tail in COMPUTED)


def test_dates_with_months_count_whole_years_in_a_table(releases):
    answer = releases.ask("How many years apart were versions 1.0 and 3.0 released?")
    assert "2019-03-02 [1] and 3.0 2024-01-09 [2]: 4 years apart, 1.0 the earlier." in answer.text
