"""Chunking: whole reading units (sentences, items, rows...) packed into chunks, with exact offsets into the file."""

from __future__ import annotations

from functools import lru_cache

import hashlib
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass

from assistant.ingest.corpus import PROFILE_PREFIX, Document, Section
from assistant.ingest.segmentation import HEADING, KINDS, TextUnit

# Bump when the chunking logic or the stored index format changes, so that an index built by older code
# is flagged as stale. 7: chunks are whole units of the segmenter, and each records its units. 8: each also
# records the named entities found in it (`entities.py`). 9: a chunk's id no longer depends on where it starts.
# 10: it covers the chunk's layout, and the index records each file's language. 11: `Key: value` lines inside a
# code block make no profile section, and a code fence under a list item is no heading's underline. 12: an
# unindented line of tildes (AsciiDoc's underline) is an underline again. 13: YAML front matter is read by PyYAML,
# whatever its length: a field per top-level key and a unit per listed record. 14: each chunk records its outline,
# the path of headings above it (`outline.py`; an outline's "* Title" item heads the "** Title" parts under it).
CHUNKER_VERSION = "14"
# A unit longer than this many chunk sizes (a huge table cell, a paragraph no segmenter could cut) is split.
MAX_UNIT_CHUNKS = 3
_KIND_CODE = {kind: kind[0] for kind in KINDS}
_CODE_KIND = {code: kind for kind, code in _KIND_CODE.items()}


@dataclass(frozen=True)
class Chunk:
    """A piece of a document: `text == document.text[start:end]`, made of whole units."""

    chunk_id: str
    source: str
    title: str
    section: str
    kind: str
    text: str
    start: int
    end: int
    units: tuple[TextUnit, ...] = ()
    outline: str = ""  # the headings above its section and its own (`corpus.Section.outline`)

    @property
    def embed_text(self) -> str:
        """What is embedded: the text under its title and section, so short passages keep their context.

        Measured with evals/studies/chunk_sweep.py: the title prefix helps retrieval on the dev questions.
        """
        heading = self.section.removeprefix(PROFILE_PREFIX) + " profile" if self.kind == "profile" else self.section
        prefix = self.title if heading in (self.title, "") else f"{self.title}. {heading}"
        return f"{prefix}.\n{self.text}"

    def metadata(self) -> dict[str, str | int]:
        """The chunk's metadata as stored beside its vector."""
        return {
            "source": self.source,
            "title": self.title,
            "section": self.section,
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "units": encode_units(self.units, self.start),
            "outline": self.outline,
        }


def encode_units(units: tuple[TextUnit, ...] | list[TextUnit], offset: int) -> str:
    """Units as a compact string of `kind-letter start end` triples, relative to `offset` (Chroma keeps scalars)."""
    return " ".join(f"{_KIND_CODE[u.kind]}{u.start - offset},{u.end - offset}" for u in units)


@lru_cache(maxsize=4096)
def decode_units(encoded: str, offset: int) -> tuple[TextUnit, ...]:
    """The units `encode_units` wrote, at absolute offsets again (decoded once per chunk, however often asked)."""
    units = []
    for part in encoded.split():
        start, end = part[1:].split(",")
        units.append(TextUnit(int(start) + offset, int(end) + offset, _CODE_KIND[part[0]]))
    return tuple(units)


def chunk_id(source: str, title: str, section: str, kind: str, text: str, occurrence: int) -> str:
    """A hash of what the chunk's vector is computed from, not of where it starts: a line inserted above a chunk
    moves it without changing its id, so its vector is kept. `occurrence` tells apart repeats of one text."""
    key = "\0".join((source, title, section, kind, text, str(occurrence)))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def chunk_document(document: Document, chunk_size: int, chunk_overlap: int) -> list[Chunk]:
    """Pack each section's units into chunks; profiles, headers and front matter stay whole when they fit."""
    chunks = []
    seen: Counter[tuple[str, str, str]] = Counter()
    starts = [u.start for u in document.units]  # in reading order: a section's units are one slice of them
    for section in document.sections:
        units = document.units[bisect_left(starts, section.start) : bisect_left(starts, section.end)]
        for group in _pack(document.text, section, units, chunk_size, chunk_overlap):
            start, end = group[0].start, group[-1].end
            text = document.text[start:end]
            seen[section.name, section.kind, text] += 1
            # The layout (relative to the chunk) is part of what its sentences are read from, so part of its id.
            # The headings above it are too: a part renamed from above is read under its new outline.
            identity = chunk_id(document.source, document.title, f"{section.name}\0{section.outline}", section.kind,
                                f"{text}\0{encode_units(group, start)}", seen[section.name, section.kind, text])
            chunks.append(Chunk(identity, document.source, document.title, section.name, section.kind, text, start,
                                end, tuple(group), section.outline))
    return chunks


def _pack(text: str, section: Section, units: list[TextUnit], chunk_size: int,
          chunk_overlap: int) -> list[list[TextUnit]]:
    """Whole paragraphs up to `chunk_size` characters a chunk; a longer paragraph is cut between its units, each
    piece repeating the last whole units of the one before that fit in `chunk_overlap`."""
    units = [piece for unit in units for piece in _split_long(text, unit, chunk_size)]
    if not units:
        return []
    if section.kind != "prose" and units[-1].end - units[0].start <= chunk_size * 2:
        return [units]
    groups: list[list[TextUnit]] = []
    current: list[TextUnit] = []
    for paragraph in _paragraphs(text, units):
        if paragraph[-1].end - paragraph[0].start > chunk_size:
            # A long paragraph is cut between its units; the short ones before it (a heading) open its first piece.
            groups += _fill(current + paragraph, chunk_size, chunk_overlap)
            current = []
        elif current and paragraph[-1].end - current[0].start > chunk_size:
            if all(u.kind == HEADING for u in current):  # a heading goes with what it heads, even over the size
                groups.append(current + paragraph)
                current = []
            else:
                groups.append(current)
                current = list(paragraph)
        else:
            current += paragraph
    return groups + ([current] if current else [])


def _paragraphs(text: str, units: list[TextUnit]) -> list[list[TextUnit]]:
    """Units grouped into paragraphs: a blank line between two units ends one."""
    paragraphs = [[units[0]]]
    for before, unit in zip(units, units[1:]):
        if text.count("\n", before.end, unit.start) >= 2:
            paragraphs.append([])
        paragraphs[-1].append(unit)
    return paragraphs


def _fill(units: list[TextUnit], chunk_size: int, chunk_overlap: int) -> list[list[TextUnit]]:
    """Consecutive units up to `chunk_size` characters a group, each group after the first opening with the last
    whole units of the one before that fit in `chunk_overlap`."""
    groups: list[list[TextUnit]] = []
    current: list[TextUnit] = []
    for unit in units:
        if current and unit.end - current[0].start > chunk_size and any(u.kind != HEADING for u in current):
            groups.append(current)  # (a heading is never a chunk alone: it goes with what it heads)
            current = _overlap(current, chunk_overlap)
            if current and unit.end - current[0].start > chunk_size:
                current = []
        current.append(unit)
    return groups + [current]


def _overlap(units: list[TextUnit], chunk_overlap: int) -> list[TextUnit]:
    """The last whole units of a chunk that together fit in `chunk_overlap` characters."""
    kept: list[TextUnit] = []
    for unit in reversed(units[1:]):
        if units[-1].end - unit.start > chunk_overlap:
            break
        kept.insert(0, unit)
    return kept


def _split_long(text: str, unit: TextUnit, chunk_size: int) -> list[TextUnit]:
    """A unit too long for any chunk, cut at white space into pieces of at most `chunk_size`; others as they are."""
    if unit.end - unit.start <= chunk_size * MAX_UNIT_CHUNKS:
        return [unit]
    pieces = []
    start = unit.start
    while start < unit.end:
        end = min(start + chunk_size, unit.end)
        if end < unit.end:
            cut = max(text.rfind(" ", start + 1, end), text.rfind("\n", start + 1, end))
            end = cut if cut > start else end
        pieces.append(TextUnit(start, end, unit.kind))
        start = end
        while start < unit.end and text[start].isspace():
            start += 1
    return pieces
