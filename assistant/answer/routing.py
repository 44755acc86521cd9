"""Routing: hypothetical questions that a clause reads go to the clause engine, the rest to retrieval."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.errors import ConfigError
from assistant.answer.markers import cited, without_markers
from assistant.models import Answer, Provenance, SentenceProvenance
from assistant.text import sentence_spans

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from assistant.clauses import Evaluation

CLAUSE_TOOL = "clause_engine"
UNCOVERED_NOTICE = "No clause of the agreement covers this hypothetical; the answer comes from the documents."


class Route:
    """Where a question goes: `answer` is set when the clause engine answered it."""

    def __init__(self, answer: Answer | None = None, notice: str | None = None, hypothetical: bool = False):
        self.answer = answer
        self.notice = notice
        self.hypothetical = hypothetical


def route(question: str, corpus_dir: Path) -> Route:
    """Answer a hypothetical with the clause engine when the parser finds a fact a clause reads. A corpus without the
    documents the clauses quote never consults it: its questions are the documents' alone."""
    from assistant.clauses import evaluate, knows_corpus, parse_question

    if not knows_corpus(corpus_dir):
        return Route()
    parsed = parse_question(question)
    if not parsed.hypothetical:
        return Route()
    if not parsed.covered:
        return Route(notice=UNCOVERED_NOTICE, hypothetical=True)
    try:
        evaluation = evaluate(parsed.scenario, corpus_dir=corpus_dir)
    except ConfigError:
        return Route(notice="The clause engine's source document is not in the corpus; the answer comes from the documents.",
                     hypothetical=True)
    notice = "; ".join(parsed.notes) or None
    return Route(answer=clause_answer(question, evaluation, notice), hypothetical=True)


def language_route(question: str, languages: list[str], cache_dir: Path | None) -> Route | None:
    """A question written in a language the documents are not: answered with a note saying so, not with sentences
    that only look like it (the embedding model and BM25 read the documents' language alone)."""
    from assistant.ingest.language import language_name, other_language

    asked = other_language(question, languages, cache_dir)
    if asked is None:
        return None
    written = " and ".join(language_name(code) for code in languages)
    text = (f"This question seems to be in {language_name(asked)}, but the documents are in {written}, and they can "
            f"only be searched in their own language. Ask again in {written}.")
    return Route(answer=Answer(question=question, text=text, abstained=True,
                               provenance=Provenance(backend="extractive")))


def clause_answer(question: str, evaluation: Evaluation, notice: str | None = None) -> Answer:
    """An Answer made from a clause evaluation: outcome first, then the reasoning, cited; its `trace` says how each
    clause decided, its quotes numbered as the answer's."""
    from assistant.clauses import render_answer
    from assistant.clauses.trace import trace_markdown

    text, citations = render_answer(evaluation, question)
    sentences = []
    for span in sentence_spans(text):
        plain = without_markers(span.text).strip()
        if plain and plain != "Reasoning:":
            numbers = sorted(set(cited(span.text)))
            sentences.append(SentenceProvenance(text=plain, origin="rule", citations=numbers))
    return Answer(question=question, text=text, citations=citations, tool=CLAUSE_TOOL, notice=notice,
                  provenance=Provenance(backend="rules", sentences=sentences),
                  trace=trace_markdown(evaluation, citations))


def ask_model_for_tool_call(chat_model: BaseChatModel, question: str, corpus_dir: Path) -> Answer | None:
    """Let a chat model decide whether to call the clause tool; its call is run and its result cited."""
    from langchain_core.messages import HumanMessage, SystemMessage

    from assistant.clauses.tool import make_clause_tool
    from assistant.clauses import Scenario, evaluate
    from assistant.answer.prompts import load_prompt

    tool = make_clause_tool(corpus_dir)
    bound = chat_model.bind_tools([tool])
    reply = bound.invoke([SystemMessage(load_prompt("answer_system")), HumanMessage(question)])
    calls = [c for c in getattr(reply, "tool_calls", None) or [] if c.get("name") == CLAUSE_TOOL]
    if not calls:
        return None
    try:
        scenario = Scenario(**(calls[0].get("args") or {}))
    except ValueError:
        return None  # the model's facts do not fit the Scenario; the caller answers another way
    answer = clause_answer(question, evaluate(scenario, corpus_dir=corpus_dir))
    answer.provenance.backend = "llm"
    answer.notice = "The language model chose the clause tool with: " + json.dumps(
        scenario.model_dump(mode="json", exclude_none=True), sort_keys=True)
    return answer


# -- the clause engine's trace, for people -----------------------------------------------------
