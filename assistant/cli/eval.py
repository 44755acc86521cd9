"""The `eval` subcommand: run a question set, write summary.json, report.md and report.png."""

from __future__ import annotations

import argparse
import shlex
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.config import project_root

if TYPE_CHECKING:
    from assistant.evaluation import Thresholds


def add_eval_parser(subparsers) -> None:
    """Register `assistant eval`."""
    parser = subparsers.add_parser("eval", help="measure the assistant on a question set")
    parser.add_argument("--questions", type=Path, help="JSON Lines question set (default evals/questions.jsonl)")
    parser.add_argument("--suite", type=Path, help="a suite of corpora (e.g. evals/corpora): each ingested into a "
                        "temporary store of its own and asked its questions; figures per corpus and pooled")
    parser.add_argument("--only", metavar="NAMES", help="with --suite: run only these corpora (comma-separated)")
    parser.add_argument("--corpus", type=Path, help="ingest this folder into a temporary store and ask --questions about it")
    parser.add_argument("--out", type=Path, help="output directory (default evals/out)")
    parser.add_argument("--backend", choices=["extractive", "llm"], help="answering backend (default from settings)")
    parser.add_argument("-k", type=int, help="passages to retrieve")
    parser.add_argument("--thresholds", type=Path, help="gate bounds (default evals/thresholds.json)")
    parser.add_argument("--gate", action="store_true", help="exit 1 when a metric is under its threshold "
                        "(a suite: its pooled dev part)")
    parser.add_argument("--no-baseline", action="store_true", help="skip the LangChain tutorial baseline")
    parser.add_argument("--replies", type=Path, help="with --suite: a model's recorded replies (JSON Lines of corpus, "
                        "question, reply; a file or a folder of them): only their questions are asked, and the llm "
                        "backend's model is a server on 127.0.0.1 replaying them")
    parser.set_defaults(run=run_eval_command)


def run_eval_command(args: argparse.Namespace) -> int:
    """Run the eval and write its outputs; prints the headline figures and the output paths."""
    from assistant.errors import UserInputError

    if args.suite and (args.questions or args.corpus):
        raise UserInputError("--suite runs each corpus's own questions.jsonl: drop --questions and --corpus.")
    if args.only and not args.suite:
        raise UserInputError("--only picks corpora of a suite: add --suite DIR.")
    if args.replies and not args.suite:
        raise UserInputError("--replies names the suite corpora its questions belong to: add --suite DIR.")
    if args.suite:
        return _run_suite(args)
    from assistant import Assistant
    from assistant.evaluation import check_gate, evaluate, load_questions, load_thresholds

    questions_path = args.questions or project_root() / "evals" / "questions.jsonl"
    out_dir = args.out or project_root() / "evals" / "out"
    questions = load_questions(questions_path)
    thresholds = load_thresholds(args.thresholds)
    with _corpus_store(args.corpus) as overrides:
        bot = Assistant(backend=args.backend, k=args.k, **overrides)
        if args.corpus:
            bot.ingest()
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
    return _finish(args, summary, thresholds, check_gate(summary, thresholds), out_dir)


def _run_suite(args: argparse.Namespace) -> int:
    from assistant.config import load_settings
    from assistant.evaluation import Thresholds, load_thresholds
    from assistant.evaluation.gate import SUITE_DEV, check_suite_gates
    from assistant.evaluation.suite import discover_suite, run_suite, suite_summary, with_questions

    corpora = discover_suite(args.suite)
    if args.only:
        from assistant.errors import UserInputError

        wanted = [name.strip() for name in args.only.split(",") if name.strip()]
        unknown = sorted(set(wanted) - {c.name for c in corpora})
        if unknown:
            raise UserInputError(f"No corpus {', '.join(unknown)} in {args.suite}; its corpora: "
                                 f"{', '.join(c.name for c in corpora)}.")
        corpora = [c for c in corpora if c.name in wanted]
    thresholds = load_thresholds(args.thresholds, SUITE_DEV)
    with _replayed(args.replies, args.backend) as (replayed, overrides):
        if replayed is not None:
            corpora = with_questions(corpora, replayed)
        settings = load_settings(**{"backend": args.backend, "k": args.k, **overrides})
        bars = _SuiteBars(len(corpora))
        try:
            runs = run_suite(corpora, settings, k=args.k, baseline=not args.no_baseline, progress=bars)
        finally:
            bars.close()
    meta = {"backend": settings.backend, "suite": str(args.suite), "command": _command_line()}
    if args.replies:
        meta["replies"] = str(args.replies)
    summary = suite_summary(runs, meta=meta)
    out_dir = args.out or project_root() / "evals" / "out" / "suite"
    checked, failures = check_suite_gates(runs, args.thresholds, suite=Path(args.suite).resolve().name)
    if not checked:
        thresholds = Thresholds()  # no gate pools the corpora of this run
    return _finish(args, summary, thresholds, failures, out_dir)


def _finish(args: argparse.Namespace, summary: dict, thresholds: Thresholds, failures: list[str], out_dir: Path) -> int:
    from assistant.evaluation import write_outputs

    if not thresholds:
        failures = [f"no bounds for this gate in {args.thresholds or 'evals/thresholds.json'} "
                    "(python -m assistant.evaluation.set_floors sets them)"]
    summary["gate"] = {"min": thresholds.minimum, "max": thresholds.maximum, "passed": not failures, "failures": failures}
    paths = write_outputs(summary, out_dir, failures)
    print(_headline(summary))
    for name, corpus in summary.get("corpora", {}).items():
        print(f"  {name}: " + _figures(corpus))
    if "pooled" in summary:
        for split in ("dev", "heldout"):
            print(f"pooled {split}: " + _figures(summary["pooled"][split]))
    for failure in failures:
        print(f"gate: {failure}")
    print("wrote " + ", ".join(str(p) for p in paths))
    return 1 if args.gate and failures else 0


@contextmanager
def _corpus_store(corpus: Path | None):
    """With --corpus: settings for that folder and a temporary store; otherwise no overrides."""
    if corpus is None:
        yield {}
        return
    from assistant.errors import UserInputError

    if not corpus.is_dir():
        raise UserInputError(f"No corpus folder at {corpus}. Pass --corpus DIR with your documents in it.")
    with tempfile.TemporaryDirectory(prefix="assistant-eval-", ignore_cleanup_errors=True) as tmp:
        yield {"corpus_dir": corpus.resolve(), "store_dir": Path(tmp) / "chroma", "chroma_url": None}


@contextmanager
def _replayed(replies: Path | None, backend: str | None):
    """With --replies: the questions to ask (corpus -> texts) and, for the llm backend, settings pointing at a
    loopback server replaying the recorded replies; otherwise (None, {})."""
    if replies is None:
        yield None, {}
        return
    from assistant.errors import UserInputError
    from assistant.testing import ReplayServer, load_replies

    try:
        records = load_replies(replies)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise UserInputError(f"Cannot read the recorded replies: {exc}") from None
    asked: dict[str, set[str]] = {}
    for record in records:
        asked.setdefault(record["corpus"], set()).add(record["question"])
    if backend == "extractive":
        yield asked, {}
        return
    # Each question makes at most three requests (the clause tool's, a follow-up's rewriting, the answer's), and
    # each corpus one more question to warm up: past that the client is looping.
    bound = 3 * (len(records) + len(asked))
    with ReplayServer({r["question"]: r["reply"] for r in records}, max_requests=bound) as server:
        yield asked, {"backend": "llm", "llm": "openai:replay", "llm_base_url": server.base_url}
        if server.unmatched:
            print(f"replay: {server.unmatched} request(s) asked no recorded question and were refused "
                  "(a follow-up's rewriting keeps the rule-based reading)", file=sys.stderr)


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


class _SuiteBars:
    """Two progress bars on stderr: corpora done, and the current corpus's stage (ingest, questions, baseline)."""

    def __init__(self, corpora: int):
        from tqdm import tqdm

        self._corpora = tqdm(total=corpora, unit="corpus", desc="suite", file=sys.stderr, position=0)
        self._stage: tuple[str, str] | None = None
        self._bar = None
        self._seen: list[str] = []

    def __call__(self, corpus: str, stage: str, done: int, total: int) -> None:
        from tqdm import tqdm

        if corpus not in self._seen:
            if self._seen:
                self._corpora.update(1)
            self._seen.append(corpus)
        if self._stage != (corpus, stage):
            if self._bar is not None:
                self._bar.close()
            self._stage = (corpus, stage)
            self._bar = tqdm(total=total, desc=f"{corpus}: {stage}", file=sys.stderr, position=1, leave=False)
        self._bar.update(done - self._bar.n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
        self._corpora.update(self._corpora.total - self._corpora.n)
        self._corpora.close()


def _fmt(value) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _figures(summary: dict) -> str:
    return (f"{summary['n']} q, answer {_fmt(summary['answer_accuracy'])}, citation precision "
            f"{_fmt(summary['citation_precision'])}, abstention {_fmt(summary['abstention_accuracy'])}, "
            f"false abstention {_fmt(summary['false_abstention_rate'])}, recall@k {_fmt(summary['retrieval_recall_at_k'])}"
            + _fallback(summary))


def _fallback(summary: dict) -> str:
    rate = summary.get("fallback_rate")
    return "" if rate is None else f", fallback {_fmt(rate)}"


def _headline(summary: dict) -> str:
    fmt = _fmt

    line = (
        f"{summary['n']} questions: answer {fmt(summary['answer_accuracy'])}, what-if {fmt(summary['what_if_accuracy'])}, "
        f"citation precision {fmt(summary['citation_precision'])} / recall {fmt(summary['citation_recall'])}, "
        f"abstention {fmt(summary['abstention_accuracy'])}, false abstention {fmt(summary['false_abstention_rate'])}, "
        f"recall@1 {fmt(summary['retrieval_recall_at_1'])}, recall@{summary['k']} {fmt(summary['retrieval_recall_at_k'])}, "
        f"MRR {fmt(summary['mrr'])}, p50 {summary['latency_ms_p50']} ms, p95 {summary['latency_ms_p95']} ms"
        + _fallback(summary)
    )
    baseline = summary.get("baseline")
    if baseline:
        line += (f"\nbaseline: recall@1 {fmt(baseline['retrieval_recall_at_1'])}, recall@{baseline['k']} "
                 f"{fmt(baseline['retrieval_recall_at_k'])}, MRR {fmt(baseline['mrr'])}")
    return line
