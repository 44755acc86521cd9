"""Which of the answerer's cues over question wording earn their place on the suite's pooled dev questions.

    .venv/bin/python evals/studies/cue_ablation.py --store-root /tmp/suite-stores          # every cue
    .venv/bin/python evals/studies/cue_ablation.py --store-root /tmp/suite-stores --only phrasal_verbs,let

Each cue (a pattern over the question's wording, a word list, or the bonus a cue adds to a score) is switched
off alone, and the suite's dev questions are asked again through the eval runner. A cue stays only if the
pooled dev figures gain with it and no corpus loses: with the cue on, more questions pass and no corpus passes
fewer than with it off. The held-out part is not asked: it decides nothing here. The article's eval set
(evals/questions.jsonl, which the CI gate holds to its floors) is asked too and shown, for the record: it decides
nothing either.

    .venv/bin/python evals/studies/cue_ablation.py --together cost,role     # these cues off at once, against all on
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from assistant import Assistant, Calibration, load_settings, text
from assistant.answer.calibration import fitted
from assistant.evaluation.fit_calibration import EVALS, count, open_suite, passes, pooled
from assistant.evaluation.questions import load_questions
from assistant.evaluation.runner import run_eval

NEVER = re.compile(r"(?!)")  # a pattern that matches nothing: the cue is off
ALWAYS = re.compile(r"")  # a filter that lets everything through: the cue is off


@dataclass(frozen=True)
class Cue:
    """A cue of the answerer, and the module attributes that switch it off."""

    name: str
    what: str
    off: tuple[tuple[str, str, object], ...]  # (module, attribute, value when off); module CALIBRATION: a field of it


def _never(module: str, *names: str) -> tuple[tuple[str, str, object], ...]:
    return tuple((module, name, NEVER) for name in names)


A, X, CALIBRATION = "assistant.answer.answer_types", "assistant.answer.extractive", "calibration"
CUES = (
    Cue("percent_asked", '"what percentage" asks for a percentage', _never(A, "_PERCENT_ASKED")),
    Cue("date_asked", '"what year", "until when" ask for a time', _never(A, "_DATE_ASKED")),
    Cue("when_asked", '"when" asks for a time', ((A, "_asks_when", lambda question: False),)),
    Cue("keyword_time", 'a keyword question ending "year"/"date" asks for a time', _never(A, "_KEYWORD_TIME")),
    Cue("count_asked", '"how much", "how many" ask for a number', _never(A, "_COUNT_ASKED")),
    Cue("number_asked", '"what amount", "how big" ask for a number', _never(A, "_NUMBER_ASKED")),
    Cue("amount_noun", '"the budget", "the price" ask for an amount', _never(A, "_AMOUNT_NOUN")),
    Cue("where_asked", '"where" asks for a place', _never(A, "_WHERE_ASKED")),
    Cue("place_asked", '"which city" asks for a place', _never(A, "_PLACE_ASKED")),
    Cue("place_noun", '"hq", "located" ask for a place', _never(A, "_PLACE_NOUN")),
    Cue("who_asked", '"who" asks for a name', _never(A, "_WHO_ASKED")),
    Cue("name_asked", '"what is it called", "name the" ask for a name', _never(A, "_NAME_ASKED")),
    Cue("entity_asked", '"which companies" asks for a name', _never(A, "_ENTITY_ASKED")),
    Cue("point_in_time", "a time entity must say when (a figure, a month)", ((A, "_POINT_IN_TIME", ALWAYS),)),
    Cue("explanation_noun", '"what is the downside" asks for an explanation', _never(A, "_EXPLANATION_NOUN")),
    Cue("explain", '"explain", "what does X mean" ask for an explanation', _never(A, "_EXPLAIN")),
    Cue("text_position", '"how does the article open/end" asks about an edge', _never(A, "_OPENING", "_CLOSING")),
    Cue("time_frame", '"before", "now": a sentence about that time first', _never(A, "_PAST", "_PRESENT")),
    Cue("form_phrase", '"in plain English" is dropped from the question', _never(A, "_FORM_PHRASE")),
    Cue("phrasal_verbs", '"make sure" also reads "ensure"', _never(A, "_PHRASAL_RE")),
    Cue("about_document", '"the article\'s date" is read from its header', _never(X, "_DOCUMENT")),
    Cue("title_words", '"headline", "title" let the headline answer', ((X, "_TITLE_WORDS", frozenset()),)),
    Cue("publishing_words", '"when was it published" is about the document', ((X, "_PUBLISHING", frozenset()),)),
    Cue("type_words", '"what year", "how many people" are not focus words', ((X, "_TYPE_WORDS", frozenset()),)),
    Cue("position_words", '"open", "end" are not what to find', ((X, "_POSITION_WORDS", frozenset()),)),
    Cue("mirror", "a conditional (negative) question prefers such a sentence", ((CALIBRATION, "mirror_weight", 0.0),)),
    Cue("position_bonus", "the opening (closing) chunk first, when asked", ((CALIBRATION, "position_bonus", 0.0),)),
    Cue("record_superlatives", '"which entry is the oldest" compares a record set',
        ((X, "may_compare", lambda question: False),)),
    Cue("source_words", '"article", "company", "profile" carry no content',
        tuple((m, "STOPWORDS", text.FUNCTION_WORDS) for m in ("assistant.text", "assistant.index.lexicon", X))),
    Cue("anaphora", '"it", "they" lean on the last turn', _never("assistant.answer.conversation", "_ANAPHORA")),
)


def article_eval(store_root: Path):
    """Asks the article's eval set: a function of a calibration that returns how many of its questions pass."""
    settings = load_settings()
    bot = Assistant(settings.model_copy(update={"store_dir": store_root / "article-eval", "chroma_url": None}))
    bot.ingest()
    questions = load_questions(EVALS / "questions.jsonl")

    def passed(calibration: Calibration) -> int:
        bot.calibration = calibration
        return sum(r.passed for r in run_eval(bot, questions).results)
    return passed


def _verdict(gain: int, precision: float, losers: dict, gainers: dict) -> str:
    """"stays": with the cue, more pass (or as many, cited better) and no corpus passes fewer; "mixed": more pass
    but some corpus passes fewer; "unmeasured": no dev question is decided by it; "prune": the rest."""
    if not losers and (gain > 0 or gain == 0 and precision > 0):
        return "stays"  # citation precision is a pooled figure too
    if gain > 0:
        return "mixed"
    if not losers and not gainers and abs(precision) < 1e-9:
        return "unmeasured"
    return "prune"


@contextmanager
def switched_off(cue: Cue, calibration: Calibration):
    """Within it the cue is off; yields the calibration to answer by (with the cue's fitted weights at zero)."""
    saved = []
    try:
        for module_name, attribute, value in cue.off:
            if module_name == CALIBRATION:
                calibration = replace(calibration, **{attribute: value})
                continue
            module = importlib.import_module(module_name)
            saved.append((module, attribute, getattr(module, attribute)))
            setattr(module, attribute, value)
        yield calibration
    finally:
        for module, attribute, value in reversed(saved):
            setattr(module, attribute, value)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--suite", type=Path, default=EVALS / "corpora")
    parser.add_argument("--store-root", type=Path, default=None, help="keep the suite's stores here (reused)")
    parser.add_argument("--only", default="", help="comma-separated cue names (default: every cue)")
    parser.add_argument("--together", default="", help="comma-separated cue names, switched off at once")
    parser.add_argument("--show", action="store_true", help="name the dev questions each cue decides")
    args = parser.parse_args(argv)
    chosen = [c for c in CUES if not args.only or c.name in args.only.split(",")]
    named = set(filter(None, f"{args.only},{args.together}".split(",")))
    unknown = named - {c.name for c in CUES}
    if args.together:
        group = [c for c in CUES if c.name in named]
        chosen = [Cue("together", "", tuple(part for c in group for part in c.off))]
    if unknown:
        parser.error(f"unknown cue(s): {', '.join(sorted(unknown))}; the cues are: {', '.join(c.name for c in CUES)}")
    calibration = fitted()
    with tempfile.TemporaryDirectory(prefix="cue-ablation-") as tmp:
        corpora = open_suite(args.suite, args.store_root or Path(tmp))
        article = article_eval(args.store_root or Path(tmp))
        on, article_on = passes(corpora, calibration), article(calibration)
        with_cue, on_precision = count(on), pooled(on)["citation_precision"] or 0.0
        print(f"all cues on: {sum(with_cue.values())} dev questions passed, citation precision {on_precision:.3f}; "
              f"article eval set {article_on} passed")
        print(f"{'cue':22} {'gain':>5} {'prec.':>6} {'article':>7}  {'verdict':10} corpora that lose with the cue / gain with it")
        for cue in chosen:
            with switched_off(cue, calibration) as used:
                off, article_off = passes(corpora, used), article(used)
            without = count(off)
            gain = sum(with_cue.values()) - sum(without.values())
            losers = {c: with_cue[c] - without[c] for c in with_cue if with_cue[c] < without[c]}
            gainers = {c: with_cue[c] - without[c] for c in with_cue if with_cue[c] > without[c]}
            precision = on_precision - (pooled(off)["citation_precision"] or 0.0)
            verdict = _verdict(gain, precision, losers, gainers)
            shown = ", ".join(f"{c} {d:+d}" for c, d in (losers | gainers).items())
            print(f"{cue.name:22} {gain:+5d} {precision:+6.3f} {article_on - article_off:+7d}  {verdict:10}  {shown}",
                  flush=True)
            if args.show:
                flips = [(a.question.id, a.passed) for c in on for a, b in zip(on[c], off[c]) if a.passed != b.passed]
                print("    " + ", ".join(f"{q} {'passes' if ok else 'fails'} with it" for q, ok in flips))
    return 0


if __name__ == "__main__":
    sys.exit(main())
