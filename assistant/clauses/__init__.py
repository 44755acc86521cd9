"""The clause engine: what-if questions about the Microsoft-OpenAI agreement, answered from its clauses."""

from assistant.clauses.corpus import default_corpus_dir
from assistant.clauses.engine import evaluate, knows_corpus
from assistant.clauses.facts import Contradiction
from assistant.clauses.parser import ParsedQuestion, parse_question
from assistant.clauses.render import render_answer, render_trace
from assistant.clauses.results import ClauseResult, ConditionTrace, Evaluation
from assistant.clauses.rules import CLAUSES
from assistant.clauses.scenario import Scenario

__all__ = [
    "CLAUSES",
    "ClauseResult",
    "ConditionTrace",
    "Contradiction",
    "Evaluation",
    "ParsedQuestion",
    "Scenario",
    "default_corpus_dir",
    "evaluate",
    "knows_corpus",
    "parse_question",
    "render_answer",
    "render_trace",
]
