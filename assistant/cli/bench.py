"""The `bench` subcommand: run the benchmark (assistant.evaluation.bench) and say where the report went."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from assistant.config import project_root
from assistant.errors import ConfigError, UserInputError


def add_bench_parser(subparsers) -> None:
    """Register `assistant bench`."""
    parser = subparsers.add_parser("bench", help="measure speed, memory and recall; writes evals/BENCHMARKS.md")
    parser.add_argument("--quick", action="store_true", help="1k chunks, fewer repetitions (under 3 minutes)")
    parser.add_argument("--out", type=Path, help="directory for BENCHMARKS.md and bench.png (default evals/)")
    parser.add_argument("--scales", help="comma-separated chunk counts, e.g. 1000,10000 (default 1000,10000,100000)")
    parser.add_argument("--budget-minutes", type=float, default=30.0,
                        help="embed a scale for real only if it fits the time left (default 30)")
    parser.set_defaults(run=run_bench_command)


def parse_scales(text: str | None) -> list[int] | None:
    """`1000,10k` -> [1000, 10000]; None stays None."""
    if not text:
        return None
    scales = []
    for part in text.split(","):
        part = part.strip().lower()
        factor = 1000 if part.endswith("k") else 1
        digits = part.removesuffix("k")
        if not digits.isdigit() or int(digits) * factor < 100:
            raise UserInputError(f"--scales takes chunk counts of at least 100 such as 1000,10k; got {part!r}.")
        scales.append(int(digits) * factor)
    return scales


def run_bench_command(args: argparse.Namespace) -> int:
    """Run the benchmark; prints the report's path."""
    from assistant.evaluation.bench.common import QUESTIONS, REAL_CORPUS
    from assistant.evaluation.bench.orchestrate import run

    missing = [path for path in (REAL_CORPUS, QUESTIONS) if not path.exists()]
    if missing:
        raise ConfigError(f"No {missing[0]}: `assistant bench` runs from a source checkout of the project.")
    command = "assistant " + " ".join(shlex.quote(a) for a in sys.argv[1:]) if sys.argv[1:] else "assistant bench"
    report = run(quick=args.quick, out=args.out or project_root() / "evals", scales=parse_scales(args.scales),
                 budget_minutes=args.budget_minutes, command=command)
    print(f"wrote {report} and {report.with_name('bench.png')}")
    return 0
