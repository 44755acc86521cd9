"""What kind of answer a question asks for, and where a value stands in a sentence."""

import subprocess
import sys

import pytest

from assistant.answer.answer_types import (
    asked_position,
    asks_why_or_how,
    expected_answer_type,
    time_frame,
    plain_verbs,
    without_form_phrases,
)
from assistant.answer.calibration import fitted
from assistant.answer.conversation import Query
from assistant.answer.question import Question
from assistant.answer.values import has_answer_type, value_windows
from assistant.ingest.entities import decode, find_entities
from assistant.text import words


REACH = {"words_around": int(fitted().value_window), "chars_around": int(fitted().name_window)}


def _q(text: str) -> Question:
    """A first-turn question, analysed."""
    return Question.read(Query(text, text))


@pytest.mark.parametrize(("question", "kind"), [
    ("When does the partnership end?", "time"),
    ("and when does it end?", "time"),
    ("How did OpenAI react when Microsoft hired Suleyman?", None),  # "when" is a conjunction here
    ("How much money has OpenAI raised?", "number"),
    ("What is the project's budget?", "number"),
    ("What's the maximum number of hours I can give her?", "number"),
    ("How is that threshold defined in dollar terms?", "number"),
    ("What are the revenue-sharing agreements?", None),  # revenue-sharing is a kind of agreement, not an amount
    ("What does the article say about profit?", None),  # a topic, not the thing asked for
    ("What could cost Microsoft its access?", None),  # cost as a verb
    ("openai capex $", "number"),
    ("What is the name of Oracle's founder?", "name"),
    ("Where is Oracle based?", "place"),
    ("Who leads the consumer AI initiatives?", "name"),
    ("Besides Oracle, which companies are part of it?", "name"),
    ("Which other cloud companies joined it?", "name"),
    ("What news outlet reported it?", "name"),
    ("What made people worry?", None),
    ("Which city is Oracle in?", "place"),
    ("Which US state is OpenAI based in?", "place"),
    ("What time of day did the piece go up?", "time"),
    ("oracle hq", "place"),
    ("Which company is headquartered in Austin?", "name"),  # a name, asked by where it is
    ("What financial state is OpenAI in?", None),
    ("What did OpenAI achieve in its first year?", None),  # not keywords: "year" is not what it asks
    ("story pub date?", "time"),  # keywords end on the kind they want
    ("How did they react when he was hired?", None),
    ("And who founded it?", "name"),  # a follow-up's "and" before its question word
    ("so, whom did they hire?", "name"),
    ("And what is that project called?", "name"),
    ("What is it known as?", "name"),
    ("Why is it called Stargate?", None),
    ("name of the oracle project?", "name"),  # keywords
    ("Name the company that approved it.", "name"),
])
def test_expected_answer_type(question, kind):
    assert expected_answer_type(question) == kind


def test_a_currency_sign_stands_next_to_its_word():
    windows = value_windows("a system capable of generating over $100 billion in profit", "number", _q(""), [], **REACH)
    assert any("dollars" in window for window in windows)


@pytest.mark.parametrize(("question", "expected"), [
    ("Why is it a double-edged sword?", True),
    ("How did OpenAI react?", True),
    ("What is the AGI clause?", False),
    ("What's the drawback of that for OpenAI?", True),  # a consequence explains, as a why does
    ("What is the risk for Microsoft?", True),
    ("Could you explain the Oracle deal?", True),
    ("What does the exclusivity on Azure mean for customers?", True),
])
def test_asks_why_or_how(question, expected):
    assert asks_why_or_how(question) is expected


@pytest.mark.parametrize(("question", "content"), [
    ("In plain English, what does the right of first refusal mean?", "what does the right of first refusal mean?"),
    ("what does the ROFR mean in simple terms?", "what does the ROFR mean?"),
    ("Briefly, what is Stargate?", "what is Stargate?"),
    ("What is in English law?", "What is in English law?"),  # "English" is content here
])
def test_words_about_the_form_of_the_answer_are_not_its_content(question, content):
    assert without_form_phrases(question) == content


@pytest.mark.parametrize(("text", "frame"), [
    ("Which cloud was OpenAI tied to before?", "past"),
    ("Who supplies OpenAI now?", "present"),
    ("Azure remains the exclusive home for OpenAI's API.", "present"),
    ("What is the AGI clause?", None),
    ("What did their old deal say about compute?", "past"),
    ("Prior to January, who hosted the API?", "past"),
    ("How old is Oracle?", None),  # age, not the past
])
def test_time_frame(text, frame):
    assert time_frame(text) == frame


def _spans(text: str, *entities: tuple[str, str]) -> list[tuple[str, int, int]]:
    """Entities as the recogniser reports them: (label, start, end) of each (label, words) given."""
    return [(label, text.index(found), text.index(found) + len(found)) for label, found in entities]


def test_a_name_the_question_gives_in_part_is_no_new_name():
    text = "The giant hired Mustafa Suleyman, CEO of Inflection, to lead its consumer AI work."
    found = _spans(text, ("PERSON", "Mustafa Suleyman"), ("ORG", "Inflection"))
    assert value_windows(text, "name", _q("Who replaced Suleyman at Inflection?"), found, **REACH) == []
    assert value_windows(text, "name", _q("Who runs the AI work?"), found, **REACH)  # Mustafa Suleyman is new here
    chairman = "The board named Microsoft Chairman Satya Nadella to lead it."
    found = _spans(chairman, ("ORG", "Microsoft"), ("PERSON", "Satya Nadella"))
    assert value_windows(chairman, "name", _q("Who is Microsoft's chairman?"), found, **REACH)  # sharing "Microsoft" hides no one


def test_who_asks_for_people_or_a_group_not_a_place():
    text = "The plant in Texas will open soon."
    found = _spans(text, ("GPE", "Texas"))
    assert not has_answer_type(text, "name", _q("Who runs the plant?"), found)
    assert has_answer_type(text, "place", _q("Where is the plant?"), found)


def test_a_time_must_say_when_or_how_long():
    text = "Unused hours are forfeited at the end of the leave year, or within 30 days of leaving."
    vague = _spans(text, ("DATE", "the end of the leave year"))
    assert not has_answer_type(text, "time", _q("When do the hours lapse?"), vague)
    assert has_answer_type(text, "time", _q("When do the hours lapse?"), vague + _spans(text, ("DATE", "30 days")))


def test_the_recogniser_types_sentences_at_ingest():
    from assistant.ingest.entities import decode, find_entities

    text = "Funding is provided by the Internet Society in Reston, Virginia, since 2001. Mail rfc@example.org."
    found = decode(find_entities([text])[0])
    assert has_answer_type(text, "time", _q("Since when is it funded?"), found)
    assert has_answer_type(text, "place", _q("Where is it sent?"), found)  # a mail address or a place
    assert ("ADDRESS", text.index("rfc@"), text.index("rfc@") + len("rfc@example.org")) in found


def test_a_name_window_does_not_cut_words():
    text = "This is a significant change from the previous arrangement, where OpenAI was tethered to Microsoft Azure."
    window = value_windows(text, "name", _q("Which platform was it?"), _spans(text, ("ORG", "Microsoft Azure")), **REACH)[-1]
    assert set(window) <= set(words(text)) and window[-1] == "azure"


@pytest.mark.parametrize(("question", "position"), [
    ("How does the article wrap up?", "closing"),
    ("What does the piece open with?", "opening"),
    ("In its conclusion, what does the writer say?", "closing"),
    ("What is the opening line?", "opening"),
    ("What does the intro compare it to?", "opening"),
    ("What is the piece's conclusion?", "closing"),
    ("When did OpenAI start?", None),  # a founding, not the text's beginning
    ("When does it end?", None),  # the partnership's end, not the article's
])
def test_asked_position(question, position):
    assert asked_position(question) == position


def test_an_amount_in_words_is_a_number():
    text = "OpenAI's ambitions require billions of dollars in computing power."
    entities = decode(find_entities([text])[0], 0)  # "billions of dollars": MONEY
    assert has_answer_type(text, "number", _q("How much will it spend?"), entities)
    assert has_answer_type(text, "number", _q("How many will it spend?"), [])
    assert any("dollars" in window for window in value_windows(text, "number", _q(""), [], **REACH))


def test_how_much_asks_for_an_amount_and_how_many_for_a_count():
    text = "The program awarded seed funding to 11 teams."
    entities = decode(find_entities([text])[0], 0)  # "11": CARDINAL
    assert not has_answer_type(text, "number", _q("How much funding did it award?"), entities)
    assert has_answer_type(text, "number", _q("How many teams got funding?"), entities)
    assert has_answer_type("It awarded $3.9 million.", "number", _q("How much did it award?"), [])  # the sign says
    assert has_answer_type("Permits cost 40 euros a month.", "number", _q("How much does a permit cost?"),
                           [("CARDINAL", 13, 15)])  # the recogniser's label: the currency says it is an amount


def test_phrasal_verbs_are_also_said_in_one_word():
    assert plain_verbs("What must the council make sure of?") == ["ensure"]
    assert plain_verbs("Who was pushed out?") == ["ousted"]
    assert plain_verbs("What is the setup?") == []
    assert plain_verbs("Who was let go?") == ["dismissed"]
    assert plain_verbs("Who signed off on it?") == ["approved"]
    assert plain_verbs("Who came up with it, and who green-lit it?") == ["approved"]  # "came up with" is not listed


def test_the_recogniser_loads_without_torch_and_leaves_it_importable():
    code = ("import sys\n"
            "from assistant.ingest.entities import decode, find_entities\n"
            "found = decode(find_entities(['Microsoft pays $10 billion.'])[0])\n"
            "print('MONEY' in [label for label, _, _ in found], 'torch' in sys.modules)\n"
            "import torch\n"
            "print(torch.tensor([1.0]).sum().item())\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "False", "1.0"]


def test_a_count_is_not_answered_by_a_date_line():
    line = "Published — January 24, 2025, 4:42 am"
    dated = _spans(line, ("DATE", "January 24, 2025"), ("TIME", "4:42 am"))
    assert not has_answer_type(line, "number", _q("How many seats does the library have?"), dated)
    assert has_answer_type("The library has 120 seats.", "number", _q("How many seats does it have?"), [])
    lapse = "Unused hours lapse within 30 days."
    assert has_answer_type(lapse, "number", _q("How many days do I have?"), _spans(lapse, ("DATE", "30 days")))


def test_an_amount_written_with_its_scale_answers_how_much():
    assert has_answer_type("The project cost 4.8 million euros.", "number", _q("How much did the renovation cost?"), [])
    assert has_answer_type("The fund gave 3.1 million.", "number", _q("How much money did the fund give?"), [])
    assert not has_answer_type("The fund gave grants to 31 schools.", "number", _q("How much did the fund give?"), [])
