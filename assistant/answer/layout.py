"""Where else a question may be answered, beyond its retrieved passages: where a document opens or ends, its header,
the front-matter fields it names. Read from the index's chunk metadata once per index, not per question."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from assistant.index.sentences import sentence_units
from assistant.ingest.segmentation import field_key

if TYPE_CHECKING:
    from assistant.index.search import HybridIndex
    from assistant.models import Passage


class DocumentLayout:
    """The header chunks, front-matter fields and first and last prose chunks of every document of an index.

    A scan of every chunk's metadata per question took 0.5 s at 100k chunks: each is found once, when first asked.
    """

    def __init__(self, index: HybridIndex):
        self.index = index
        self._headers: list[int] | None = None
        self._fields: dict[str, list[int]] | None = None
        self._edges: dict[str, list[int]] = {}

    def header_passages(self, sources: set[str]) -> list[Passage]:
        """Each source's header chunk: its headline and publication date."""
        if self._headers is None:
            self._headers = self._of_kind("header")
        return self._passages(self._headers, sources)

    def fields(self) -> dict[str, list[int]]:
        """Each key of the front matters' fields ("Author"), with the positions of the chunks that hold it: read
        once, so that a question asks about a few keys, not about every document's front matter."""
        if self._fields is None:
            found: dict[str, list[int]] = {}
            for pos in self._of_kind("meta"):
                for unit in sentence_units(self.index.passage(pos, 0.0)):
                    if unit.is_field:
                        found.setdefault(field_key(unit.text), []).append(pos)
            self._fields = found  # whole, at once: another thread never reads it half-made
        return self._fields

    def field_passages(self, keys: list[str], sources: set[str]) -> list[Passage]:
        """The front-matter chunks of `sources` that hold one of these field keys, in corpus order."""
        fields = self.fields()
        positions = {pos for key in keys for pos in self._in_sources(fields[key], sources)}
        return [self.index.passage(pos, 0.0) for pos in sorted(positions)]

    def edge_passages(self, edge: str, sources: set[str]) -> list[Passage]:
        """The first ("opening") or last ("closing") prose chunk of each source: where a text opens or ends."""
        if edge not in self._edges:
            metas = self.index.metas
            chosen: dict[str, int] = {}
            starts, ends = metas.column("start"), metas.column("end")
            for pos, (kind, source) in enumerate(zip(metas.column("kind"), metas.column("source"))):
                if kind != "prose":
                    continue
                best = chosen.get(source)
                if best is None or (int(starts[pos]) < int(starts[best]) if edge == "opening"
                                    else int(ends[pos]) > int(ends[best])):
                    chosen[source] = pos
            self._edges[edge] = list(chosen.values())
        return self._passages(self._edges[edge], sources)

    def _of_kind(self, kind: str) -> list[int]:
        return [pos for pos, of in enumerate(self.index.metas.column("kind")) if of == kind]

    def _passages(self, positions: list[int], sources: set[str]) -> list[Passage]:
        return [self.index.passage(pos, 0.0) for pos in self._in_sources(positions, sources)]

    def _in_sources(self, positions: list[int], sources: set[str]) -> list[int]:
        of = self.index.metas.column("source")
        return [pos for pos in positions if of[pos] in sources]


@dataclass
class Scope:
    """What a question says about where to look, beyond the retrieved passages."""

    passages: list[Passage] = field(default_factory=list)
    edges: set[str] = field(default_factory=set)  # chunks where the text opens or ends, when the question asks
    about_document: bool = False  # the question asks about the document itself (its date, its headline)
    edge_passages: list[Passage] | None = None  # "how does the article end?": their first or last sentences answer
