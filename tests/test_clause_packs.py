"""Clause packs: the article's pack over its scenario cases, the general engine over packs written in the test
(tiers, arithmetic, bounds), loading errors by file and line, the verdict, the tool and the CLI."""

from __future__ import annotations

import argparse
import json
import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from assistant.clauses import PackError, evaluate, load_pack
from assistant.clauses.dates import format_date
from assistant.clauses.quantities import Bound
from assistant.clauses.reader import read_question
from assistant.clauses.render import render_answer
from assistant.clauses.tool import make_clause_tool
from assistant.clauses.verdict import verdict
from assistant.cli.what_if import add_what_if_parser
from tests.conftest import CORPUS

CASES = yaml.safe_load((Path(__file__).parent / "clause_cases.yaml").read_text(encoding="utf-8"))
ARTICLE = load_pack(CORPUS / "microsoft-openai-partnership.clauses.yaml")
LEAVE = Path(__file__).parents[1] / "evals" / "corpora" / "leave-policy" / "corpus" / "leave.clauses.yaml"
GOVERNANCE = Path(__file__).parents[1] / "evals" / "corpora" / "policy-guide" / "corpus" / "pep-0013.clauses.yaml"
DEPRECATION = (Path(__file__).parents[1] / "evals" / "whatif-deprecation" / "deprecation-policy" / "corpus" /
               "deprecation-policy.clauses.yaml")

POLICY = "Staff earn 4 hours a period in their first 3 years and 6 hours after that. At most 240 hours carry over.\n"
PACK = """
document: policy.md
name: the policy
facts:
  years:
    type: number
    unit: years
    units: [year]
    label: your years of service
    ask: How long have you worked here?
    read: {near: [worked, service]}
  balance:
    type: number
    unit: hours
    units: [hour]
    label: your balance
    ask: How many hours do you hold?
    read: {near: [balance, hold, have]}
derived:
  rate:
    label: your rate
    type: number
    unit: hours
    tiers:
      - {when: [years < 3], value: 4}
      - {when: [years >= 3], value: 6}
  over_cap:
    label: the hours over the cap
    type: number
    unit: hours
    subtract: [balance, 240]
clauses:
  - id: accrual
    title: Accrual
    quotes: ["Staff earn 4 hours a period in their first 3 years and 6 hours after that."]
    summary: 4 hours a period for 3 years, then 6.
    relevant_when: [years known]
    branches:
      - {id: early, outcome: four, when: [years < 3], text: "You earn {rate} a period."}
      - {id: later, outcome: six, when: [years >= 3], text: "You earn {rate} a period."}
  - id: cap
    title: Carry-over cap
    quotes: ["At most 240 hours carry over."]
    summary: At most 240 hours carry over.
    relevant_when: [balance known]
    branches:
      - {id: over, outcome: lose, when: [balance > 240], text: "You lose {over_cap}."}
      - {id: within, outcome: keep, when: [balance <= 240], text: "You keep all {balance}."}
"""


def load_written(folder: Path, document: str, text: str, pack: str):
    """Write a document and its pack into `folder` and load the pack."""
    (folder / document).write_text(text, encoding="utf-8")
    path = folder / document.replace(".md", ".clauses.yaml")
    path.write_text(pack, encoding="utf-8")
    return load_pack(path)


def load_policy(folder: Path, pack: str = PACK):
    return load_written(folder, "policy.md", POLICY, pack)


@pytest.fixture
def policy(tmp_path):
    return load_policy(tmp_path)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_article_scenario_case(case: dict) -> None:
    evaluation = evaluate(ARTICLE, case["facts"])
    outcomes = {r.clause_id: r.outcome for r in evaluation.results}
    for clause_id, outcome in case["expect"].items():
        assert outcomes.get(clause_id) == outcome, (clause_id, outcomes)
    for clause_id in case.get("absent", []):
        assert clause_id not in outcomes
    for clause_id, exception in case.get("overridden", {}).items():
        assert evaluation.result(clause_id).overridden_by == exception
    for clause_id, missing in case.get("missing", {}).items():
        assert evaluation.result(clause_id).missing == missing
    for clause_id, text in case.get("text", {}).items():
        assert evaluation.result(clause_id).text.startswith(text)


def test_every_branch_of_the_article_pack_is_reached_by_a_case() -> None:
    reached = {(r.clause_id, r.branch) for case in CASES for r in evaluate(ARTICLE, case["facts"]).results if r.branch}
    every = {(c.id, b.id) for c in ARTICLE.pack.clauses for b in c.branches}
    assert every - reached == set()


@pytest.mark.parametrize("path", [CORPUS / "microsoft-openai-partnership.clauses.yaml", LEAVE, GOVERNANCE, DEPRECATION])
def test_every_citation_is_an_exact_span_of_the_document(path) -> None:
    loaded = load_pack(path)
    with (path.parent / loaded.pack.document).open(encoding="utf-8", newline="") as handle:
        text = handle.read()
    assert loaded.spans and all(text[s:e] for s, e in loaded.spans.values())
    for quote, (start, end) in loaded.spans.items():
        assert " ".join(text[start:end].split()) == " ".join(quote.split())


def test_tiers_arithmetic_and_bounds(policy) -> None:
    assert evaluate(policy, {"years": 2}).result("accrual").text == "You earn 4 hours a period."
    assert evaluate(policy, {"years": "over 5"}).result("accrual").text == "You earn 6 hours a period."
    open_bound = evaluate(policy, {"years": "over 1"}).result("accrual")
    assert open_bound.status == "unknown" and open_bound.missing == ["years"]
    assert evaluate(policy, {"balance": 275}).result("cap").text == "You lose 35 hours."
    assert evaluate(policy, {"balance": "at most 200"}).result("cap").outcome == "keep"


def test_a_clause_whose_every_branch_fails_does_not_apply(tmp_path) -> None:
    # no fact the question leaves out could make a branch hold: the clause is not applicable, not "undecided"
    policy = load_policy(tmp_path, PACK.replace(
        "      - {id: later, outcome: six, when: [years >= 3], text: \"You earn {rate} a period.\"}\n", ""))
    evaluation = evaluate(policy, {"years": 5})
    assert evaluation.result("accrual") is None and "accrual" in evaluation.not_applicable


def test_division_and_rounding(tmp_path) -> None:
    # a share of a figure, rounded as the pack says: two thirds of the balance, up; a half, down; a division by
    # zero is unknown
    policy = load_policy(tmp_path, PACK.replace("derived:\n", """derived:
  doubled: {label: twice the balance, type: number, unit: hours, multiply: [balance, 2]}
  two_thirds: {label: two thirds of the balance, type: number, unit: hours, divide: [doubled, 3], round: up}
  half: {label: half the balance, type: number, unit: hours, divide: [balance, 2], round: down}
  per_year: {label: the balance a year, type: number, unit: hours, divide: [balance, years]}
""", 1))
    facts = evaluate(policy, {"balance": 91, "years": 0}).facts
    assert (facts["two_thirds"].value, facts["half"].value, facts["per_year"].value) == (Decimal(61), Decimal(45), None)
    assert evaluate(policy, {"balance": 90, "years": 4}).facts["per_year"].value == Decimal("22.5")
    thirds = load_policy(tmp_path, PACK.replace("derived:\n", "derived:\n  third: {label: a third, type: number, unit: hours, "
                                                               "divide: [balance, 3]}\n", 1).replace(
        'text: "You lose {over_cap}."', 'text: "A third is {third}."'))
    assert evaluate(thirds, {"balance": 300}).result("cap").text == "A third is 100 hours."
    assert evaluate(thirds, {"balance": 250}).result("cap").text == "A third is 83.33 hours."  # shown to two decimals
    with pytest.raises(PackError, match="none of them 0"):
        load_policy(tmp_path, PACK.replace("derived:\n", "derived:\n  x: {label: x, type: number, unit: hours, "
                                                          "divide: [balance, 0]}\n", 1))
    with pytest.raises(PackError, match="`round` is for a figure"):
        load_policy(tmp_path, PACK.replace("derived:\n", "derived:\n  x: {label: x, any: [years > 1], round: up}\n", 1))


def test_the_reader_takes_figures_by_unit_and_near_words(policy) -> None:
    reading = read_question(policy.pack, "If I have worked here for five years and hold 275 hours, what do I lose?")
    assert reading.facts == {"years": Decimal(5), "balance": Decimal(275)} and reading.hypothetical
    assert read_question(policy.pack, "What if it rains for 3 days?").facts == {}


def test_the_time_between_two_dates_goes_to_a_span_fact(policy) -> None:
    # months and years count whole months and the days left; "March 2019" counts from its first day
    reading = read_question(policy.pack, "I started working here in March 2019 and it's May 2024 now. What's my rate?")
    assert reading.facts == {"years": Decimal("5.16")}  # 62 months, rounded down
    assert reading.notes == ["Read March 2019 to May 2024 as 5.16 years."]
    # a day short of three years is not three
    short = read_question(policy.pack, "I started working here on 1 February 2021 and it's 31 January 2024. My rate?")
    assert short.facts == {"years": Decimal("2.99")}
    # "N years ago" with no date fact to take it is a figure as before
    assert read_question(policy.pack, "I started working here 5 years ago. What's my rate?").facts == {
        "years": Decimal(5)}


def test_a_case_told_before_the_question_is_read(policy) -> None:
    # no "if" and no "I": a sentence with a figure that tells the case, then the question
    told = read_question(policy.pack, "A colleague holds 275 hours at the end of the year. What happens to them?")
    assert told.facts == {"balance": Decimal(275)} and told.hypothetical
    assert not read_question(policy.pack, "How many hours carry over? The policy says 240.").hypothetical
    # a year alone tells no case: the question asks the document
    assert not read_question(policy.pack, "The policy came out in 2025. What does it say about carry-over?").hypothetical
    assert not read_question(policy.pack, "What happened in 2019? Who holds 240 hours?").hypothetical
    assert not read_question(policy.pack, "How many hours carry over each year?").hypothetical


VOTES = """
document: policy.md
name: the policy
facts:
  votes_for:
    type: number
    unit: votes
    label: the votes for
    ask: How many voted for?
    read: {near: ["# {to|-} ##", "# out of", favour, support]}
  votes_against:
    type: number
    unit: votes
    label: the votes against
    ask: How many voted against?
    read: {near: ["## {to|-} #", against]}
  votes_total:
    type: number
    unit: votes
    label: the votes cast
    ask: How many voted?
    read: {near: ["out of #", "# voted"]}
clauses:
  - id: tally
    title: Tally
    quotes: ["At most 240 hours carry over."]
    summary: A tally.
    relevant_when: [votes_for known]
    branches:
      - {id: any, outcome: counted, when: [votes_for known], text: "{votes_for}"}
"""


def test_near_words_beside_a_figure_bind_it_tightest(tmp_path) -> None:
    pack = load_policy(tmp_path, VOTES).pack
    # `#` is the figure a near word binds, `##` any other: "3 to 2" is 3 for and 2 against
    assert read_question(pack, "If the board votes 3 to 2, what then?").facts == {
        "votes_for": Decimal(3), "votes_against": Decimal(2)}
    assert read_question(pack, "If 45 out of 60 say yes, what then?").facts == {
        "votes_for": Decimal(45), "votes_total": Decimal(60)}
    # words in a figure's own clause bind it before words elsewhere in its sentence
    assert read_question(pack, "If 1 is against, and 4 in support, what then?").facts == {
        "votes_for": Decimal(4), "votes_against": Decimal(1)}
    # in one clause, the words nearest each figure decide
    assert read_question(pack, "If the tally is 3 in favour to 2 against, what then?").facts == {
        "votes_for": Decimal(3), "votes_against": Decimal(2)}


def test_the_governance_pack_decides_votes_by_their_majorities() -> None:
    loaded = load_pack(GOVERNANCE)

    def outcomes(question: str) -> dict[str, str]:
        return {r.clause_id: r.outcome for r in evaluate(loaded, read_question(loaded.pack, question).facts).results}

    assert outcomes("If the council votes 3 to 2 to eject a core developer, is he out?") == {"ejection": "not_ejected"}
    answer, _ = render_answer(loaded.pack, evaluate(loaded, read_question(
        loaded.pack, "If the council votes 3 to 2 to eject a core developer, is he out?").facts),
        "If the council votes 3 to 2 to eject a core developer, is he out?")
    assert answer.startswith("No — the ejection fails, 3 votes for and 2 votes against")
    ejection = evaluate(loaded, {"vote_kind": "ejection", "votes_for": 3, "votes_against": 2}).result("ejection")
    assert "that is 4 votes" in ejection.text  # two thirds of 5, rounded up
    assert outcomes("Suppose a no-confidence vote on the whole council ends with 45 out of 60 voters saying they "
                    "have no confidence. What happens?") == {"no_confidence": "succeeds",
                                                             "no_confidence_result": "council_dissolved"}
    assert outcomes("If the council votes 2 for and 2 against, does it pass?") == {"council_vote": "fails"}
    assert outcomes("If a council member has been unreachable for 5 weeks, can they be replaced?") == {
        "vacancies": "may_replace"}
    assert outcomes("If 3 members cast a vote, how many yes votes does a council decision need?") == {
        "council_vote": "needs_majority"}
    calendar = evaluate(loaded, {"election_opens_on": "2025-11-03"}).result("election_calendar")
    assert "between 17 November 2025 and 1 December 2025" in calendar.text
    quorum = read_question(loaded.pack, "Is there a quorum for a vote of no confidence if only 12 people vote?")
    assert evaluate(loaded, quorum.facts).silent


def test_a_year_fact_with_near_words_takes_the_year_they_name(tmp_path) -> None:
    pack = load_policy(tmp_path, PACK.replace("facts:\n", """facts:
  ends: {type: year, label: the year the right ends, ask: "When does the right end?", read: {near: [expire, ends]}}
  anyyear: {type: year, label: the year, ask: "What year is it?"}
""", 1)).pack
    reading = read_question(pack, "Suppose the right ends in 2060; she died in 1990. What then?")
    assert reading.facts == {"ends": 2060, "anyyear": 1990}  # without near words: the last year after a preposition
    assert "ends" not in read_question(pack, "If she died in 1990, what then?").facts


def test_a_unit_may_be_worth_several_and_a_rate_is_not_an_amount(tmp_path) -> None:
    pack = load_policy(tmp_path, PACK.replace("units: [hour]", "units: {hour: 1, day: 8}")).pack
    assert read_question(pack, "If I hold 30 days, what do I lose?").facts == {"balance": Decimal(240)}
    # each fact sizes the figure in its own unit: one fact's size does not carry over to the next
    sized = load_policy(tmp_path, PACK.replace("units: [hour]", "units: {hour: 1, day: 8}").replace(
        "units: [year]", "units: {year: 1, day: 0.5}")).pack
    assert read_question(sized, "If I hold 30 days, what do I lose?").facts == {"balance": Decimal(240)}
    # the longest unit word is tried first; a size must be above zero
    halves = load_policy(tmp_path, PACK.replace("units: [hour]", "units: {hour: 1, day: 8, half day: 4}")).pack
    assert read_question(halves, "If I hold 3 half days, what do I lose?").facts == {"balance": Decimal(12)}
    with pytest.raises(PackError, match="size must be a number above zero"):
        load_policy(tmp_path, PACK.replace("units: [hour]", "units: {hour: -1}"))
    with pytest.raises(PackError, match="write a unit as plain words"):
        load_policy(tmp_path, PACK.replace("units: [hour]", "units: ['{hour|hr}']"))
    assert read_question(pack, "If I hold 2 Days Per Month, what do I lose?").facts == {}  # a rate, whatever its case
    # "20 hours a week" is a rate, not hours held; "only a year" is one year
    reading = read_question(pack, "If I work 20 hours a week and have worked here for only a year, what then?")
    assert reading.facts == {"years": Decimal(1)}
    assert read_question(pack, "If I hold twelve 8-hour days, what do I lose?").facts == {"balance": Decimal(96)}
    # "each" shares out a figure given before it: the 10 hours are a rate, and the 12 days are the pack's 8-hour days
    assert read_question(pack, "If I hold 12 days, 10 hours each, what do I lose?").facts == {"balance": Decimal(96)}
    assert read_question(pack, "If my colleague and I hold 250 hours each, what do we lose?").facts == {
        "balance": Decimal(250)}
    # a 20-day period is 20 days
    assert read_question(pack, "If I hold a 20-day period, what do I lose?").facts == {"balance": Decimal(160)}
    # a figure joined to its unit that describes a span of time is a rate: "a 40-hour week" holds no 40 hours
    assert read_question(pack, "If I work a 40-hour week and hold 3 days, what do I lose?").facts == {
        "balance": Decimal(24)}
    # a unit word written short is taken in its plural too, which the lemmatiser leaves as written
    short = load_policy(tmp_path, PACK.replace("units: [hour]", "units: [hour, hr]")).pack
    assert read_question(short, "If I hold 275 hrs, what do I lose?").facts == {"balance": Decimal(275)}
    # the unit is the figure's own noun, not one past a preposition
    assert read_question(pack, "If I hold 275 hours at year end, what then?").facts == {"balance": Decimal(275)}


def test_a_clause_whose_branches_need_a_fact_known_asks_for_what_that_fact_rests_on(tmp_path) -> None:
    policy = load_policy(tmp_path, PACK.replace(
        "      - {id: later, outcome: six, when: [years >= 3], text: \"You earn {rate} a period.\"}",
        "      - {id: later, outcome: six, when: [years >= 3, over_cap known], text: \"You lose {over_cap}.\"}"))
    result = evaluate(policy, {"years": 5}).result("accrual")
    assert result.status == "unknown" and result.missing == ["balance"]
    answer, _ = render_answer(policy.pack, evaluate(policy, {"years": 5}))
    assert answer.startswith("Accrual depends on your balance, which the question does not give. [1]")


def test_a_figure_fact_is_read_only_with_its_words_and_a_refused_figure_is_noted_once(tmp_path) -> None:
    pack = load_policy(tmp_path, PACK.replace(
        "read: {near: [balance, hold, have]}", "read: {near: [balance, hold, have], only_with: [carry, lose],"
                                               " not_near: [sick]}")).pack
    assert read_question(pack, "If I hold 275 hours, how many can I give away?").facts == {}
    assert read_question(pack, "If I hold 275 hours, how many do I lose?").facts == {"balance": Decimal(275)}
    reading = read_question(pack, "If I am a GS-13 with 300 hours of sick leave, what do I lose?")
    assert reading.facts == {} and reading.notes == ["300 hours is not your balance, so no rule reads it."]
    # a figure with no noun of its own takes the unit of the figure before it in its sentence
    assert read_question(pack, "If my sick leave is 300 hours, and my balance is 275, what do I lose?").facts == {
        "balance": Decimal(275)}
    # a negated word marks nothing: "without taking any sick leave" says nothing of the 275 hours
    assert read_question(pack, "If I hold 275 hours without taking sick leave, what do I lose?").facts == {
        "balance": Decimal(275)}


DATED = """
document: terms.md
name: the terms
facts:
  found: {type: date, label: the day you found the breach, ask: "When did you find it?", read: {near: [found, discover]}}
  fixed: {type: date, label: the day you fixed it, ask: "When did you fix it?", read: {near: [fix, fixed, cure]}}
derived:
  deadline: {label: the last day to fix it, type: date, unit: days, add: [found, 30]}
  days_taken: {label: the days it took, type: number, unit: days, subtract: [fixed, found]}
clauses:
  - id: cure
    title: Cure
    quotes: ["A breach fixed within 30 days of finding it is forgiven."]
    summary: A breach fixed within 30 days of finding it is forgiven.
    relevant_when: [found >= 2020-01-01]
    branches:
      - {id: in_time, outcome: forgiven, when: [days_taken <= 30], text: "Forgiven as of {fixed}, {days_taken} on."}
      - {id: late, outcome: not_forgiven, when: [days_taken > 30], text: "Not forgiven: {days_taken} on."}
      - {id: open, outcome: fix_by, when: [fixed unknown], text: "Fix it by {deadline}."}
"""


def load_terms(folder: Path, pack: str = DATED):
    return load_written(folder, "terms.md", "A breach fixed within 30 days of finding it is forgiven.\n", pack)


def test_dates_are_read_compared_and_moved(tmp_path) -> None:
    loaded = load_terms(tmp_path)
    reading = read_question(loaded.pack, "If I found it on 3 March 2025 and fixed it on 28 March, am I forgiven?")
    assert reading.facts == {"found": date(2025, 3, 3), "fixed": date(2025, 3, 28)}
    assert reading.notes == ["Read 28 March as 28 March 2025."]
    assert evaluate(loaded, reading.facts).result("cure").text == "Forgiven as of 28 March 2025, 25 days on."
    assert evaluate(loaded, {"found": "2025-03-03", "fixed": "2025-04-30"}).result("cure").outcome == "not_forgiven"
    assert evaluate(loaded, {"found": "2025-03-03"}).result("cure").text == "Fix it by 2 April 2025."
    assert evaluate(loaded, {"found": "2019-12-31"}).result("cure") is None
    # a month is every day of it: what it settles is decided, what it leaves open stays open
    month = read_question(loaded.pack, "If I found it in May 2024, by when must I fix it?")
    assert month.facts == {"found": Bound(low=date(2024, 5, 1), high=date(2024, 5, 31), low_open=False,
                                          high_open=False)}
    assert evaluate(loaded, month.facts).result("cure").text == "Fix it by 31 May 2024–30 June 2024."
    assert evaluate(loaded, {**month.facts, "fixed": "2024-06-10"}).result("cure").status == "unknown"
    with pytest.raises(ValueError, match="expected a date"):
        loaded.pack.typed("found", "next Tuesday")


def test_dates_in_a_question_read_as_a_reader_means_them(tmp_path) -> None:
    loaded = load_terms(tmp_path)
    # a date without its year follows the one before it, into the next year if need be
    turn = read_question(loaded.pack, "If I found it on 20 December 2024 and fixed it on 5 January, am I forgiven?")
    assert turn.facts == {"found": date(2024, 12, 20), "fixed": date(2025, 1, 5)}
    # a date whose clause names no fact goes to the one its sentence names
    listed = read_question(loaded.pack, "I found it on 3 March 2025. I fixed the credit, the notice and the link on "
                                        "20 March. Am I forgiven?")
    assert listed.facts == {"found": date(2025, 3, 3), "fixed": date(2025, 3, 20)}
    # "may" is the verb; a day the month has not is said so and left out
    verb = read_question(loaded.pack, "If I found it on 3 March 2025, may 2 colleagues fix it?")
    assert verb.facts == {"found": date(2025, 3, 3)}
    # "today is 20 March 2025" names its date: today is read once, as that date
    told = read_question(loaded.pack, "I found it on 3 March 2025 and fixed it on 10 March. Today is 20 March 2025. "
                                      "Am I forgiven?")
    assert told.facts == {"found": date(2025, 3, 3), "fixed": date(2025, 3, 10)}
    assert not any("today" in note for note in told.notes)
    wrong = read_question(loaded.pack, "If I found it on 31 February 2025, what then?")
    assert wrong.facts == {} and wrong.notes == ["There is no 31 February 2025; no rule reads it."]
    assert '"deadline": {"value": "2025-04-02"' in make_clause_tool(loaded).invoke({"found": "2025-03-03"})


def test_dates_counted_from_today_are_days_and_their_figures_no_durations(tmp_path) -> None:
    loaded = load_terms(tmp_path)
    today = date(2026, 12, 7)
    reading = read_question(loaded.pack, "I found it about 45 days ago and only fixed it today. Am I forgiven?",
                            today=today)
    assert reading.facts == {"found": today - timedelta(days=45), "fixed": today}
    assert reading.notes == [f"Read 45 days ago as {format_date(today - timedelta(days=45))}.",
                             f"Read today as {format_date(today)}."]
    assert evaluate(loaded, reading.facts).result("cure").outcome == "not_forgiven"
    weeks = read_question(loaded.pack, "If I found it two weeks ago, by when must I fix it?", today=today)
    assert weeks.facts == {"found": today - timedelta(days=14)}
    assert read_question(loaded.pack, "If I found it a week ago, what then?", today=today).facts == {
        "found": today - timedelta(days=7)}
    assert read_question(loaded.pack, "If I found it yesterday, what then?", today=today).facts == {
        "found": today - timedelta(days=1)}
    # "today's rules" is no date, and the tail of "1.5 years ago" no figure of its own
    rules = read_question(loaded.pack, "Under today's rules, if I found it on 3 March 2025 and fixed it on 28 March, "
                                       "am I forgiven?", today=today)
    assert rules.facts == {"found": date(2025, 3, 3), "fixed": date(2025, 3, 28)}
    assert read_question(loaded.pack, "If I found it 1.5 years ago, what then?", today=today).facts == {}
    # the day the question names as today is the one "45 days ago" counts back from
    named = read_question(loaded.pack, "Today is 20 March 2025. I found it 45 days ago and fixed it on 18 March. "
                                       "Am I forgiven?", today=today)
    assert named.facts == {"found": date(2025, 2, 3), "fixed": date(2025, 3, 18)}


@pytest.mark.parametrize("derived, message", [
    ("{label: x, type: number, unit: days, add: [found, 30]}", "gives a date; declare `type: date`"),
    ("{label: x, type: date, unit: days, subtract: [fixed, found]}", "gives a number; declare `type: number`"),
    ("{label: x, type: date, unit: hours, add: [found, 3]}", "moves by days, weeks, months or years, not hours"),
    ("{label: x, type: date, add: [found, fixed]}", "of these dates makes no sense"),
    ("{label: x, type: number, unit: days, add: [x, 1]}", "reads itself"),
    ("{label: x, type: number, unit: days, add: [days_taken, NaN]}", "neither a fact nor a number or a date"),
])
def test_date_arithmetic_is_checked_when_the_pack_loads(tmp_path, derived, message) -> None:
    with pytest.raises(PackError, match=re.escape(message)):
        load_terms(tmp_path, DATED.replace("clauses:\n", f"  x: {derived}\nclauses:\n", 1))


RELEASES = """
document: support.md
name: the support policy
facts:
  deprecated_in: {type: version, label: the release it was deprecated in, ask: "In which release?",
                  read: {near: [deprecated, deprecation]}}
  removed_in: {type: version, label: the release it goes in, ask: "In which release does it go?",
               read: {near: [remove, removed, drop]}}
  track:
    type: choice
    label: its track
    ask: Is it stable or beta?
    values: {stable: {name: stable, say: ["{stable|ga}"]}, beta: {name: beta, say: [beta]}}
    read: {negatable: true}
derived:
  needed:
    label: the releases it must stay
    type: number
    unit: releases
    tiers:
      - {when: [track is stable], value: 3, quotes: ["Stable features stay 3 releases after their deprecation."]}
      - {when: [track is beta], value: 1, quotes: ["Beta features stay 1 release."]}
  first_without: {label: the first release without it, type: version, add: [deprecated_in, needed]}
  between: {label: the releases between, type: number, unit: releases, subtract: [removed_in, deprecated_in]}
clauses:
  - id: stay
    title: How long a deprecated feature stays
    quotes: ["Deprecated features stay for a while.", "Stable features stay 3 releases after their deprecation."]
    summary: A deprecated feature stays for its track's releases.
    relevant_when: [deprecated_in known]
    branches:
      - {id: planned, outcome: planned, when: [between >= 0], text: "{between} between; {first_without} at the earliest."}
      - {id: open, outcome: earliest, when: [first_without known], text: "It may go in {first_without}."}
"""


def load_releases(folder: Path):
    return load_written(folder, "support.md", "Deprecated features stay for a while. Stable features stay 3 releases "
                        "after their deprecation. Beta features stay 1 release.\n", RELEASES)


def test_releases_are_read_moved_and_counted(tmp_path) -> None:
    loaded = load_releases(tmp_path)
    reading = read_question(loaded.pack, "If a stable feature was deprecated in v1.29, when can it go?")
    assert reading.facts == {"deprecated_in": loaded.pack.typed("deprecated_in", "1.29"), "track": "stable"}
    assert evaluate(loaded, reading.facts).result("stay").text == "It may go in 1.32."
    assert evaluate(loaded, {"deprecated_in": "1.9", "removed_in": "1.12", "track": "beta"}).result(
        "stay").text == "3 releases between; 1.10 at the earliest."
    # releases of two majors are no count of minors; "1.5 years" is a figure, not a release
    assert evaluate(loaded, {"deprecated_in": "1.30", "removed_in": "2.0", "track": "beta"}).facts["between"].value is None
    # an amount is no release; each release goes to the fact whose words stand nearest
    for amount in ("1.5 years ago", "when 1.5 million used it", "after a 1.5-year wait", "at a cost of USD 1.50"):
        assert "deprecated_in" not in read_question(loaded.pack, f"If it was deprecated {amount}, when can it go?").facts
    both = read_question(loaded.pack, "If it was removed in 1.31 after being deprecated in 1.29, is that allowed?")
    assert (str(both.facts["removed_in"]), str(both.facts["deprecated_in"])) == ("1.31", "1.29")
    with pytest.raises(ValueError, match="expected a release such as 1.30"):
        loaded.pack.typed("deprecated_in", "soon")
    with pytest.raises(ValueError, match="write the release in quotes"):
        loaded.pack.typed("deprecated_in", 1.10)  # YAML's unquoted 1.10, which is 1.1
    for derived, message in (("{label: x, type: version, subtract: [deprecated_in]}", None),
                             ("{label: x, type: version, tiers: [{when: [track is beta], value: 1}]}",
                              "a derived release is computed by add, subtract, min or max, not tiers"),
                             ("{label: x, type: version, unit: months, add: [deprecated_in, 12]}",
                              "a release moves by whole releases"),
                             ("{label: x, type: version, add: [deprecated_in, 1.5]}", "a release moves by whole releases")):
        pack = RELEASES.replace("clauses:\n", f"  x: {derived}\nclauses:\n", 1)
        if message is None:  # a release less nothing is itself
            written = load_written(tmp_path, "support.md", (tmp_path / "support.md").read_text(), pack)
            assert str(evaluate(written, {"deprecated_in": "1.29"}).facts["x"].value) == "1.29"
        else:
            with pytest.raises(PackError, match=re.escape(message)):
                load_written(tmp_path, "support.md", (tmp_path / "support.md").read_text(), pack)
    with pytest.raises(PackError, match=re.escape("a date and a release cannot be reckoned together")):
        load_written(tmp_path, "support.md", "x", RELEASES.replace(
            "derived:\n", "  day: {type: date, label: a day, ask: on what day}\nderived:\n  x: {label: x, type: date, "
            "min: [day, deprecated_in]}\n", 1))


def test_a_negatable_choice_takes_no_value_named_after_a_negation(tmp_path) -> None:
    pack = load_releases(tmp_path).pack
    assert read_question(pack, "If a feature not marked beta or stable was deprecated in 1.29, when can it go?").facts == {
        "deprecated_in": pack.typed("deprecated_in", "1.29")}
    assert read_question(pack, "If it isn't beta but stable, deprecated in 1.29, when can it go?").facts["track"] == "stable"
    # a negation of another verb does not reach the name
    for question in ("If nobody uses the beta feature deprecated in 1.29, when can it go?",
                     "If we never noticed that the beta feature was deprecated in 1.29, when can it go?"):
        assert read_question(pack, question).facts["track"] == "beta"


def test_an_outcome_cites_the_tier_its_figure_comes_from(tmp_path) -> None:
    loaded = load_releases(tmp_path)
    stable = evaluate(loaded, {"deprecated_in": "1.29", "track": "stable"})
    assert [c.quote for c in stable.result("stay").outcome_citations] == [
        "Stable features stay 3 releases after their deprecation."]
    beta = evaluate(loaded, {"deprecated_in": "1.29", "track": "beta"})
    assert [c.quote for c in beta.result("stay").outcome_citations] == ["Beta features stay 1 release."]
    assert "Beta features stay 1 release." in [c.quote for c in beta.result("stay").citations]  # the trace shows it
    assert "quotes" not in beta.model_dump(mode="json")["facts"]["needed"]  # a figure's quotes are for citing only


def test_a_derived_fact_reads_only_what_is_declared_before_it(tmp_path) -> None:
    with pytest.raises(PackError, match="reads `over_cap`, which is declared after it"):
        load_policy(tmp_path, PACK.replace("derived:\n", """derived:
  doubled:
    label: twice the hours over the cap
    type: number
    unit: hours
    multiply: [over_cap, 2]
""", 1))


def test_a_pack_problem_names_file_and_line(tmp_path) -> None:
    (tmp_path / "policy.md").write_text(POLICY, encoding="utf-8")
    broken = PACK.replace("relevant_when: [balance known]", "relevant_when: [balanse known]").replace(
        "At most 240 hours carry over.\"]", "At most 250 hours carry over.\"]")
    (tmp_path / "policy.clauses.yaml").write_text(broken, encoding="utf-8")
    with pytest.raises(PackError) as raised:
        load_pack(tmp_path / "policy.clauses.yaml")
    assert "unknown fact `balanse`" in str(raised.value) and "policy.clauses.yaml:" in raised.value.problems[0]
    (tmp_path / "policy.clauses.yaml").write_text(PACK.replace("At most 240 hours carry over.\"]",
                                                               "At most 250 hours carry over.\"]"), encoding="utf-8")
    with pytest.raises(PackError) as raised:
        load_pack(tmp_path / "policy.clauses.yaml")
    line = next(i for i, t in enumerate(PACK.splitlines(), 1) if "At most 240 hours carry over.\"]" in t)
    assert raised.value.problems == [raised.value.problems[0]]
    assert f"policy.clauses.yaml:{line}: quote not found in policy.md" in raised.value.problems[0]


def _ask(question: str):
    reading = read_question(ARTICLE.pack, question)
    evaluation = evaluate(ARTICLE, reading.facts)
    return evaluation, verdict(ARTICLE.pack, question, evaluation)


@pytest.mark.parametrize(("question", "expected"), [
    ("If an OpenAI system made $150 billion in profit, would that trigger the AGI clause?", True),
    ("If an OpenAI system made $60 billion in profit, would that trigger the AGI clause?", False),
    ("What if a system made exactly $100 billion in profit — does that count as AGI?", False),
    ("If Microsoft can't meet the demand, could OpenAI buy compute from AWS?", True),
    ("If Microsoft can meet the demand, could OpenAI skip it and use Google Cloud?", False),
    ("Could OpenAI begin offering its API on AWS?", False),
    ("Under the previous arrangement, could OpenAI have used AWS?", False),
    # the yes/no part of a question that goes on to ask something else
    ("Say it's 2028 and no AGI exists. Does Microsoft still have its access, and how long does the deal run?", True),
    ("What if Microsoft can't keep up with OpenAI's demand?", None),  # not a yes/no question
    ("Were no AGI declared by 2028, what would Microsoft still have?", None),  # an inverted "if", then a what
    ("How long does the deal run? Does Microsoft still have its access in 2028?", True),
    ("Say it's mid-2029. Would Microsoft still have its access, and until what year does the deal run?", True),
    ("Before the new deal, could OpenAI have used AWS, and whose cloud was it tied to?", False),
    ("If OpenAI achieves AGI, would Microsoft be cut off from absolutely everything?", None),  # "some", not all
])
def test_verdicts(question, expected):
    assert _ask(question)[1] is expected


def test_the_verdict_leads_the_answer_and_nothing_else_changes():
    question = "If an OpenAI system made $60 billion in profit, would that trigger the AGI clause?"
    evaluation = evaluate(ARTICLE, {"profit_usd": "60B"})
    plain, plain_citations = render_answer(ARTICLE.pack, evaluation)
    led, led_citations = render_answer(ARTICLE.pack, evaluation, question)
    assert led == "No — " + plain[0].lower() + plain[1:] and led_citations == plain_citations


def test_the_tool_takes_the_packs_facts(policy) -> None:
    tool = make_clause_tool(policy)
    assert tool.name == "clauses_policy" and set(tool.args) == {"years", "balance"}
    payload = json.loads(tool.invoke({"balance": 300}))
    assert "You lose 60 hours." in payload["answer"] and payload["answer_citations"][0]["quote"]


def test_the_tool_takes_releases(tmp_path) -> None:
    tool = make_clause_tool(load_releases(tmp_path))
    assert "A release such as '1.30'." in tool.args["deprecated_in"]["description"]
    payload = json.loads(tool.invoke({"deprecated_in": "1.29", "track": "stable"}))
    assert "It may go in 1.32." in payload["answer"]


def _run(argv, capsys):
    parser = argparse.ArgumentParser(prog="assistant")
    add_what_if_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    code = args.run(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_what_if_cli_prints_outcome_quotes_and_trace(policy, capsys) -> None:
    code, out, err = _run(["what-if", "--corpus-dir", str(policy.path.parent), "years=4", "balance=over 300"], capsys)
    assert code == 0 and err == ""
    assert out.startswith("You earn 6 hours a period. [1]") and '"At most 240 hours carry over."' in out
    code, out, _ = _run(["what-if", "--corpus-dir", str(policy.path.parent), "--trace", "balance=250"], capsys)
    # the full trace: every branch's conditions in words, each fact and clause by its id, every quote with its span
    assert "- Your balance [balance]: 250 hours (question)" in out
    assert "Carry-over cap [cap] (decided; branch over, outcome lose)" in out
    assert "- Your balance (250 hours) is over 240 hours: true (branch over)" in out
    assert "- Your balance (250 hours) is at most 240 hours: false (branch within)" in out
    assert "> At most 240 hours carry over. (policy.md:75-104)" in out and "Not applicable: accrual" in out


@pytest.mark.parametrize(("argv", "message"), [
    (["years=lots"], "error: years: not a figure: 'lots'"),
    (["salary=5"], "error: salary: not a fact of policy.md (see --list)"),
    (["years"], "error: years: write FACT=VALUE"),
])
def test_what_if_cli_bad_facts_are_one_line(policy, capsys, argv, message) -> None:
    code, out, err = _run(["what-if", "--corpus-dir", str(policy.path.parent), *argv], capsys)
    assert code == 2 and out == "" and err.startswith(message) and err.count("\n") == 1


def test_clauses_check(policy, tmp_path, capsys) -> None:
    code, out, _ = _run(["clauses", "check", str(policy.path)], capsys)
    assert code == 0 and out.startswith("ok: ") and "2 quotes found in policy.md" in out
    bad = tmp_path / "bad.clauses.yaml"
    bad.write_text("document: policy.md\nname: x\nfacts: {}\nclauses: []\ncolour: red\n", encoding="utf-8")
    code, out, _ = _run(["clauses", "check", str(bad)], capsys)
    assert code == 1 and all(line.startswith(f"{bad}:") for line in out.splitlines()) and "colour" in out


def test_ingest_resolves_every_pack_and_reports_a_broken_one(tmp_path) -> None:
    from assistant import Assistant

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "policy.md").write_text(POLICY, encoding="utf-8")
    (corpus / "policy.clauses.yaml").write_text(PACK, encoding="utf-8")
    (corpus / "notes.md").write_text("Meetings are on Mondays.\n", encoding="utf-8")
    (corpus / "notes.clauses.yaml").write_text(PACK.replace("document: policy.md", "document: notes.md"),
                                               encoding="utf-8")
    report = Assistant(store_dir=tmp_path / "store", corpus_dir=corpus).ingest()
    assert report.packs == 1 and len(report.pack_problems) == 2  # notes.md holds neither quote
    assert all(p.startswith(str(corpus / "notes.clauses.yaml")) for p in report.pack_problems)
    assert "clause pack problems (not used)" in report.summary() and "policy.md" not in report.pack_problems[0]


def test_the_what_if_tab_draws_one_form_per_pack(policy, tmp_path) -> None:
    import gradio as gr

    from ui.whatif_tab import build_whatif_tab

    corpus = policy.path.parent
    (corpus / "rota.md").write_text("Night shifts pay 20 percent more.\n", encoding="utf-8")
    (corpus / "rota.clauses.yaml").write_text(
        "document: rota.md\nname: the rota\nfacts:\n  night:\n    type: yes/no\n    label: whether the shift is at night\n"
        "    ask: Is the shift at night?\nclauses:\n  - id: night_pay\n    title: Night pay\n"
        "    quotes: [Night shifts pay 20 percent more.]\n    summary: Night shifts pay 20 percent more.\n"
        "    relevant_when: [night known]\n    branches:\n"
        "      - {id: night, outcome: more, when: [night is yes], text: The shift pays 20 percent more.}\n",
        encoding="utf-8")
    with gr.Blocks():
        forms = build_whatif_tab(corpus)
    assert len(forms) == 2
    by_inputs = {len(inputs): update for update, inputs, _ in forms}
    assert by_inputs[1]("yes")[0].startswith("The shift pays 20 percent more. [1]")
    assert by_inputs[2]("4", "")[0].startswith("You earn 6 hours a period. [1]")
