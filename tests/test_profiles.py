"""Comparisons across the organisation profiles: the extreme value named, every compared field cited."""

import pytest

from assistant.profiles import _amount, _head_count, _year, asked_superlative

from .conftest import quoted_exactly


def test_values_read_from_profile_fields():
    assert _year(" 1888") == 1888
    assert _head_count(" 201-500") == 500
    assert _head_count(" 10,001+") == 10001
    assert _amount(" $18.21B") == pytest.approx(18.21e9)
    assert _amount(" $750M") == pytest.approx(750e6)


@pytest.mark.parametrize(("question", "adjective"), [
    ("Which of the profiled organisations is the oldest?", "oldest"),
    ("Which company was founded most recently?", "newest"),
    ("Which of these firms has the fewest employees?", "smallest by employees"),
    ("What is the oldest trick in the book?", None),  # names no set of organisations
    ("Is the FT the oldest?", None),  # a yes/no question, not "which one"
])
def test_superlative_questions(question, adjective):
    found = asked_superlative(question)
    assert (found.adjective if found else None) == adjective


def test_the_oldest_profiled_organisation_is_named_and_every_compared_field_cited(bot):
    answer = bot.ask("Which organisation in the profiles was founded first?")
    assert not answer.abstained
    assert answer.text.startswith("Of the 3 profiles that give a founding date, Financial Times (1888) [1] is the oldest.")
    assert "Oracle gives no founding date" in answer.text  # said, not guessed
    assert [c.quote for c in answer.citations] == ["Founded date: 1888", "Founded date: 2013", "Founded date: 2015"]
    assert all(quoted_exactly(c) for c in answer.citations)


def test_the_other_end_of_the_scale_and_a_field_only_one_profile_gives(bot):
    answer = bot.ask("Which of these companies has the fewest staff?")
    assert "Oracle (1-10) [1] is the smallest by employees" in answer.text
    # Only OpenAI's profile gives a total raised: there is nothing to compare, so no comparison is made up.
    assert "Of the" not in bot.ask("Which of the companies raised the most money?").text


def test_latest_news_is_not_a_founding_date():
    assert asked_superlative("What is the latest news about these companies?") is None
    assert asked_superlative("Which of the companies was founded latest?").adjective == "newest"


@pytest.mark.parametrize("question", [
    "Which is the newest development for these companies?",
    "What is the oldest rivalry among the firms?",
])
def test_a_superlative_about_something_else_is_not_a_comparison(question):
    assert asked_superlative(question) is None
