"""The clause engine as a LangChain tool a chat model can call with a Scenario."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from langchain_core.tools import StructuredTool

from assistant.clauses import Scenario, evaluate, render_answer

TOOL_NAME = "clause_engine"
TOOL_DESCRIPTION = (
    "Decide a what-if question about the Microsoft-OpenAI agreement from its clauses: the right of first "
    "refusal on new compute, the end of cloud exclusivity, the Oracle (Stargate) partnership Microsoft "
    "approved, the API's exclusivity on Azure, the term to 2030, and the AGI clause (over $100 billion in "
    "profit). Fill only the facts the question states and leave the rest null; amounts are US dollars "
    "(150000000000 or '150B'). Returns JSON with each clause's outcome, the answer text with [n] markers, "
    "the citations, and any facts that are missing or contradict each other."
)


def make_clause_tool(corpus_dir: Path | str | None = None) -> StructuredTool:
    """Return the `clause_engine` tool; its arguments are the Scenario's fields."""

    def run(**facts: Any) -> str:
        scenario = Scenario(**facts)
        evaluation = evaluate(scenario, corpus_dir=corpus_dir)
        answer, citations = render_answer(evaluation)
        payload = evaluation.model_dump(mode="json")
        payload["answer"] = answer
        payload["answer_citations"] = [c.model_dump(mode="json") for c in citations]
        return json.dumps(payload, ensure_ascii=False)

    return StructuredTool.from_function(
        func=run,
        name=TOOL_NAME,
        description=TOOL_DESCRIPTION,
        args_schema=Scenario,
        handle_validation_error=_explain_invalid_facts,
    )


def _explain_invalid_facts(error: Exception) -> str:
    """Return a message the chat model can act on when its arguments do not fit the Scenario."""
    return f"The facts do not fit the clause engine's schema ({error}). Fix or drop the offending field and call again."
