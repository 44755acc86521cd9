"""Reading a later turn: a question leans on the conversation only when it needs it, and a count or an amount is
answered only by a sentence that holds one."""

import pytest

from assistant.answer.conversation import condense, reading
from assistant.models import Turn
from tests.conftest import one_document_bot

TOWN = """The Millbrook library reopened in May after a renovation. The project cost 4.8 million euros.
The reading room now has 120 seats, twice as many as before. The town's heritage fund gave 3.1 million.

The new mayor, Ada Lovelace, opened the building. She had led the council's culture committee for six years.

The Halcyon programme lends laptops to students for a term at a time.
"""
EARLIER = [Turn(role="user", content="When did the library reopen?"), Turn(role="assistant", content="In May.")]


@pytest.fixture(scope="module")
def town_bot(tmp_path_factory):
    return one_document_bot(tmp_path_factory, "town.txt", TOWN)


@pytest.mark.parametrize(("question", "how"), [
    ("What is the Halcyon programme?", "alone"),  # short, and about something else: itself
    ("How many seats does the reading room have?", "alone"),
    ("Where was she before?", "leans"),  # a pronoun it does not resolve
    ("And until when?", "leans"),  # no verb of its own
    ("What did the mayor say about it?", "leans"),
    ("What did Lovelace say about it?", "either"),  # a name of its own, and a pronoun pointing back
    ("And what about Ada Lovelace?", "either"),
])
def test_a_later_question_leans_on_the_conversation_only_when_it_needs_it(question, how):
    assert reading(question) == how


def test_a_standalone_later_question_is_answered_as_if_asked_first(town_bot):
    question = "What is Halcyon?"  # three words: no rule of length makes it a follow-up
    first = town_bot.ask(question)
    later = town_bot.ask(question, history=[t.model_dump() for t in EARLIER])
    assert not condense(question, EARLIER).is_follow_up
    assert later.text == first.text and "lends laptops" in later.text


def test_a_real_follow_up_is_still_read_with_the_conversation(town_bot):
    history = [{"role": "user", "content": "Who opened the building?"},
               {"role": "assistant", "content": "The new mayor, Ada Lovelace."}]
    question = "How long had she led the culture committee?"
    assert condense(question, [Turn(**t) for t in history]).is_follow_up
    assert "six years" in town_bot.ask(question, history=history).text


def test_a_two_part_question_is_split_in_a_later_turn(town_bot):
    question = "How many seats does it have now, and who opened it?"  # a follow-up, in two parts
    assert condense(question, EARLIER).is_follow_up
    answer = town_bot.ask(question, history=[t.model_dump() for t in EARLIER])
    assert "120" in answer.text and "Lovelace" in answer.text
    assert len(answer.citations) >= 2


def test_amounts_written_with_their_scale_answer_how_much(town_bot):
    assert "4.8 million euros" in town_bot.ask("How much did the renovation cost?").text
    assert "3.1 million" in town_bot.ask("How much money did the heritage fund give?").text
