"""The `assistant` command: a thin face over the public API."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from assistant.errors import AssistantError, UserInputError

EXIT_USER_ERROR = 2
EXIT_RUNTIME_ERROR = 1


class _Parser(argparse.ArgumentParser):
    """An argument parser whose mistakes are one `error:` line (exit code 2), not a usage block."""

    def error(self, message: str):
        print(f"error: {message}. Run `{self.prog} --help` to see the options.", file=sys.stderr)
        sys.exit(EXIT_USER_ERROR)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = _Parser(prog="assistant", description="Cited answers about the documents in corpus/.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ingest = sub.add_parser("ingest", help="chunk, embed and index the corpus")
    ingest.add_argument("--rebuild", action="store_true", help="re-embed everything instead of reusing vectors")

    ask = sub.add_parser("ask", help="answer one question")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true", help="print the Answer as JSON")
    _add_answer_options(ask)

    chat = sub.add_parser("chat", help="chat in the terminal, with history")
    _add_answer_options(chat)

    feedback = sub.add_parser("feedback", help="export the UI's thumbs up/down as an eval question set")
    feedback.add_argument("--export", type=Path, required=True, metavar="FILE", help="JSON Lines file to write")

    _add_optional_commands(sub)
    return parser


def _add_answer_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--backend", choices=["extractive", "llm"], help="answering backend (default from settings)")
    parser.add_argument("-k", type=int, help="passages to retrieve")


def _add_optional_commands(sub) -> None:
    """Subcommands that live in their own modules: what-if, ui, serve, eval, bench."""
    from assistant.cli.bench import add_bench_parser
    from assistant.cli.eval import add_eval_parser
    from assistant.cli.serve import add_serve_parser
    from assistant.cli.ui import add_ui_parser
    from assistant.cli.what_if import add_what_if_parser

    for register in (add_what_if_parser, add_ui_parser, add_serve_parser, add_eval_parser, add_bench_parser):
        register(sub)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, or a mistake already reported on one line
        return int(exc.code or 0)
    _quiet_libraries()
    try:
        if args.command == "ingest":
            return _ingest(args)
        if args.command == "ask":
            return _ask(args)
        if args.command == "chat":
            return _chat(args)
        if args.command == "feedback":
            return _feedback(args)
        return args.run(args)
    except UserInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_RUNTIME_ERROR
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `assistant ask ... | head -1` closed the pipe: not an error worth a message
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # the user must never see a trace; ASSISTANT_DEBUG=1 shows it
        if os.environ.get("ASSISTANT_DEBUG"):
            raise
        print(f"error: unexpected {type(exc).__name__}: {exc}. Rerun with ASSISTANT_DEBUG=1 for details.", file=sys.stderr)
        return EXIT_RUNTIME_ERROR


def _quiet_libraries() -> None:
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    for noisy in ("chromadb", "httpx", "sentence_transformers", "transformers", "bm25s"):
        logging.getLogger(noisy).setLevel(logging.ERROR)


def make_assistant(args: argparse.Namespace):
    """An Assistant with the command line's overrides."""
    from assistant import Assistant

    return Assistant(backend=getattr(args, "backend", None), k=getattr(args, "k", None))


def _ingest(args: argparse.Namespace) -> int:
    report = _ingest_with_progress(make_assistant(args), rebuild=args.rebuild)
    print(("rebuilt: " if report.rebuilt else "") + report.summary())
    return 0


def _ingest_with_progress(bot, rebuild: bool = False):
    """Ingest with a progress bar on stderr; returns the IngestReport."""
    from tqdm import tqdm

    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, unit="step", desc="ingesting", file=sys.stderr)
        bar.update(done - bar.n)

    try:
        return bot.ingest(rebuild=rebuild, progress=progress)
    finally:
        if bar is not None:
            bar.close()


def _ready(bot):
    """The assistant, its index brought in line with the corpus first, visibly, when the corpus changed."""
    if bot.needs_ingest():
        print("The documents changed since the index was built (or there is none yet): ingesting them first.",
              file=sys.stderr)
        report = _ingest_with_progress(bot)
        print(report.summary(), file=sys.stderr)
    return bot


def _feedback(args: argparse.Namespace) -> int:
    from assistant.config import load_settings
    from assistant.feedback import export_feedback, feedback_path

    settings = load_settings()
    count = export_feedback(settings.store_dir, args.export)
    print(f"wrote {count} question(s) from {feedback_path(settings.store_dir)} to {args.export}")
    return 0


def format_answer(answer) -> str:
    """An answer for the terminal: text, notice, then the numbered citations with their quotes."""
    lines = [answer.text]
    if answer.notice:
        lines.append(f"(note: {answer.notice})")
    if answer.citations:
        lines.append("")
        for c in answer.citations:
            lines.append(f"[{c.n}] {c.source}:{c.start}-{c.end}  \"{c.quote}\"")
    return "\n".join(lines)


def _ask(args: argparse.Namespace) -> int:
    answer = _ready(make_assistant(args)).ask(args.question)
    print(answer.model_dump_json(indent=2) if args.json else format_answer(answer))
    return 0


def _chat(args: argparse.Namespace) -> int:
    bot = _ready(make_assistant(args))
    history: list[dict] = []
    print("Ask about the documents. An empty line or Ctrl-D quits.", file=sys.stderr)
    while True:
        try:
            question = input("you> ")
        except EOFError:
            print(file=sys.stderr)
            return 0
        if not question.strip():
            return 0
        try:
            answer = bot.ask(question, history=history)
        except UserInputError as exc:
            print(f"error: {exc}", file=sys.stderr)
            continue
        print(format_answer(answer) + "\n")
        history += [{"role": "user", "content": question}, {"role": "assistant", "content": answer.text}]


if __name__ == "__main__":
    sys.exit(main())
