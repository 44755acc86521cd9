"""The assistant's retrieval as a LangChain retriever (`Assistant.as_retriever()`), to put in a chain of one's own.

Each `Document` is a passage: its text, and in its metadata the file it is from and its exact span there
(`read_text(file)[start:end] == page_content`), its section and score. langchain-core is imported only here, when
a retriever is made.
"""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, Field

from assistant.models import Passage


class AssistantRetriever(BaseRetriever):
    """The passages `Assistant.retrieve` ranks for a query (hybrid dense + BM25), as LangChain Documents."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    assistant: Any = Field(description="The Assistant whose index is searched.")  # Any: assistant.py imports this
    k: int | None = Field(None, description="Passages to return; the assistant's `k` setting when None.")

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [passage_document(p) for p in self.assistant.retrieve(query, k=self.k)]


def passage_document(passage: Passage) -> Document:
    """A passage as a LangChain Document: its text, and where it is from in its metadata."""
    return Document(
        id=passage.chunk_id,
        page_content=passage.text,
        metadata={
            "source": passage.source,
            "title": passage.title,
            "section": passage.section,
            "outline": passage.outline,
            "start": passage.start,
            "end": passage.end,
            "chunk_id": passage.chunk_id,
            "score": passage.score,
        },
    )
