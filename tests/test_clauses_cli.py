"""The `what-if` subcommand: flags to a scenario, printed outcome or JSON, one-line errors."""

from __future__ import annotations

import argparse
import json

import pytest

from assistant.cli.what_if import add_what_if_parser, run_what_if


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="assistant")
    add_what_if_parser(parser.add_subparsers(dest="command"))
    code = run_what_if(parser.parse_args(["what-if", *argv]))
    out, err = capsys.readouterr()
    return code, out, err


def test_flags_build_the_scenario_and_print_outcome_then_trace(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(
        ["--microsoft-can-meet-demand", "no", "--provider", "oracle", "--year", "2027", "--profit", "150B", "--agi", "yes"],
        capsys,
    )
    assert code == 0 and err == ""
    assert out.startswith("OpenAI can use Oracle")
    assert '[1] "The partnership with Oracle, approved by Microsoft' in out
    assert "## Facts" in out and "| profit_over_threshold | profit_usd | $150 billion | gt |" in out


def test_json_flag_prints_the_evaluation(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["--profit", "$100 billion", "--json"], capsys)
    data = json.loads(out)
    assert code == 0
    assert data["results"][0]["outcome"] == "access_unaffected"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--agi", "maybe"], "error: --agi: expected yes or no, got 'maybe'"),
        (["--profit", "lots"], "error: --profit: not a dollar amount"),
        (["--year", "soon"], "error: --year: expected a year"),
        (["--year", "99999"], "error: --year: Input should be less than or equal to 2999"),
    ],
)
def test_bad_flag_values_give_one_line_and_exit_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(argv, capsys)
    assert code == 2 and out == ""
    assert err.startswith(message) and err.count("\n") == 1
    assert "Traceback" not in err


def test_missing_corpus_is_a_one_line_error(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(["--year", "2031", "--corpus-dir", str(tmp_path)], capsys)
    assert code == 2 and err.startswith("error: The clause engine's source") and err.count("\n") == 1
