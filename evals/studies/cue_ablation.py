"""Which of the answerer's cues (over question wording, the checks a candidate must pass, how an answer is composed)
earn their place on the suite's pooled dev questions.

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


@dataclass(frozen=True)
class Cue:
    """A cue of the answerer, and the attributes that switch it off."""

    name: str
    what: str
    off: tuple[tuple[str, str, object], ...]  # (module, attribute or Class.method, value when off); CALIBRATION: a field


def _no(*places: tuple[str, str], value: object = False) -> tuple[tuple[str, str, object], ...]:
    """Each (module, attribute) replaced by a function that returns `value`, whatever it is asked."""
    return tuple((module, name, lambda *args, **kwargs: value) for module, name in places)


def _empty(*places: tuple[str, str]) -> tuple[tuple[str, str, object], ...]:
    return tuple((module, name, frozenset()) for module, name in places)


T, Q, C, S, P, X = ("assistant.answer.answer_types", "assistant.answer.question", "assistant.answer.candidates",
                    "assistant.answer.scoring", "assistant.answer.compose", "assistant.answer.extractive")
CALIBRATION = "calibration"
CUES = (
    Cue("date_asked", '"what year", "until when" ask for a time', _no((T, "_asks_date"))),
    Cue("number_asked", '"how many", "what amount" ask for a number', _no((T, "_asks_number"))),
    Cue("amount_noun", '"the budget", "the price" ask for an amount', _no((T, "_asks_amount"))),
    Cue("place_asked", '"which city" asks for a place', _no((T, "_asks_place"))),
    Cue("who_asked", '"who" asks for a name', _no((T, "_asks_who"))),
    Cue("name_asked", '"what is it called", "name the" ask for a name', _no((T, "_asks_name"))),
    Cue("entity_asked", '"which companies" asks for a name', _no((T, "_asks_entity"))),
    Cue("explain", '"explain", "what does X mean" ask for an explanation', _no((T, "_asks_explanation"))),
    Cue("explanation_noun", '"what is the downside" asks for an explanation', _no((T, "_names_explanation"))),
    Cue("text_position", '"how does the article open/end" asks about an edge', _no((T, "_points_at"))),
    Cue("time_frame", '"before", "now": a sentence about that time first',
        _no((Q, "time_frame"), (S, "time_frame"), (P, "time_frame"), value=None)),
    Cue("form_phrase", '"in plain English" is dropped from the question', _no((T, "_form_phrase"), value=0)),
    Cue("phrasal_verbs", '"make sure" also reads "ensure"', _no((Q, "plain_verbs"), value=[])),
    Cue("about_document", '"the article\'s date" is read from its header', _empty((Q, "_DOCUMENT_WORDS"))),
    Cue("title_words", '"headline", "title" let the headline answer', _empty((Q, "TITLE_STEMS"), (X, "TITLE_STEMS"))),
    Cue("publishing_words", '"when was it published" is about the document', _empty((X, "PUBLISHING_STEMS"))),
    Cue("type_words", '"what year", "how many people" are not focus words', _empty((C, "TYPE_WORDS"))),
    Cue("position_words", '"open", "end" are not what to find', _empty((Q, "POSITION_WORDS"), (X, "POSITION_WORDS"))),
    Cue("mirror", "a conditional (negative) question prefers such a sentence", ((CALIBRATION, "mirror_weight", 0.0),)),
    Cue("position_bonus", "the opening (closing) chunk first, when asked", ((CALIBRATION, "position_bonus", 0.0),)),
    Cue("record_superlatives", '"which entry is the oldest" compares a record set', _no((X, "may_compare"))),
    Cue("source_words", '"article", "company", "profile" carry no content',
        tuple((m, "STOPWORDS", text.FUNCTION_WORDS) for m in ("assistant.text", "assistant.index.lexicon"))),
    Cue("anaphora", '"it", "they" lean on the last turn', _empty(("assistant.answer.conversation", "_ANAPHORA"))),
    # The checks a candidate must pass to fit the question, and how an answer is composed.
    Cue("unknown_specifics", "a number or name the corpus never mentions: abstain",
        _no((C, "Reader.unknown_specifics"), value=[])),
    Cue("already_said", "a follow-up is not answered with what the last reply said",
        ((CALIBRATION, "already_said", 1.01),)),
    Cue("names_another", "a profile field answers about its own organisation only", _no((C, "Reader._names_another"))),
    Cue("value_near_focus", "the asked value stands next to what is asked about",
        _no((C, "Reader._value_near_focus"), value=True)),
    Cue("holds_known_focus", "half the question's distinctive words are in the passage",
        _no((C, "Reader._holds_known_focus"), value=True)),
    Cue("other_numbers", "a sentence about another release or year does not answer", _no((C, "_gives_other_numbers"))),
    Cue("typed_answer", "a date or amount question may be answered by meaning alone",
        ((CALIBRATION, "min_typed_dense", 2.0),)),
    Cue("clear_winner", "a best sentence far ahead may answer below the dense floor",
        ((CALIBRATION, "winner_margin", 2.0),)),
    Cue("followers", "a why/how answer also cites what continues the best sentence",
        ((CALIBRATION, "max_followers", 0.0),)),
    Cue("questions_answered", "a question in the text is answered by what follows it", _no((P, "_asks"))),
    Cue("lead_ins", "a lead-in ending on a colon is cited with what it introduces", _no((P, "is_lead_in"))),
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
            owner = importlib.import_module(module_name)
            *path, name = attribute.split(".")  # "Reader.method": an attribute of a class of the module
            for part in path:
                owner = getattr(owner, part)
            saved.append((owner, name, getattr(owner, name)))
            setattr(owner, name, value)
        yield calibration
    finally:
        for owner, name, value in reversed(saved):
            setattr(owner, name, value)


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
