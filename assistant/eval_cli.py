"""The `eval` subcommand: run a question set, write summary.json, report.md and report.png."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from .config import project_root


def add_eval_parser(subparsers) -> None:
    """Register `assistant eval`."""
    parser = subparsers.add_parser("eval", help="measure the assistant on a question set")
    parser.add_argument("--questions", type=Path, help="JSON Lines question set (default evals/questions.jsonl)")
    parser.add_argument("--out", type=Path, help="output directory (default evals/out)")
    parser.add_argument("--backend", choices=["extractive", "llm"], help="answering backend (default from settings)")
    parser.add_argument("-k", type=int, help="passages to retrieve")
    parser.add_argument("--thresholds", type=Path, help="gate minimums (default evals/thresholds.json)")
    parser.add_argument("--gate", action="store_true", help="exit 1 when a metric is under its threshold")
    parser.add_argument("--no-baseline", action="store_true", help="skip the LangChain tutorial baseline")
    parser.set_defaults(run=run_eval_command)


def run_eval_command(args: argparse.Namespace) -> int:
    """Run the eval and write its outputs; prints the headline figures and the output paths."""
    from . import Assistant
    from .evaluation import check_gate, evaluate, load_questions, load_thresholds, write_outputs

    questions_path = args.questions or project_root() / "evals" / "questions.jsonl"
    out_dir = args.out or project_root() / "evals" / "out"
    questions = load_questions(questions_path)
    minimums = load_thresholds(args.thresholds)
    bot = Assistant(backend=args.backend, k=args.k)
    meta = {"backend": bot.settings.backend, "questions": str(questions_path), "command": _command_line()}
    bars = [_Bar("questions"), _Bar("baseline")]
    try:
        summary = evaluate(
            bot, questions, k=args.k,
            baseline_settings=None if args.no_baseline else bot.settings,
            progress=bars[0], baseline_progress=bars[1], meta=meta,
        )
    finally:
        for bar in bars:
            bar.close()
    failures = check_gate(summary, minimums)
    summary["gate"] = {"min": minimums, "passed": not failures, "failures": failures}
    paths = write_outputs(summary, out_dir, failures)
    print(_headline(summary))
    for failure in failures:
        print(f"gate: {failure}")
    print("wrote " + ", ".join(str(p) for p in paths))
    return 1 if args.gate and failures else 0


def _command_line() -> str:
    return "assistant " + " ".join(shlex.quote(a) for a in sys.argv[1:]) if sys.argv[1:] else "assistant eval"


class _Bar:
    """A tqdm progress bar on stderr, opened on the first report so that it times only its own stage."""

    def __init__(self, name: str):
        self.name = name
        self._bar = None

    def __call__(self, done: int, total: int) -> None:
        if self._bar is None:
            from tqdm import tqdm

            self._bar = tqdm(total=total, unit="q", desc=self.name, file=sys.stderr, leave=False)
        self._bar.update(done - self._bar.n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


def _headline(summary: dict) -> str:
    def fmt(value):
        return "n/a" if value is None else f"{value:.3f}"

    line = (
        f"{summary['n']} questions: answer {fmt(summary['answer_accuracy'])}, what-if {fmt(summary['what_if_accuracy'])}, "
        f"citation precision {fmt(summary['citation_precision'])} / recall {fmt(summary['citation_recall'])}, "
        f"abstention {fmt(summary['abstention_accuracy'])}, false abstention {fmt(summary['false_abstention_rate'])}, "
        f"recall@1 {fmt(summary['retrieval_recall_at_1'])}, recall@{summary['k']} {fmt(summary['retrieval_recall_at_k'])}, "
        f"MRR {fmt(summary['mrr'])}, p50 {summary['latency_ms_p50']} ms, p95 {summary['latency_ms_p95']} ms"
    )
    baseline = summary.get("baseline")
    if baseline:
        line += (f"\nbaseline: recall@1 {fmt(baseline['retrieval_recall_at_1'])}, recall@{baseline['k']} "
                 f"{fmt(baseline['retrieval_recall_at_k'])}, MRR {fmt(baseline['mrr'])}")
    return line
