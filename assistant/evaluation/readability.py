"""Whether a quoted answer reads as a whole: each citation a whole unit of its document that starts and ends where
a sentence does, and no metadata line quoted for a question whose answer is not in one."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from assistant.ingest.corpus import Document, load_corpus
from assistant.ingest.segmentation import FIELD, ITEM, SENTENCE, TextUnit, is_lead_in
from assistant.evaluation.matching import contains_evidence

_ENDS_SENTENCE = re.compile(r"[.!?:;]['\"”’)\]*_`]*$")


@dataclass(frozen=True)
class QuoteProblem:
    """One citation that does not read as a whole."""

    question_id: str
    quote: str
    problem: str  # "not a whole unit", "fragment", "metadata line"


class CorpusReading:
    """A corpus's documents as the assistant reads them, to check quotes against."""

    def __init__(self, corpus_dir: Path):
        self.documents: dict[str, Document] = {d.source: d for d in load_corpus(corpus_dir).documents}
        self._starts = {source: {u.start: i for i, u in enumerate(d.units)} for source, d in self.documents.items()}
        self._ends = {source: {u.end: i for i, u in enumerate(d.units)} for source, d in self.documents.items()}

    def problems(self, record: dict, evidence: list[str]) -> list[QuoteProblem]:
        """What is wrong with the citations of one per_question record (a document answer; tool answers aside)."""
        if record.get("abstained") or record.get("tool"):
            return []
        found = []
        for citation in record.get("citations", []):
            problem = self._problem(citation, evidence)
            if problem:
                found.append(QuoteProblem(record["id"], citation["quote"], problem))
        return found

    def _problem(self, citation: dict, evidence: list[str]) -> str | None:
        # A citation is one whole unit, or a lead-in with the units it introduces.
        document = self.documents.get(citation["source"])
        first = self._starts.get(citation["source"], {}).get(citation["start"])
        last = self._ends.get(citation["source"], {}).get(citation["end"])
        if document is None or first is None or last is None or last < first:
            return "not a whole unit"
        lead = document.units[first]
        if last > first and not is_lead_in(lead.kind, document.text[lead.start : lead.end]):
            return "not a whole unit"
        if first == last and is_metadata(document, first) and not contains_evidence(citation["quote"], evidence):
            return "metadata line"
        if is_fragment(document.text, document.units, first, last):
            return "fragment"
        return None


def is_metadata(document: Document, at: int) -> bool:
    """A `Key: value` field of the text's head: front matter, or fields before its first sentence of prose."""
    if document.units[at].kind != FIELD:
        return False
    return not any(u.kind in (SENTENCE, ITEM) for u in document.units[:at])


def is_fragment(text: str, units: list[TextUnit], at: int, last: int | None = None) -> bool:
    """Whether a sentence or item unit (or the run of units from `at` to `last`) is part of a sentence cut in two:
    cut inside a line where no sentence ends, or cut at a line break with the sentence going on in small letters on
    the next line. A run is cut only at its outer edges."""
    last = at if last is None else last
    first, end = units[at], units[last]
    before = units[at - 1] if at else None
    after = units[last + 1] if last + 1 < len(units) else None
    return (first.kind in (SENTENCE, ITEM) and before is not None and _cut(text, before, first)) or (
        end.kind in (SENTENCE, ITEM) and after is not None and _cut(text, end, after))


def _cut(text: str, first: TextUnit, second: TextUnit) -> bool:
    """Whether the boundary between two units of one kind falls inside a sentence."""
    if first.kind != second.kind or _ENDS_SENTENCE.search(text[first.start : first.end]):
        return False
    breaks = text.count("\n", first.end, second.start)
    line_start = text.rfind("\n", 0, second.start) + 1
    if breaks and text[line_start : second.start].strip():
        return False  # the second unit opens a line with a list marker: a new item, not the rest of a sentence
    return breaks == 0 or breaks == 1 and text[second.start : second.start + 1].islower()
