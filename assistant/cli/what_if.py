"""`assistant what-if` (a scenario's outcome from a clause pack, cited) and `assistant clauses check` (a pack's
problems, one line each)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from assistant.errors import AssistantError, UserInputError


def add_what_if_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register `what-if` and `clauses`; return the what-if parser."""
    parser = subparsers.add_parser(
        "what-if",
        help="Decide a scenario from a document's clause pack.",
        description="Decide a scenario from a document's clause pack (<document>.clauses.yaml beside it): give the "
        "facts as FACT=VALUE; facts you leave out stay unknown. With no --pack, the corpus's only pack is used.",
    )
    parser.add_argument("facts", nargs="*", metavar="FACT=VALUE", help="e.g. years=12 balance='over 80'")
    parser.add_argument("--pack", help="a pack file, or the id of one in the corpus (its file name without "
                        ".clauses.yaml)")
    parser.add_argument("--list", action="store_true", help="list the pack's facts and what each asks, then exit")
    parser.add_argument("--trace", action="store_true", help="print the full rule trace too")
    parser.add_argument("--corpus-dir", type=Path, help="the corpus folder (default: the configured corpus)")
    parser.add_argument("--json", action="store_true", help="print the evaluation as JSON")
    parser.set_defaults(run=run_what_if)

    clauses = subparsers.add_parser("clauses", help="Work with clause packs.", description="Work with clause packs.")
    actions = clauses.add_subparsers(dest="action", required=True)
    check = actions.add_parser("check", help="Validate a pack: one line per problem.",
                               description="Validate a clause pack and resolve its quotes in its document.")
    check.add_argument("file", type=Path)
    check.set_defaults(run=run_check)
    return parser


def choose_pack(pack: str | None, corpus_dir: Path):
    """The pack named by --pack (a file or an id in the corpus), or the corpus's only one."""
    from assistant.clauses import load_pack, load_packs

    if pack and (pack.endswith((".yaml", ".yml")) or Path(pack).is_file()):
        return load_pack(pack)
    packs, problems = load_packs(corpus_dir)
    if pack:
        found = [p for p in packs if p.id == pack]
        if not found:
            ids = ", ".join(sorted({p.id for p in packs})[:10]) or "none"
            raise UserInputError(f"no pack {pack!r} in {corpus_dir} (packs there: {ids})")
        return found[0]
    if len(packs) != 1:
        ids = ", ".join(sorted({p.id for p in packs})[:10])
        raise UserInputError(f"{len(packs)} packs in {corpus_dir}; choose one with --pack ({ids})" if packs else
                             f"no clause pack in {corpus_dir}" + (f" ({problems[0]})" if problems else
                                                                 "; write <document>.clauses.yaml beside a document"))
    return packs[0]


def facts_from_args(loaded, pairs: list[str]) -> dict:
    """FACT=VALUE pairs typed by the pack; raise UserInputError naming the bad one."""
    facts = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise UserInputError(f"{pair}: write FACT=VALUE, e.g. {next(iter(loaded.pack.facts))}=...")
        facts[name.strip().replace("-", "_")] = value
    try:
        return loaded.pack.scenario(facts)
    except ValueError as exc:
        raise UserInputError(f"{exc} (see --list)") from None


def run_what_if(args: argparse.Namespace) -> int:
    """Print the outcome and its cited quotes (and the trace, or JSON); 0, or 2 after a one-line error."""
    from assistant.clauses import evaluate
    from assistant.clauses.render import render_answer
    from assistant.clauses.trace import trace_markdown
    from assistant.config import load_settings

    try:
        corpus_dir = args.corpus_dir or load_settings().corpus_dir
        loaded = choose_pack(args.pack, corpus_dir)
        if args.list:
            for name, spec in loaded.pack.facts.items():
                values = f" ({', '.join(spec.values)})" if spec.values else f" (in {spec.unit})" if spec.unit else ""
                print(f"{name}: {spec.type}{values} — {spec.ask}")
            return 0
        evaluation = evaluate(loaded, facts_from_args(loaded, args.facts))
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(evaluation.to_json())
        return 0
    answer, citations = render_answer(loaded.pack, evaluation)
    print(answer)
    for citation in citations:
        print(f'[{citation.n}] "{citation.quote}" ({citation.source}, chars {citation.start}-{citation.end})')
    print()
    trace = trace_markdown(loaded.pack, evaluation, citations, full=args.trace)
    print((trace if args.trace else trace.split("\n\nNot applicable")[0]).replace("\\$", "$").replace("**", ""))
    return 0


def run_check(args: argparse.Namespace) -> int:
    """Print each problem of a pack on its own line (exit 1), or a one-line summary (exit 0)."""
    from assistant.clauses import PackError, load_pack

    try:
        loaded = load_pack(args.file)
    except PackError as exc:
        for problem in exc.problems:
            print(problem)
        return 1
    pack = loaded.pack
    print(f"ok: {args.file}: {len(pack.facts)} facts, {len(pack.derived)} derived, {len(pack.clauses)} clauses, "
          f"{len(loaded.spans)} quotes found in {pack.document}")
    return 0
