"""The `what-if` subcommand: evaluate a scenario given as flags and print the outcome and trace."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pydantic import ValidationError

from assistant.clauses import Scenario, evaluate, render_answer, render_trace
from assistant.clauses.amounts import parse_amount
from assistant.clauses.scenario import invalid_fact
from assistant.errors import AssistantError, UserInputError

_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}


def yes_no(text: str) -> bool:
    """Return True for yes/true, False for no/false; raise ValueError otherwise."""
    word = text.strip().lower()
    if word not in _YES | _NO:
        raise ValueError(f"expected yes or no, got {text!r}")
    return word in _YES


def year(text: str) -> int:
    """Return a year given as digits; raise ValueError otherwise."""
    if not text.strip().isdigit():
        raise ValueError(f"expected a year such as 2031, got {text!r}")
    return int(text)


# Flags are read as text and converted in run_what_if, so a bad value is one line on stderr, not argparse's usage.
_CONVERTERS = {
    "year": year,
    "microsoft_can_meet_demand": yes_no,
    "agi_achieved": yes_no,
    "oracle_approved_by_microsoft": yes_no,
    "earlier_arrangement": yes_no,
    "profit_usd": parse_amount,
    "profit_above_usd": parse_amount,
    "profit_below_usd": parse_amount,
}
_FLAGS = {
    "agi_achieved": "--agi",
    "profit_usd": "--profit",
    "profit_above_usd": "--profit-over",
    "profit_below_usd": "--profit-under",
    "oracle_approved_by_microsoft": "--oracle-approved",
    "earlier_arrangement": "--earlier-arrangement",
}


def add_what_if_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register the `what-if` subcommand with one flag per Scenario field; return its parser."""
    parser = subparsers.add_parser(
        "what-if",
        help="Evaluate a what-if scenario against the agreement's clauses.",
        description="Evaluate a what-if scenario against the Microsoft-OpenAI agreement's clauses.",
    )
    parser.add_argument("--year", help="Year the scenario is set in, e.g. 2031.")
    parser.add_argument("--microsoft-can-meet-demand", metavar="yes|no",
                        help="Whether Microsoft can meet OpenAI's new computing needs.")
    parser.add_argument("--provider", help="Cloud provider for new compute: microsoft, oracle, aws, google, coreweave...")
    parser.add_argument("--api-host", help="Where OpenAI's API would be offered: azure, aws, google...")
    parser.add_argument("--agi", dest="agi_achieved", metavar="yes|no", help="Whether OpenAI achieved AGI.")
    parser.add_argument("--profit", dest="profit_usd", metavar="AMOUNT",
                        help="The system's profit in dollars, e.g. 150B or '$100 billion'.")
    parser.add_argument("--profit-over", dest="profit_above_usd", metavar="AMOUNT",
                        help="The profit is known only to be over this amount.")
    parser.add_argument("--profit-under", dest="profit_below_usd", metavar="AMOUNT",
                        help="The profit is known only to be under this amount.")
    parser.add_argument("--oracle-approved", dest="oracle_approved_by_microsoft", metavar="yes|no",
                        help="Whether Microsoft approved the Oracle partnership (the article says yes).")
    parser.add_argument("--earlier-arrangement", dest="earlier_arrangement", metavar="yes|no",
                        help="Set the scenario under the arrangement before the January 2025 agreement.")
    parser.add_argument("--corpus-dir", type=Path, help="Directory holding the corpus files (default: corpus/).")
    parser.add_argument("--json", action="store_true", help="Print the evaluation as JSON.")
    parser.set_defaults(run=run_what_if)
    return parser


def flag_of(field: str) -> str:
    """Return the command-line flag that sets a Scenario field."""
    return _FLAGS.get(field, "--" + field.replace("_", "-"))


def scenario_from_args(args: argparse.Namespace) -> Scenario:
    """Return the Scenario the flags describe; raise UserInputError naming the bad flag."""
    facts = {}
    for name in Scenario.model_fields:
        raw = getattr(args, name, None)
        if raw is None:
            continue
        try:
            facts[name] = _CONVERTERS[name](raw) if name in _CONVERTERS else raw
        except ValueError as exc:
            raise UserInputError(f"{flag_of(name)}: {exc}") from exc
    try:
        return Scenario(**facts)
    except ValidationError as exc:
        field, reason = invalid_fact(exc)
        raise UserInputError(f"{flag_of(field)}: {reason}") from exc


def run_what_if(args: argparse.Namespace) -> int:
    """Print the scenario's outcome and trace (or JSON); return 0, or 2 after a one-line error."""
    try:
        evaluation = evaluate(scenario_from_args(args), corpus_dir=getattr(args, "corpus_dir", None))
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if getattr(args, "json", False):
        print(evaluation.to_json())
        return 0
    answer, citations = render_answer(evaluation)
    print(answer)
    if citations:
        print()
        for citation in citations:
            print(f'[{citation.n}] "{citation.quote}" ({citation.source}, chars {citation.start}-{citation.end})')
    print()
    print(render_trace(evaluation), end="")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run `what-if` on its own, for trying it before it is wired into the main CLI."""
    parser = argparse.ArgumentParser(prog="assistant")
    subparsers = parser.add_subparsers(dest="command", required=True)
    add_what_if_parser(subparsers)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    raise SystemExit(main())
