"""The clause engine as a LangChain tool, called the way a chat model calls it."""

from __future__ import annotations

import json

from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from assistant.clauses.tool import TOOL_NAME, make_clause_tool
from assistant.clauses import Scenario


def _model_calling(args: dict) -> FakeMessagesListChatModel:
    call = {"name": TOOL_NAME, "args": args, "id": "call_1", "type": "tool_call"}
    return FakeMessagesListChatModel(responses=[AIMessage(content="", tool_calls=[call])])


def test_tool_is_named_described_and_takes_the_scenario() -> None:
    tool = make_clause_tool()
    assert tool.name == "clause_engine"
    assert tool.args_schema is Scenario
    assert "$100 billion" in tool.description and "Azure" in tool.description
    assert set(tool.args) == set(Scenario.model_fields)


def test_fake_chat_model_tool_call_runs_the_engine() -> None:
    tool = make_clause_tool()
    model = _model_calling({"microsoft_can_meet_demand": False, "provider": "Amazon", "profit_usd": 150000000000})
    # The fake model cannot bind tools; it replies with the queued tool call as a real one would.
    reply = model.invoke([HumanMessage("What if Microsoft can't keep up and OpenAI uses AWS?")])
    [call] = reply.tool_calls
    message = tool.invoke(call)
    assert isinstance(message, ToolMessage) and message.tool_call_id == "call_1"
    payload = json.loads(message.content)
    outcomes = {r["clause_id"]: r["outcome"] for r in payload["results"]}
    assert outcomes["right_of_first_refusal"] == "may_use_competitor"
    assert outcomes["agi_clause"] == "could_lose_access"
    assert payload["scenario"]["profit_usd"] == "150000000000"
    assert payload["answer"].startswith("Microsoft can't meet the need")
    assert payload["answer_citations"][0]["n"] == 1


def test_tool_reports_bad_arguments_to_the_model_instead_of_raising() -> None:
    tool = make_clause_tool()
    model = _model_calling({"year": 12345})
    [call] = model.invoke("In the year 12345?").tool_calls
    message = tool.invoke(call)
    assert "do not fit the clause engine's schema" in message.content


def test_tool_with_no_facts_says_no_clause_covers_it() -> None:
    payload = json.loads(make_clause_tool().invoke({}))
    assert payload["results"] == []
    assert payload["answer"].startswith("No clause of the agreement covers this question")
