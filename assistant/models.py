"""The public data types: what an answer is made of."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Role = Literal["user", "assistant"]
Origin = Literal["document", "rule", "model"]


class Turn(BaseModel):
    """One earlier message of the conversation."""

    role: Role
    content: str


class Citation(BaseModel):
    """A numbered marker `[n]` of an answer: an exact quote and its character span in a source file."""

    n: int
    source: str = Field(description="Path of the source file, relative to the corpus directory.")
    title: str
    quote: str = Field(description="Exactly source_text[start:end].")
    start: int
    end: int
    chunk_id: str | None = None
    score: float | None = None


class SentenceProvenance(BaseModel):
    """Where one sentence of an answer's text came from."""

    text: str
    origin: Origin
    citations: list[int] = Field(default_factory=list)
    supported: bool = True


class Provenance(BaseModel):
    """How an answer was made."""

    backend: str
    embedding_model: str | None = None
    index_fingerprint: str | None = None
    sentences: list[SentenceProvenance] = Field(default_factory=list)
    dropped_markers: list[int] = Field(
        default_factory=list, description="Markers the model wrote that point at no passage."
    )


class Answer(BaseModel):
    """An answer to one question, with its citations and provenance."""

    question: str
    text: str
    citations: list[Citation] = Field(default_factory=list)
    abstained: bool = False
    tool: str | None = None
    notice: str | None = None
    provenance: Provenance
    trace: str | None = Field(None, description="How the tool decided, as markdown, when a tool answered.")


class Passage(BaseModel):
    """A retrieved chunk of a source file, ranked."""

    chunk_id: str
    source: str
    title: str
    section: str
    text: str
    start: int
    end: int
    score: float = Field(description="Fused reciprocal-rank score; higher is better.")
    outline: str = Field("", description="The headings above its section and its own, outermost first, joined by ' › '.")
    dense_rank: int | None = None
    sparse_rank: int | None = None
    dense_similarity: float | None = Field(None, description="Cosine similarity of the passage to the query.")
    # How the chunk reads (its sentences, headings, items, rows...): `chunking.encode_units` relative to `start`.
    layout: str = Field("", exclude=True, repr=False)
    # Its named entities as found at ingest: `entities.find_entities`'s encoding, relative to `start`.
    entities: str = Field("", exclude=True, repr=False)
