"""The clause engine: every clause and branch, boundaries, unknowns, contradictions, citations."""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from assistant.clauses import CLAUSES, Scenario, evaluate
from assistant.clauses.corpus import default_corpus_dir, load_document
from assistant.clauses.facts import find_contradictions
from assistant.errors import ConfigError

CASES = yaml.safe_load((Path(__file__).parent / "clause_cases.yaml").read_text(encoding="utf-8"))
CORPUS_FILE = default_corpus_dir() / "microsoft-openai-partnership.md"


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_scenario_case(case: dict) -> None:
    evaluation = evaluate(Scenario(**case["facts"]))
    outcomes = {r.clause_id: r.outcome for r in evaluation.results}
    for clause_id, outcome in case["expect"].items():
        assert outcomes.get(clause_id) == outcome, (clause_id, outcomes)
    for clause_id in case.get("absent", []):
        assert clause_id not in outcomes
    for clause_id, exception in case.get("overridden", {}).items():
        assert evaluation.result(clause_id).overridden_by == exception
    for clause_id, missing in case.get("missing", {}).items():
        assert evaluation.result(clause_id).missing == missing


def test_every_branch_of_every_clause_is_reached_by_a_case() -> None:
    reached = set()
    for case in CASES:
        for result in evaluate(Scenario(**case["facts"])).results:
            if result.branch:
                reached.add((result.clause_id, result.branch))
    every = {(c.id, b.id) for c in CLAUSES for b in c.branches}
    assert every - reached == set()


def test_every_quote_is_verbatim_in_the_corpus() -> None:
    text = CORPUS_FILE.read_text(encoding="utf-8")
    quotes = [q for c in CLAUSES for q in (*c.quotes, *(q for b in c.branches for q in b.quotes))]
    assert quotes
    for quote in quotes:
        assert quote in text, quote


def test_citation_spans_index_the_full_file_including_front_matter() -> None:
    with CORPUS_FILE.open(encoding="utf-8", newline="") as handle:
        text = handle.read()
    everything = Scenario(
        year=2031, microsoft_can_meet_demand=False, provider="oracle", api_host="aws", agi_achieved=True
    )
    evaluation = evaluate(everything)
    assert len(evaluation.citations) >= 8
    for citation in evaluation.citations:
        assert text[citation.start : citation.end] == citation.quote
        assert citation.source == "microsoft-openai-partnership.md"
        assert citation.title == "Microsoft and OpenAI: A New Chapter in Their Partnership"
        assert citation.start > text.index("\n---", 3)  # offsets count the front matter
    assert [c.n for c in evaluation.citations] == list(range(1, len(evaluation.citations) + 1))


def test_same_quote_keeps_one_number_across_clauses() -> None:
    evaluation = evaluate(Scenario(year=2028, agi_achieved=True))
    numbers = {}
    for result in evaluation.results:
        for citation in result.citations:
            assert numbers.setdefault(citation.quote, citation.n) == citation.n
    assert len(evaluation.citations) == len(numbers) == 2


def _all_scenarios():
    """Yield a grid of scenarios covering every value each condition distinguishes."""
    grid = {
        "year": [None, 2024, 2025, 2030, 2031],
        "microsoft_can_meet_demand": [None, True, False],
        "provider": [None, "microsoft", "oracle", "aws"],
        "api_host": [None, "azure", "google"],
        "agi_achieved": [None, True, False],
        "profit_usd": [None, Decimal("100000000000"), Decimal("100000000001")],
        "oracle_approved_by_microsoft": [None, False],
    }
    for values in itertools.product(*grid.values()):
        yield Scenario(**dict(zip(grid, values)))


def test_branches_never_disagree_and_every_result_is_decided_unknown_or_contradiction() -> None:
    for scenario in _all_scenarios():
        evaluation = evaluate(scenario)  # raises if two branches of a clause reach different outcomes
        for result in evaluation.results:
            if result.status == "unknown":
                assert result.missing and result.possible, (scenario, result.clause_id)
            if result.status == "decided":
                assert result.branch is not None


def test_unknown_names_the_missing_fact_and_both_possibilities() -> None:
    result = evaluate(Scenario(provider="aws")).result("right_of_first_refusal")
    assert result.status == "unknown"
    assert result.missing == ["microsoft_can_meet_demand"]
    assert {p.outcome for p in result.possible} == {"microsoft_has_first_claim", "may_use_competitor"}


def test_contradiction_gives_a_message_not_a_guess() -> None:
    evaluation = evaluate(Scenario(agi_achieved=True, profit_usd=Decimal("100000000000")))
    result = evaluation.result("agi_clause")
    assert result.status == "contradiction"
    assert "over $100 billion" in result.text and "$100 billion" in result.text
    assert evaluation.contradictions[0].facts == ["agi_achieved", "profit_usd"]
    assert result.branch is None and result.trace == []


def test_no_contradiction_when_facts_agree() -> None:
    assert find_contradictions(Scenario(agi_achieved=True, profit_usd=Decimal("100000000001"))) == []
    assert find_contradictions(Scenario(agi_achieved=False, profit_usd=Decimal("100000000000"))) == []


def test_trace_records_fact_value_operator_threshold_and_result() -> None:
    result = evaluate(Scenario(profit_usd="150B")).result("agi_clause")
    step = next(s for s in result.trace if s.branch == "profit_over_threshold")
    assert step.model_dump() == {
        "branch": "profit_over_threshold",
        "fact": "profit_usd",
        "value": "150000000000",
        "source": "question",
        "op": "gt",
        "threshold": "100000000000",
        "result": True,
        "evaluated": True,
    }


def test_conditions_after_a_false_one_are_marked_not_evaluated() -> None:
    result = evaluate(Scenario(year=2031, agi_achieved=True)).result("agi_within_term")
    within = [s for s in result.trace if s.branch == "agi_within_term"]
    assert [(s.fact, s.op, s.evaluated, s.result) for s in within] == [
        ("agi_reached", "eq", True, True),
        ("year", "ge", True, True),
        ("year", "le", True, False),
    ]
    before = [s for s in result.trace if s.branch == "agi_before_agreement"]
    assert before[-1].fact == "year" and before[-1].result is False
    rofr = evaluate(Scenario(microsoft_can_meet_demand=False, provider="aws")).result("right_of_first_refusal")
    skipped = [s for s in rofr.trace if s.branch == "microsoft_can_meet"][1]
    assert skipped.evaluated is False and skipped.result is None


def test_evaluation_is_json_serialisable_and_deterministic() -> None:
    scenario = Scenario(year=2027, microsoft_can_meet_demand=False, provider="Amazon Web Services", profit_usd="1.5 trillion")
    first = evaluate(scenario).to_json()
    assert first == evaluate(scenario).to_json()
    data = json.loads(first)
    assert data["scenario"]["profit_usd"] == "1500000000000"
    assert data["scenario"]["provider"] == "aws"


def test_baseline_shows_the_article_outcome_beside_a_counterfactual() -> None:
    evaluation = evaluate(Scenario(year=2031, api_host="aws", profit_usd="150B"))
    assert evaluation.result("term_to_2030").baseline.outcome == "within_term"
    assert evaluation.result("api_exclusive_on_azure").baseline.outcome == "api_on_azure"
    assert evaluation.result("agi_clause").baseline.outcome == "access_unaffected"
    assert evaluate(Scenario(year=2027)).result("term_to_2030").baseline is None  # same as the article


def test_standing_fact_from_the_article_is_marked_as_such() -> None:
    evaluation = evaluate(Scenario(provider="oracle"))
    assert evaluation.facts["oracle_approved_by_microsoft"].source == "article"
    assert evaluation.result("oracle_stargate").outcome == "oracle_allowed"


def test_float_profit_is_read_exactly() -> None:
    assert Scenario(profit_usd=100000000000.0).profit_usd == Decimal("100000000000")
    assert evaluate(Scenario(profit_usd=1e11)).result("agi_clause").outcome == "access_unaffected"


def test_provider_names_are_normalised() -> None:
    assert Scenario(provider="Amazon Web Services").provider == "aws"
    assert Scenario(provider="GCP").provider == "google"
    assert Scenario(provider="Microsoft Azure").provider == "microsoft"
    assert Scenario(api_host="Microsoft").api_host == "azure"
    assert Scenario(provider="Lambda Labs").provider == "lambda labs"


def test_corpus_dir_can_be_overridden(tmp_path: Path) -> None:
    shutil.copy(CORPUS_FILE, tmp_path / CORPUS_FILE.name)
    evaluation = evaluate(Scenario(year=2031), corpus_dir=tmp_path)
    assert evaluation.citations[0].quote.startswith("The partnership is set to last until 2030")
    assert load_document(CORPUS_FILE.name, tmp_path).text == CORPUS_FILE.read_text(encoding="utf-8")


def test_missing_corpus_file_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="Pass the corpus directory"):
        evaluate(Scenario(year=2031), corpus_dir=tmp_path)


def test_changed_corpus_text_is_reported(tmp_path: Path) -> None:
    (tmp_path / CORPUS_FILE.name).write_text("---\ntitle: Other\n---\nNothing here.\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="no longer in"):
        evaluate(Scenario(year=2031), corpus_dir=tmp_path)


def test_importing_the_engine_loads_no_heavy_library() -> None:
    code = (
        "import sys, assistant.clauses, assistant.clauses.parser, assistant.clauses.render\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'torch', 'chromadb', 'langchain', 'langchain_core', 'sentence_transformers', 'gradio', 'spacy'})\n"
        "print(','.join(heavy))"
    )
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root, check=True)
    assert done.stdout.strip() == ""


def test_importing_the_engine_reads_no_file() -> None:
    code = "import assistant.clauses, assistant.clauses.corpus as c; print(c._load.cache_info().currsize)"
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root, check=True)
    assert done.stdout.strip() == "0"
