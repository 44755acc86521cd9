"""Sentence-aware chunking with exact character offsets into the source file."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from .corpus import PROFILE_PREFIX, Document, Section

# Bump when the chunking logic or the stored index format changes, so that an index built by older code
# is flagged as stale. 6: each index has a companion collection of sentence vectors.
CHUNKER_VERSION = "6"
_SEPARATORS = ["\n\n", "\n", r"(?<=[.!?])\s+", r"(?<=[;:,])\s+", " ", ""]


@dataclass(frozen=True)
class Chunk:
    """A piece of a document: `text == document.text[start:end]`."""

    chunk_id: str
    source: str
    title: str
    section: str
    kind: str
    text: str
    start: int
    end: int

    @property
    def embed_text(self) -> str:
        """What is embedded: the text under its title and section, so short passages keep their context.

        Measured with evals/chunk_sweep.py: the title prefix helps retrieval on the dev questions.
        """
        heading = self.section.removeprefix(PROFILE_PREFIX) + " profile" if self.kind == "profile" else self.section
        return f"{self.title}. {heading}.\n{self.text}"

    def metadata(self) -> dict[str, str | int]:
        """The chunk's metadata as stored beside its vector."""
        return {
            "source": self.source,
            "title": self.title,
            "section": self.section,
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
        }


def chunk_id(source: str, start: int, text: str) -> str:
    """A content hash: the same text at the same place of the same file gets the same id."""
    return hashlib.sha256(f"{source}\0{start}\0{text}".encode("utf-8")).hexdigest()[:32]


def chunk_document(document: Document, chunk_size: int, chunk_overlap: int) -> list[Chunk]:
    """Split a document section by section; profiles and headers stay whole when they fit."""
    chunks = []
    for section in document.sections:
        for start, end in _split_section(document.text, section, chunk_size, chunk_overlap):
            text = document.text[start:end]
            chunks.append(
                Chunk(chunk_id(document.source, start, text), document.source, document.title,
                      section.name, section.kind, text, start, end)
            )
    return chunks


def _split_section(text: str, section: Section, chunk_size: int, chunk_overlap: int) -> list[tuple[int, int]]:
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    body = text[section.start : section.end]
    if section.kind != "prose" and len(body) <= chunk_size * 2:
        return [_strip_span(text, section.start, section.end)]
    splitter = RecursiveCharacterTextSplitter(
        chunk_size=chunk_size,
        chunk_overlap=chunk_overlap,
        separators=_SEPARATORS,
        is_separator_regex=True,
        keep_separator="end",
    )
    spans = []
    cursor = 0
    for piece in splitter.split_text(body):
        # Splitter pieces are stripped substrings of the body, in order; overlap means the next one
        # may begin before the previous one ends, but never before the previous one begins.
        found = body.find(piece, cursor)
        if found < 0:
            raise AssertionError(f"chunk not found in its section: {piece[:60]!r}")
        spans.append((section.start + found, section.start + found + len(piece)))
        cursor = found + 1
    return spans


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    piece = text[start:end]
    lead = len(piece) - len(piece.lstrip())
    return start + lead, start + len(piece.rstrip())
