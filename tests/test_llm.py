"""The llm backend, through LangChain fake chat models and a real HTTP stub of an OpenAI server."""

import pytest
from langchain_core.messages import AIMessage

from assistant import Assistant
from assistant.testing import OpenAIStubServer, fake_chat_model, free_port, tool_calling_fake_chat_model

from tests.conftest import CORPUS, quoted_exactly

TERM_QUESTION = "Until when does the partnership last?"


def llm_bot(shared_store, model=None, **settings):
    return Assistant(store_dir=shared_store, corpus_dir=CORPUS, backend="llm", chat_model=model, **settings)


def passage_number(bot, question, needle):
    passages = bot.retrieve(question)
    return next(i for i, p in enumerate(passages, start=1) if needle in p.text)


def test_model_markers_become_exact_citations(shared_store):
    probe = llm_bot(shared_store, fake_chat_model([]))
    n = passage_number(probe, TERM_QUESTION, "until 2030")
    bot = llm_bot(shared_store, fake_chat_model([f"The partnership is set to last until 2030 [{n}]."]))
    answer = bot.ask(TERM_QUESTION)
    assert answer.text == "The partnership is set to last until 2030 [1]."
    assert answer.provenance.backend == "llm" and answer.notice is None
    [citation] = answer.citations
    assert "until 2030" in citation.quote
    assert quoted_exactly(citation)
    assert answer.provenance.sentences[0].origin == "model" and answer.provenance.sentences[0].supported


def test_marker_pointing_at_no_passage_is_dropped_and_reported(shared_store):
    probe = llm_bot(shared_store, fake_chat_model([]))
    n = passage_number(probe, TERM_QUESTION, "until 2030")
    bot = llm_bot(shared_store, fake_chat_model([f"It lasts until 2030 [{n}][42]."]))
    answer = bot.ask(TERM_QUESTION)
    assert "[42]" not in answer.text and "[1]" in answer.text
    assert answer.provenance.dropped_markers == [42]
    assert "42" in answer.notice


def test_unsupported_answer_falls_back_to_extractive(shared_store):
    bot = llm_bot(shared_store, fake_chat_model(["Penguins run the partnership from Antarctica [1]."]))
    answer = bot.ask(TERM_QUESTION)
    assert answer.provenance.backend == "extractive"
    assert "was supported by" in answer.notice and answer.notice.startswith("No sentence")
    assert "2030" in answer.text


def test_model_saying_not_in_documents_abstains(shared_store):
    answer = llm_bot(shared_store, fake_chat_model(["NOT IN DOCUMENTS"])).ask("What is OpenAI's favourite colour?")
    assert answer.abstained and answer.citations == []


def test_hypothetical_goes_through_the_bound_clause_tool(shared_store):
    call = AIMessage(content="", tool_calls=[{"name": "clauses_microsoft_openai_partnership", "args": {"microsoft_can_meet_demand": False}, "id": "c1"}])
    bot = llm_bot(shared_store, tool_calling_fake_chat_model([call]))
    answer = bot.ask("Suppose Microsoft is unable to supply the compute OpenAI needs. What then?")
    assert answer.tool == "clause_engine"
    assert "competitors" in answer.text and answer.citations
    assert "Microsoft gets the first shot" in answer.citations[0].quote
    assert all(quoted_exactly(c) for c in answer.citations)


def test_llm_condenses_follow_ups(shared_store):
    standalone = "Until when does the Microsoft and OpenAI partnership last?"
    n = passage_number(llm_bot(shared_store, fake_chat_model([])), standalone, "until 2030")
    model = fake_chat_model([standalone, f"Until 2030 [{n}]."])
    history = [{"role": "user", "content": "Tell me about the Microsoft and OpenAI partnership."},
               {"role": "assistant", "content": "They renegotiated it."}]
    answer = llm_bot(shared_store, model).ask("And until when will it run?", history=history)
    assert answer.provenance.backend == "llm"
    assert "2030" in answer.text and answer.citations


def test_openai_compatible_server_over_real_http(shared_store):
    probe = llm_bot(shared_store, fake_chat_model([]))
    n = passage_number(probe, TERM_QUESTION, "until 2030")
    with OpenAIStubServer([f"The partnership runs until 2030 [{n}]."]) as server:
        bot = llm_bot(shared_store, llm="openai:stub-model", llm_base_url=server.base_url, llm_timeout=10)
        answer = bot.ask(TERM_QUESTION)
    assert answer.provenance.backend == "llm" and answer.notice is None
    assert "2030" in answer.text and answer.citations
    request = server.requests[0]
    assert request["model"] == "stub-model"
    assert "until 2030" in request["messages"][-1]["content"]


def test_streaming_over_real_http(shared_store):
    probe = llm_bot(shared_store, fake_chat_model([]))
    n = passage_number(probe, TERM_QUESTION, "until 2030")
    reply = f"The partnership is set to last until 2030, keeping IP access intact [{n}]."
    with OpenAIStubServer([reply]) as server:
        bot = llm_bot(shared_store, llm="openai:stub-model", llm_base_url=server.base_url, llm_timeout=10)
        events = list(bot.stream(TERM_QUESTION))
    deltas = [e.text for e in events if e.type == "text"]
    assert len(deltas) > 1
    assert events[-1].answer.provenance.backend == "llm" and events[-1].answer.citations


def test_server_down_falls_back_to_extractive_with_a_notice(shared_store):
    url = f"http://127.0.0.1:{free_port()}/v1"
    answer = llm_bot(shared_store, llm="openai:stub-model", llm_base_url=url, llm_timeout=5).ask(TERM_QUESTION)
    assert answer.provenance.backend == "extractive"
    assert "language model failed" in answer.notice
    assert "2030" in answer.text


def test_server_timeout_falls_back_to_extractive(shared_store):
    with OpenAIStubServer([{"text": "too late [1]", "delay": 3}]) as server:
        bot = llm_bot(shared_store, llm="openai:stub-model", llm_base_url=server.base_url, llm_timeout=0.5)
        answer = bot.ask(TERM_QUESTION)
    assert answer.provenance.backend == "extractive"
    assert "Timeout" in answer.notice or "timed out" in answer.notice.lower()


def test_server_error_falls_back_while_streaming(shared_store):
    with OpenAIStubServer([{"text": "", "status": 500}]) as server:
        bot = llm_bot(shared_store, llm="openai:stub-model", llm_base_url=server.base_url, llm_timeout=5)
        events = list(bot.stream(TERM_QUESTION))
    answer = events[-1].answer
    assert answer.provenance.backend == "extractive" and "2030" in answer.text
    assert "".join(e.text for e in events if e.type == "text") == answer.text


def test_llm_backend_without_a_model_is_a_config_error(shared_store):
    from assistant import ConfigError

    with pytest.raises(ConfigError, match="ASSISTANT_LLM"):
        Assistant(store_dir=shared_store, corpus_dir=CORPUS, backend="llm").ask(TERM_QUESTION)
