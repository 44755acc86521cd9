"""What value a what-if asks for, and whether an outcome holds one."""

import pytest

from assistant.clauses.asked import Ask, answers, asked_value


@pytest.mark.parametrize("question, expected", [
    ("Suppose I have 275 hours. How many annual leave hours will I forfeit?", Ask("count", "hour")),
    ("How many of those 4 days can be covered by administrative leave?", Ask("count", "day")),
    ("What's the maximum number of days of leave I can receive?", Ask("count", "day")),
    ("If I resign, how much of it will be paid out to me as a lump sum?", Ask("money")),
    ("How much paid time off can I get to help with the move?", Ask("figure")),
    ("By how much per pay period will my premium go up?", Ask("money")),
    ("How many billions of dollars will Oracle put into it?", Ask("money")),
    ("If it leaves early, what exit fee or penalty would it owe?", Ask("money")),  # what + a money noun
    ("What happens to the fee if I leave early?", None),
    ("What if the exit fee is waived?", None),
    ("What percentage of the revenue would it share?", Ask("percent")),
    ("If nothing changes, in which year would the partnership run out?", Ask("date")),
    ("I got it on 10 March. By when do I have to use it?", Ask("date")),
    ("If I hold 300 hours, when do I lose them?", Ask("date")),
    ("When I post my version, what do I have to say about the edits?", None),
    ("If I cure it in a week, can the licensor still sue me?", None),
    ("Who has to approve that in writing?", None),
    ("What's the maximum amount of damages she can claim per copy?", Ask("money")),  # an amount of a money noun
    ("What is the total amount of leave I can carry?", Ask("figure")),
    ("What would happen to my rights?", None),
    ("If we are sued, which country's courts would hear it?", Ask("place")),
    ("Which rule applies if I leave early?", None),
    ("What is the state of my leave if I quit?", None),  # a condition, not a place
    ("What is the court's view if I sue?", None),
])
def test_the_asked_value(question, expected):
    assert asked_value(question) == expected


def test_an_outcome_answers_only_with_a_value_of_the_asked_kind():
    assert answers(Ask("count", "hour"), "You forfeit 35 hours of annual leave.")
    assert answers(Ask("count", "day"), "You receive 15 Military Leave days a year.")
    assert not answers(Ask("count", "day"), "Cured within 30 hours, so your rights come back.")
    assert answers(Ask("date"), "Your rights come back as of 28 March 2025.")
    assert not answers(Ask("date"), "Your rights come back as of the date it was cured.")
    assert answers(Ask("money"), "A further award will be paid at $500.") and not answers(Ask("money"), "You lose 35 hours.")
    assert answers(Ask("count", "day"), "You have thirteen days left.") and answers(Ask("percent"), "You keep 50%.")
    assert answers(None, "No; the licence does not allow it.")
    assert answers(Ask("count", "hour"), "You lose 60 of your 300 hours.")
    # a place is a name: an outcome that names none leaves the question to the documents
    assert answers(Ask("place"), "The case is heard in Germany.")
    assert not answers(Ask("place"), "The material is offered as-is, and the licensor is not liable to you.")
    assert not answers(Ask("place"), "The Licensor is not liable to You.")  # a defined term is no place


def test_a_release_answers_when():
    asked = asked_value("If it was deprecated in 1.29, when can it be removed?")
    assert answers(asked, "It may go in 1.32.")
    assert not answers(asked, "It stays for 1.5 years.") and not answers(asked, "A release comes every 1.38 months.")
