"""Rendering: outcome first, reasoning after, [n] markers that point at the clause quotes."""

from __future__ import annotations

import re

from assistant.clauses import Scenario, evaluate, parse_question, render_answer, render_trace
from assistant.clauses.corpus import default_corpus_dir

CORPUS_TEXT = (default_corpus_dir() / "microsoft-openai-partnership.md").read_text(encoding="utf-8")


def _markers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"\[(\d+)\]", text)]


def test_outcome_comes_first_then_reasoning() -> None:
    text, _ = render_answer(evaluate(Scenario(microsoft_can_meet_demand=False, provider="aws")))
    outcome, reasoning = text.split("\n\nReasoning:\n")
    assert outcome.startswith("Microsoft can't meet the need, so OpenAI can turn to competitors such as AWS")
    assert reasoning.startswith("- Right of first refusal on new compute (rule):")


def test_markers_are_numbered_from_one_in_order_and_match_citations() -> None:
    text, citations = render_answer(evaluate(Scenario(year=2027, provider="oracle", profit_usd="150B")))
    numbers = _markers(text)
    first_seen = list(dict.fromkeys(numbers))
    assert first_seen == list(range(1, len(citations) + 1))
    assert [c.n for c in citations] == first_seen
    for citation in citations:
        assert CORPUS_TEXT[citation.start : citation.end] == citation.quote


def test_same_quote_same_number() -> None:
    text, citations = render_answer(evaluate(Scenario(year=2028, agi_achieved=True)))
    assert len({c.quote for c in citations}) == len(citations) == 2
    assert set(_markers(text)) == {1, 2}


def test_rendering_is_byte_identical_for_the_same_scenario() -> None:
    scenario = Scenario(year=2031, api_host="google", microsoft_can_meet_demand=True, provider="coreweave")
    assert render_answer(evaluate(scenario)) == render_answer(evaluate(scenario))
    assert render_trace(evaluate(scenario)) == render_trace(evaluate(scenario))


def test_exception_leads_and_overridden_rule_is_explained() -> None:
    text, _ = render_answer(evaluate(Scenario(microsoft_can_meet_demand=True, provider="oracle")))
    outcome, reasoning = text.split("\n\nReasoning:\n")
    assert outcome.startswith("OpenAI can use Oracle: Microsoft approved the Oracle partnership (Stargate)")
    assert "under its right of first refusal the work goes to Microsoft" not in outcome
    assert "Overridden here by the exception: Oracle partnership approved by Microsoft (Stargate)." in reasoning


def test_exactly_100_billion_is_not_over() -> None:
    text, _ = render_answer(evaluate(Scenario(profit_usd="100000000000")))
    assert text.startswith("$100 billion in profit is not over $100 billion, so the AGI clause is not triggered")


def test_after_2030_is_outside_the_term_not_a_termination() -> None:
    text, _ = render_answer(evaluate(Scenario(year=2031)))
    assert "2031 is after the stated term" in text
    assert "does not guarantee" in text and "nor does it say they end" in text
    assert "As of the article: 2025 is within the stated term" in text


def test_unknown_fact_is_named_with_each_possible_outcome() -> None:
    text, _ = render_answer(evaluate(Scenario(provider="aws")))
    assert "depends on whether Microsoft can meet OpenAI's new computing needs" in text
    assert "If Microsoft can meet the need:" in text and "If Microsoft can't meet the need:" in text


def test_contradiction_is_stated_not_guessed() -> None:
    text, citations = render_answer(evaluate(Scenario(agi_achieved=True, profit_usd="80B")))
    assert text.startswith("The question says OpenAI achieved AGI but puts the system's profit at $80 billion")
    assert "could lose access" not in text.split("\n\n")[0]
    assert len(citations) == 1


def test_uncovered_question_says_so_without_citations() -> None:
    text, citations = render_answer(evaluate(parse_question("What if it rains in Seattle?").scenario))
    assert text.startswith("No clause of the agreement covers this question")
    assert citations == []


def test_trace_lists_each_condition_and_marks_skipped_ones() -> None:
    trace = render_trace(
        evaluate(Scenario(profit_usd="100000000001", year=2030, microsoft_can_meet_demand=False, provider="aws"))
    )
    assert "| profit_over_threshold | profit_usd | $100,000,000,001 | gt | $100 billion | true |" in trace
    assert "| microsoft_can_meet | provider | AWS | unknown |  | not evaluated |" in trace
    assert "## AGI can cut access within the term [agi_within_term]" in trace


def test_each_sentence_cites_what_it_rests_on_and_the_trace_keeps_every_quote() -> None:
    evaluation = evaluate(Scenario(provider="oracle"))
    text, citations = render_answer(evaluation)
    outcome = text.split("\n\nReasoning:\n")[0]
    oracle_line, cloud_line = outcome.split(" [1] ")
    assert oracle_line.startswith("OpenAI can use Oracle")
    assert citations[0].quote.startswith("The partnership with Oracle, approved by Microsoft")
    assert cloud_line.endswith("[2]") and citations[1].quote.startswith("Now, OpenAI has the freedom")
    # Stargate's naming and the old Azure-only arrangement are background: in the trace, not in the answer.
    assert not any("dubbed Stargate" in c.quote or "tethered exclusively" in c.quote for c in citations)
    trace = render_trace(evaluation)
    assert "dubbed Stargate" in trace and "tethered exclusively" in trace
