"""The question reader over the article's clause pack: natural phrasings to the pack's facts, and whether a
question is a what-if. The reader is general; these phrasings test it with the words the article's pack gives."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assistant.clauses import evaluate, load_pack
from assistant.clauses.quantities import Bound
from assistant.clauses.reader import read_question
from tests.conftest import CORPUS

B = Decimal(10) ** 9
ARTICLE = load_pack(CORPUS / "microsoft-openai-partnership.clauses.yaml")


def parse_question(question: str):
    return read_question(ARTICLE.pack, question, ARTICLE.id)

PHRASINGS = [
    ("What if Microsoft can't meet OpenAI's compute demand and OpenAI turns to AWS?",
     {"microsoft_can_meet_demand": False, "provider": "aws"}),
    ("Suppose Microsoft runs out of capacity in 2027. Can OpenAI use Google Cloud then?",
     {"year": 2027, "microsoft_can_meet_demand": False, "provider": "google"}),
    ("If Microsoft fails to deliver the compute OpenAI needs, can OpenAI go to Amazon Web Services?",
     {"microsoft_can_meet_demand": False, "provider": "aws"}),
    ("What happens if Microsoft doesn't have enough GPUs and OpenAI signs with CoreWeave?",
     {"microsoft_can_meet_demand": False, "provider": "coreweave"}),
    ("Imagine Microsoft has enough capacity. Could OpenAI still move new training runs to GCP?",
     {"microsoft_can_meet_demand": True, "provider": "google"}),
    ("What if OpenAI's demand outstrips what Microsoft can provide?",
     {"microsoft_can_meet_demand": False}),
    ("What if Microsoft declines to supply the extra compute?", {"microsoft_can_meet_demand": False}),
    ("Say Microsoft turns down OpenAI's request for more GPUs.", {"microsoft_can_meet_demand": False}),
    ("Suppose Microsoft reviews the request for more GPUs and turns it down.", {"microsoft_can_meet_demand": False}),
    ("What if Microsoft gets the next compute order and decides to pass on it?", {"microsoft_can_meet_demand": False}),
    ("If Microsoft can only cover half of what OpenAI needs, then what?", {"microsoft_can_meet_demand": False}),
    ("If Microsoft cannot supply the computing power, is OpenAI allowed to use Oracle?",
     {"microsoft_can_meet_demand": False, "provider": "oracle"}),
    ("What if Microsoft is unable to meet OpenAI's needs?",
     {"microsoft_can_meet_demand": False}),
    ("Suppose Microsoft can meet all of OpenAI's compute needs — who supplies it?",
     {"microsoft_can_meet_demand": True}),
    ("Could OpenAI sell its API through AWS?", {"api_host": "aws"}),
    ("Under the old deal, could OpenAI have trained on Google Cloud?", {"earlier_arrangement": True, "provider": "google"}),
    ("Before the new agreement, what if OpenAI had wanted AWS capacity?", {"earlier_arrangement": True, "provider": "aws"}),
    # "before the current deal ends" is within the new agreement, not before it
    ("If Microsoft can't meet demand before the current deal expires, can OpenAI use AWS?",
     {"microsoft_can_meet_demand": False, "provider": "aws"}),
    # another provider after "and" is a new subject; Microsoft's own second verb phrase is not
    ("What if Microsoft is busy and CoreWeave can meet the demand?", {"provider": "coreweave"}),
    ("What if Microsoft turns down the Oracle request and can meet the demand?",
     {"microsoft_can_meet_demand": True, "provider": "oracle"}),
    ("What if OpenAI offers the API on Google Cloud?", {"api_host": "google"}),
    ("Is OpenAI allowed to host its API on Amazon after 2030?", {"year": 2031, "api_host": "aws"}),
    ("What if OpenAI moves its API off Azure?", {"api_host": "elsewhere"}),
    ("Can OpenAI keep selling the API via Azure in 2029?", {"year": 2029, "api_host": "azure"}),
    ("What happens if OpenAI achieves AGI in 2028?", {"year": 2028, "agi_achieved": True}),
    ("What if OpenAI reaches artificial general intelligence?", {"agi_achieved": True}),
    ("What if OpenAI never reaches AGI?", {"agi_achieved": False}),
    ("If OpenAI builds a system earning $150 billion in profit, what happens to Microsoft?",
     {"profit_usd": 150 * B}),
    ("What if the model generates exactly $100 billion in profit?", {"profit_usd": 100 * B}),
    ("What if OpenAI's AI earns 150B in profit?", {"profit_usd": 150 * B}),
    ("Suppose the system makes $80bn of profit a year.", {"profit_usd": 80 * B}),
    ("What if it generates 100 billion dollars in profit?", {"profit_usd": 100 * B}),
    ("What if OpenAI's system makes $1.5 trillion in profit?", {"profit_usd": 1500 * B}),
    ("What if OpenAI generates $100,000,000,000 in profit?", {"profit_usd": 100 * B}),
    ("What if OpenAI's profits hit $100,000,000,001 in 2030?", {"year": 2030, "profit_usd": 100 * B + 1}),
    ("What if the system earns more than $100 billion in profit?", {"profit_usd": Bound(low=100 * B)}),
    ("What if OpenAI makes less than $90 billion in profit?", {"profit_usd": Bound(high=90 * B)}),
    ("Would Microsoft still have access to OpenAI's IP in 2031?", {"year": 2031}),
    ("What happens to revenue sharing after 2030?", {"year": 2031}),
    ("What if Microsoft hadn't approved the Oracle partnership?",
     {"provider": "oracle", "oracle_approved_by_microsoft": False}),
    ("What if OpenAI expands Stargate without Microsoft's approval?",
     {"provider": "oracle", "oracle_approved_by_microsoft": False}),
    ("If OpenAI achieves AGI in 2029 and Microsoft can't keep up with demand, can it use AWS?",
     {"year": 2029, "agi_achieved": True, "microsoft_can_meet_demand": False, "provider": "aws"}),
]


@pytest.mark.parametrize(("question", "facts"), PHRASINGS, ids=[q for q, _ in PHRASINGS])
def test_phrasing_maps_to_facts(question: str, facts: dict) -> None:
    parsed = parse_question(question)
    assert parsed.facts == facts
    assert list(parsed.facts) == [name for name in ARTICLE.pack.facts if name in facts]
    assert set(parsed.evidence) == set(facts)


@pytest.mark.parametrize(
    "question",
    [
        "What if Microsoft can't meet demand?",
        "Suppose OpenAI reaches AGI.",
        "Imagine OpenAI sells its API on AWS.",
        "If OpenAI earns $200 billion, what happens?",
        "Could OpenAI use Oracle?",
        "Would the deal survive 2031?",
        "Can OpenAI use Google Cloud?",
        "Is OpenAI allowed to sell its API through AWS?",
        "Why, if Microsoft declines, could OpenAI go to AWS?",  # a why-question that sets up its own case
        "Which provider could OpenAI use if Microsoft can't meet demand?",  # a value, in a case of its own
        "Who would supply OpenAI's compute in 2027?",  # a value in the term's future
        "Say OpenAI's system generated $80 billion in profit. Would Microsoft lose access?",
        "Picture it's 2023, before the new agreement. Who supplied OpenAI's cloud then?",
        "Pretend OpenAI needs more compute next year. Who gets asked first?",
    ],
)
def test_hypothetical_questions_are_recognised(question: str) -> None:
    assert parse_question(question).hypothetical


@pytest.mark.parametrize(
    "question",
    ["Who has the right of first refusal?", "When was the article published?", "Summarise the Stargate deal.",
     "Why could keeping the API on Azure hurt OpenAI?",  # a reason the documents give, not a case to decide
     "And why could OpenAI use Oracle?",
     "How many GPUs will OpenAI get through Stargate?", "When will OpenAI move workloads to AWS?"],  # values
)
def test_plain_questions_are_not_hypothetical(question: str) -> None:
    assert not parse_question(question).hypothetical


def test_revenue_is_not_read_as_profit() -> None:
    parsed = parse_question("What if OpenAI's revenue hits $200bn?")
    assert parsed.facts == {}
    assert "is not the system's profit" in parsed.notes[0]


def test_a_hypothetical_no_clause_covers_finds_no_fact() -> None:
    parsed = parse_question("What if Sam Altman moved to Mars and opened a bakery?")
    assert parsed.hypothetical and not parsed.covered
    assert not evaluate(ARTICLE, parsed.facts).covered


def test_parsing_is_deterministic() -> None:
    question = "Suppose Microsoft runs out of capacity in 2031 and OpenAI makes $150 billion in profit."
    assert parse_question(question) == parse_question(question)


def test_microsoft_losing_access_is_not_read_as_a_capacity_fact() -> None:
    parsed = parse_question("Could Microsoft lose access to OpenAI's technology?")
    assert "microsoft_can_meet_demand" not in parsed.facts


def test_a_shifted_year_is_noted() -> None:
    parsed = parse_question("What happens to revenue sharing after 2030?")
    assert parsed.facts["year"] == 2031
    assert parsed.notes == ["Read 'after 2030' as the year 2031."]


@pytest.mark.parametrize("question, hypothetical", [
    ("Is revenue sharing still guaranteed in 2032?", True),
    ("Say it's 2028: does Microsoft keep access to OpenAI's IP?", True),
    ("Which of the companies was founded in 1888?", False),
    ("What happened in 2025?", False),
])
def test_a_later_year_makes_a_question_hypothetical(question, hypothetical):
    assert parse_question(question).hypothetical is hypothetical
