"""`Assistant.as_retriever()`: a LangChain retriever whose Documents are passages with their file and exact span,
used in an LCEL chain of one's own with a fake chat model."""

from __future__ import annotations

import asyncio

import pytest
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import RunnableLambda, RunnablePassthrough

from assistant import Assistant
from assistant.ingest.corpus import read_text
from assistant.testing import fake_chat_model

DEPOTS = """# Depots

The north depot opens at 6:00 and closes at 22:00. It holds 40 buses.

The south depot was built in 1998. It holds 25 trams and is closed on Sundays.

# Fares

A single ticket costs 2.40 euros. A day ticket costs 7 euros and is valid on buses and trams.
"""


@pytest.fixture(scope="module")
def depots_bot(tmp_path_factory, session_cache) -> Assistant:
    corpus = tmp_path_factory.mktemp("depots-corpus")
    (corpus / "depots.md").write_text(DEPOTS, encoding="utf-8")
    bot = Assistant(corpus_dir=corpus, store_dir=tmp_path_factory.mktemp("depots-store"), cache_dir=session_cache,
                    backend="extractive")
    bot.ingest()
    return bot


def test_the_retriever_gives_passages_with_their_file_and_exact_span(depots_bot):
    retriever = depots_bot.as_retriever(k=2)
    assert isinstance(retriever, BaseRetriever)
    documents = retriever.invoke("How much is a day ticket?")
    assert 1 <= len(documents) <= 2
    assert "A day ticket costs 7 euros" in documents[0].page_content
    text = read_text(depots_bot.settings.corpus_dir / "depots.md")
    for document in documents:
        meta = document.metadata
        assert meta["source"] == "depots.md" and document.id == meta["chunk_id"]
        assert text[meta["start"] : meta["end"]] == document.page_content
        assert {"title", "section", "score"} <= set(meta)


def test_the_retriever_runs_in_an_lcel_chain_with_a_chat_model(depots_bot):
    prompts: list[str] = []

    def seen(prompt):
        prompts.append(prompt.to_string())
        return prompt

    prompt = ChatPromptTemplate.from_messages([
        ("system", "Answer from the context only.\n\nContext:\n{context}"),
        ("human", "{question}"),
    ])
    chain = ({"context": depots_bot.as_retriever() | RunnableLambda(
                  lambda docs: "\n\n".join(f"[{d.metadata['source']}:{d.metadata['start']}] {d.page_content}"
                                           for d in docs)),
              "question": RunnablePassthrough()}
             | prompt | RunnableLambda(seen) | fake_chat_model(["The south depot was built in 1998."])
             | StrOutputParser())
    assert chain.invoke("When was the south depot built?") == "The south depot was built in 1998."
    assert "The south depot was built in 1998. It holds 25 trams" in prompts[0]
    assert "[depots.md:" in prompts[0] and "When was the south depot built?" in prompts[0]


def test_the_retriever_answers_async_callers_too(depots_bot):
    documents = asyncio.run(depots_bot.as_retriever(k=1).ainvoke("When does the north depot open?"))
    assert len(documents) == 1 and "opens at 6:00" in documents[0].page_content


def test_the_retriever_refuses_an_empty_query_with_the_libraries_error(depots_bot):
    from assistant import EmptyQuestionError

    with pytest.raises(EmptyQuestionError):
        depots_bot.as_retriever().invoke("   ")
