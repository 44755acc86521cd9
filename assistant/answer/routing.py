"""Routing: hypothetical questions that a clause reads go to the clause engine, the rest to retrieval."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.answer.markers import cited, without_markers
from assistant.models import Answer, Provenance, SentenceProvenance
from assistant.text import sentence_spans

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from assistant.clauses import Evaluation, LoadedPack

CLAUSE_TOOL = "clause_engine"
UNCOVERED_NOTICE = "No clause pack covers this hypothetical; the answer comes from the documents."
NO_VALUE_NOTICE = "The clause pack's rules do not give the value this asks for; the answer comes from the documents."


class Route:
    """Where a question goes: `answer` is set when the clause engine answered it."""

    def __init__(self, answer: Answer | None = None, notice: str | None = None, hypothetical: bool = False):
        self.answer = answer
        self.notice = notice
        self.hypothetical = hypothetical


def route(question: str, corpus_dir: Path) -> Route:
    """Answer a hypothetical with the clause pack whose facts it states (the most of them, when several packs read
    some). A corpus without packs never consults the engine: its questions are the documents' alone."""
    from assistant.clauses import evaluate, load_packs
    from assistant.clauses.asked import answers, asked_value
    from assistant.clauses.reader import read_question
    from assistant.clauses.render import outcome_of

    packs, _ = load_packs(corpus_dir)
    if not packs:
        return Route()
    readings = [(loaded, read_question(loaded.pack, question, loaded.id)) for loaded in packs]
    hypothetical = [(loaded, reading) for loaded, reading in readings if reading.hypothetical]
    if not hypothetical:
        return Route()
    covered = [(loaded, reading) for loaded, reading in hypothetical if reading.covered]
    if not covered:
        return Route(notice=UNCOVERED_NOTICE, hypothetical=True)
    # The pack that reads the most facts and has a clause they reach, with an outcome that holds the value asked
    # for; facts that reach no clause ("300 hours of sick leave" asked about a use no rule names), or outcomes that
    # say nothing of the asked value ("how many days does the author have to reply?"), leave it to the documents.
    asked, unasked = asked_value(question), False
    for loaded, reading in sorted(covered, key=lambda pair: -len(pair[1].facts)):
        evaluation = evaluate(loaded, reading.facts)
        if evaluation.covered:
            answer = clause_answer(question, loaded, evaluation, " ".join(reading.notes) or None)
            if answer.abstained or answers(asked, outcome_of(answer.text)):
                return Route(answer=answer, hypothetical=True)
            unasked = True
    return Route(notice=NO_VALUE_NOTICE if unasked else UNCOVERED_NOTICE, hypothetical=True)


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


def clause_answer(question: str, loaded: LoadedPack, evaluation: Evaluation, notice: str | None = None) -> Answer:
    """An Answer made from a clause evaluation: outcome first, then the reasoning, cited; its `trace` says how each
    clause decided, its quotes numbered as the answer's. Where the document does not settle what is asked, the
    answer says what it does state and abstains."""
    from assistant.clauses.render import render_answer
    from assistant.clauses.trace import trace_markdown

    text, citations = render_answer(loaded.pack, evaluation, question)
    sentences = []
    for span in sentence_spans(text):
        plain = without_markers(span.text).strip()
        if plain and plain != "Reasoning:":
            numbers = sorted(set(cited(span.text)))
            sentences.append(SentenceProvenance(text=plain, origin="rule", citations=numbers))
    return Answer(question=question, text=text, citations=citations, tool=CLAUSE_TOOL, notice=notice,
                  abstained=evaluation.silent,
                  provenance=Provenance(backend="rules", sentences=sentences),
                  trace=trace_markdown(loaded.pack, evaluation, citations))


def ask_model_for_tool_call(chat_model: BaseChatModel, question: str, corpus_dir: Path) -> Answer | None:
    """Let a chat model decide whether to call a clause pack's tool; its call is run and its result cited."""
    from langchain_core.messages import HumanMessage, SystemMessage

    from assistant.answer.prompts import load_prompt
    from assistant.clauses import evaluate, load_packs
    from assistant.clauses.tool import make_clause_tool

    packs, _ = load_packs(corpus_dir)
    if not packs:
        return None
    tools = {tool.name: (tool, loaded) for tool, loaded in ((make_clause_tool(loaded), loaded) for loaded in packs)}
    bound = chat_model.bind_tools([tool for tool, _ in tools.values()])
    reply = bound.invoke([SystemMessage(load_prompt("answer_system")), HumanMessage(question)])
    calls = [c for c in getattr(reply, "tool_calls", None) or [] if c.get("name") in tools]
    if not calls:
        return None
    loaded = tools[calls[0]["name"]][1]
    try:
        facts = loaded.pack.scenario(calls[0].get("args") or {})
    except ValueError:
        return None  # the model's facts do not fit the pack; the caller answers another way
    answer = clause_answer(question, loaded, evaluate(loaded, facts))
    answer.provenance.backend = "llm"
    answer.notice = f"The language model chose the clause tool of {loaded.pack.document} with: " + json.dumps(
        {k: str(v) for k, v in facts.items()}, sort_keys=True)
    return answer
