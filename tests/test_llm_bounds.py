"""Bounds of the llm backend: a cap on the reply's tokens (the timeout kept), and the answer in the question's
language when the documents are in it, otherwise the note the extractive path gives, without asking the model."""

import pytest

from assistant import Assistant, ConfigError
from assistant.config import load_settings
from assistant.testing import OpenAIStubServer, fake_chat_model

from tests.conftest import CORPUS, one_document_bot

TERM_QUESTION = "Until when does the partnership last?"


def llm_bot(store, corpus=CORPUS, **settings):
    return Assistant(store_dir=store, corpus_dir=corpus, backend="llm", **settings)


def number_of(store, question, needle):
    passages = llm_bot(store, chat_model=fake_chat_model([])).retrieve(question)
    return next(n for n, p in enumerate(passages, start=1) if needle in p.text)


def test_a_reply_cut_at_the_token_cap_loses_its_unfinished_sentence(shared_store):
    n = number_of(shared_store, TERM_QUESTION, "until 2030")
    rambling = f"The partnership is set to last until 2030 [{n}]. " + "It keeps access to intellectual property and " * 60
    with OpenAIStubServer([rambling], max_requests=2) as server:
        bot = llm_bot(shared_store, llm="openai:stub-model", llm_base_url=server.base_url, llm_timeout=10,
                      llm_max_tokens=20)
        answer = bot.ask(TERM_QUESTION)
    request = server.requests[0]
    # Both names of the cap: servers that read only one of them (older llama.cpp, llamafile) are bounded too.
    assert request["max_completion_tokens"] == request["max_tokens"] == 20
    assert answer.provenance.backend == "llm"
    assert answer.text == "The partnership is set to last until 2030 [1]."
    assert "cap" in answer.notice


def test_the_reply_cap_defaults_to_a_few_sentences_and_a_bad_value_is_a_one_line_error(monkeypatch):
    assert load_settings().llm_max_tokens == 256
    monkeypatch.setenv("ASSISTANT_LLM_MAX_TOKENS", "lots")
    with pytest.raises(ConfigError, match="llm_max_tokens") as caught:
        load_settings()
    assert "\n" not in str(caught.value)


def test_a_question_in_a_language_the_documents_are_not_in_gets_the_note_without_asking_the_model(shared_store):
    with OpenAIStubServer(["Die Partnerschaft läuft bis 2030 [1]."], max_requests=2) as server:
        bot = llm_bot(shared_store, llm="openai:stub-model", llm_base_url=server.base_url, llm_timeout=10)
        answer = bot.ask("Bis wann läuft die Partnerschaft zwischen Microsoft und OpenAI?")
    assert answer.abstained and "German" in answer.text and "English" in answer.text
    assert server.requests == []


BAIL = """Le bail d'habitation est conclu pour une durée de trois ans à compter du premier septembre.
Le loyer mensuel est fixé à huit cents euros, payable le cinq de chaque mois par virement.
Le locataire verse un dépôt de garantie égal à un mois de loyer."""


def test_a_question_in_the_documents_language_is_answered_by_the_model_in_it(tmp_path_factory):
    store = one_document_bot(tmp_path_factory, "bail.txt", BAIL).settings
    question = "Quel est le montant du loyer mensuel ?"
    with OpenAIStubServer(["Le loyer mensuel est fixé à huit cents euros. [1]"], max_requests=2) as server:
        bot = llm_bot(store.store_dir, corpus=store.corpus_dir, llm="openai:stub-model", llm_base_url=server.base_url,
                      llm_timeout=10)
        answer = bot.ask(question)
    assert len(server.requests) == 1 and question in server.requests[0]["messages"][-1]["content"]
    assert answer.provenance.backend == "llm" and not answer.abstained
    assert answer.text == "Le loyer mensuel est fixé à huit cents euros [1]."
    [citation] = answer.citations
    assert (store.corpus_dir / "bail.txt").read_text(encoding="utf-8")[citation.start:citation.end] == citation.quote
    assert "huit cents euros" in citation.quote
