"""A clause pack as a LangChain tool a chat model can call with the facts a question states."""

from __future__ import annotations

import json
import re
from typing import Any

from langchain_core.tools import StructuredTool
from pydantic import BaseModel, ConfigDict, Field, create_model

from assistant.clauses.engine import evaluate
from assistant.clauses.packs import LoadedPack
from assistant.clauses.render import render_answer

TOOL_PREFIX = "clauses_"
_PYTHON_TYPES: dict[str, Any] = {"yes/no": bool, "year": int, "choice": str, "number": str | float,
                                 "money": str | float, "duration": str | float, "date": str,
                                 "version": str}


def arguments_model(loaded: LoadedPack) -> type[BaseModel]:
    """The tool's arguments: one optional field per fact of the pack, described by the question that asks it."""
    fields: dict[str, Any] = {}
    for name, spec in loaded.pack.facts.items():
        hint = spec.ask
        if spec.type == "choice":
            hint += f" One of: {', '.join(spec.values)}" + (" or another name." if spec.open else ".")
        elif spec.type in ("number", "money", "duration"):
            hint += f" In {spec.unit}; a figure, or a bound such as 'over 100'." if spec.unit else ""
        elif spec.type == "date":
            hint += " A date such as 2025-03-03."
        elif spec.type == "version":
            hint += " A release such as '1.30'."
        fields[name] = (_PYTHON_TYPES[spec.type] | None, Field(default=None, description=hint))
    return create_model(f"{_camel(loaded.id)}Facts", __config__=ConfigDict(extra="forbid"), **fields)


def make_clause_tool(loaded: LoadedPack) -> StructuredTool:
    """The pack's tool: named after the pack, its arguments the pack's facts."""
    pack = loaded.pack

    def run(**facts: Any) -> str:
        evaluation = evaluate(loaded, pack.scenario(facts))
        answer, citations = render_answer(pack, evaluation)
        payload = evaluation.model_dump(mode="json")
        payload["answer"] = answer
        payload["answer_citations"] = [c.model_dump(mode="json") for c in citations]
        return json.dumps(payload, ensure_ascii=False)

    return StructuredTool.from_function(
        func=run,
        name=TOOL_PREFIX + re.sub(r"[^A-Za-z0-9_]", "_", loaded.id)[:50],
        description=(f"Decide a what-if question from the rules of {pack.name} ({pack.document}): "
                     + "; ".join(c.title for c in pack.clauses) + ". Fill only the facts the question states and "
                     "leave the rest null. Returns JSON with each rule's outcome, the answer text with [n] markers, "
                     "the citations, and any facts that are missing or contradict each other."),
        args_schema=arguments_model(loaded),
        handle_validation_error=_explain_invalid_facts,
    )


def _camel(text: str) -> str:
    return "".join(part.capitalize() for part in re.split(r"[^A-Za-z0-9]+", text) if part) or "Pack"


def _explain_invalid_facts(error: Exception) -> str:
    """A message the chat model can act on when its arguments do not fit the pack."""
    return f"The facts do not fit the pack's schema ({error}). Fix or drop the offending field and call again."
