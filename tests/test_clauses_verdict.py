"""A yes or a no, only for yes/no what-ifs the clause outcomes settle."""

from __future__ import annotations

import pytest

from assistant.clauses import Scenario, evaluate, parse_question, render_answer
from assistant.clauses.verdict import verdict


def _verdict(question: str) -> bool | None:
    return verdict(question, evaluate(parse_question(question).scenario))


@pytest.mark.parametrize(("question", "expected"), [
    ("If an OpenAI system made $150 billion in profit, would that trigger the AGI clause?", True),
    ("If an OpenAI system made $60 billion in profit, would that trigger the AGI clause?", False),
    ("What if a system made exactly $100 billion in profit — does that count as AGI?", False),  # "over" $100 billion
    ("Without AGI, would Microsoft still have access to OpenAI's IP in 2028?", True),
    ("If Microsoft can't meet the demand, could OpenAI buy compute from AWS?", True),
    ("If Microsoft can meet the demand, could OpenAI skip it and use Google Cloud?", False),  # first refusal wins
    ("Could OpenAI begin offering its API on AWS?", False),
    ("If Microsoft declines, may OpenAI go to Oracle?", True),
    ("Under the previous arrangement, could OpenAI have used AWS?", False),  # Azure only, before the agreement
])
def test_settled_yes_no_questions(question, expected):
    assert _verdict(question) is expected


@pytest.mark.parametrize("question", [
    "What if Microsoft can't keep up with OpenAI's demand?",  # not a yes/no question
    "If it's 2031, are the partnership terms still in force?",  # the article does not say
    "If OpenAI achieves AGI, would Microsoft be cut off from absolutely everything?",  # "some", not all
    "If Microsoft can't meet the demand, what can OpenAI do?",
])
def test_no_verdict_where_the_clauses_do_not_settle_it(question):
    assert _verdict(question) is None


def test_a_question_set_under_the_earlier_arrangement_is_answered_by_it_not_by_the_new_rules():
    question = "Under the old deal, if Microsoft couldn't keep up, could OpenAI have turned to Google Cloud?"
    evaluation = evaluate(parse_question(question).scenario)
    text, citations = render_answer(evaluation, question)
    assert text.startswith("No — under the earlier arrangement OpenAI was tethered exclusively to Microsoft Azure")
    assert [r.clause_id for r in evaluation.results] == ["earlier_exclusivity"]  # none of the new agreement's rules
    assert any("tethered exclusively" in c.quote for c in citations)


def test_without_agi_the_answer_says_how_long_access_lasts():
    question = "Suppose OpenAI never gets to AGI. Until when does Microsoft keep its access?"
    text, citations = render_answer(evaluate(parse_question(question).scenario), question)
    assert "keeps until 2030" in text.split("Reasoning:")[0]
    assert any("set to last until 2030" in c.quote for c in citations)


def test_the_verdict_leads_the_rendered_answer_and_nothing_else_changes():
    question = "If an OpenAI system made $60 billion in profit, would that trigger the AGI clause?"
    evaluation = evaluate(Scenario(profit_usd="60B"))
    plain, plain_citations = render_answer(evaluation)
    led, led_citations = render_answer(evaluation, question)
    assert led == "No — " + plain
    assert led_citations == plain_citations
