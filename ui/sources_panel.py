"""The sources panel under a chat answer: a footnote per citation that opens to the passage it quotes, the quote
marked. The passage is the text the index holds around the quote; no source file is read for it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from assistant import Citation

from ui.formatting import escape, shorten

CONTEXT_CHARS = 280


@dataclass(frozen=True)
class Excerpt:
    """Text of a source file from character `start` on: the whole file (start 0), or indexed chunks around a quote."""

    text: str
    start: int = 0

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def cited_excerpts(index: Any, citations: Sequence[Citation]) -> dict[int, Excerpt]:
    """The indexed text around each citation's quote, by citation number: the chunks of its file that hold the quote,
    joined with those overlapping them, so that a quote near a chunk's edge keeps its context. A citation whose
    passage the index no longer holds is left out.

    Args:
        index: the live index (`Assistant.index()`): its chunks' texts and their `source`, `start`, `end` metadata.
    """
    wanted = {c.source for c in citations}
    pieces: dict[str, list[tuple[int, int, str]]] = {}
    columns = zip(index.metas.column("source"), index.metas.column("start"), index.metas.column("end"), index.texts)
    for source, start, end, text in columns:
        if source in wanted and len(text) == int(end) - int(start):  # a chunk is its file's text between its offsets
            pieces.setdefault(source, []).append((int(start), int(end), text))
    runs = {source: _runs(found) for source, found in pieces.items()}
    excerpts = {}
    for citation in citations:
        excerpt = _around(runs.get(citation.source, []), citation)
        if excerpt is not None:
            excerpts[citation.n] = excerpt
    return excerpts


def _runs(pieces: list[tuple[int, int, str]]) -> list[Excerpt]:
    """Chunks that overlap or touch, joined into one stretch of their file's text each."""
    runs: list[tuple[int, int, list[str]]] = []
    for start, end, text in sorted(pieces):
        if runs and start <= runs[-1][1]:
            run_start, run_end, parts = runs[-1]
            if end > run_end:
                parts.append(text[run_end - start :])
                runs[-1] = (run_start, end, parts)
        else:
            runs.append((start, end, [text]))
    return [Excerpt("".join(parts), start) for start, _, parts in runs]


def _around(runs: list[Excerpt], citation: Citation) -> Excerpt | None:
    """The stretch that holds the quote at its offsets, else one that holds it elsewhere (the file was edited)."""
    at_offsets = [run for run in runs if locate_quote(run, citation) == (citation.start, citation.end)]
    return next(iter(at_offsets), None) or next((run for run in runs if locate_quote(run, citation)), None)


def locate_quote(excerpt: Excerpt, citation: Citation) -> tuple[int, int] | None:
    """Return the quote's span in its file: the citation's own offsets, else where the excerpt now holds it."""
    offset = citation.start - excerpt.start
    if excerpt.start <= citation.start <= citation.end <= excerpt.end and \
            excerpt.text[offset : offset + citation.end - citation.start] == citation.quote:
        return citation.start, citation.end
    found = excerpt.text.find(citation.quote) if citation.quote else -1
    return None if found < 0 else (excerpt.start + found, excerpt.start + found + len(citation.quote))


def passage_window(text: str, start: int, end: int, context: int = CONTEXT_CHARS) -> tuple[str, str, str]:
    """Return (before, span, after): the span with its paragraph around it, at most `context` chars each side."""
    para_start = text.rfind("\n\n", 0, start)
    para_start = 0 if para_start < 0 else para_start + 2
    para_end = text.find("\n\n", end)
    para_end = len(text) if para_end < 0 else para_end
    lo = max(para_start, start - context)
    hi = min(para_end, end + context)
    before = ("…" if lo > para_start else "") + text[lo:start]
    after = text[end:hi] + ("…" if hi < para_end else "")
    return before, text[start:end], after


def citation_html(citation: Citation, excerpt: Excerpt | None, open_: bool = False) -> str:
    """Return one footnote: a <details> whose summary is the quote and whose body is the passage, span marked."""
    summary = (
        f'<summary><b>[{citation.n}]</b> {escape(citation.title)}: “{escape(shorten(citation.quote))}”</summary>'
    )
    span = locate_quote(excerpt, citation) if excerpt is not None else None
    if span is None:
        body = f'<div class="passage"><mark>{escape(citation.quote)}</mark></div>'
        where = f"{escape(citation.source)} (the file no longer holds this quote; re-ingest the corpus)"
    else:
        before, quote, after = passage_window(excerpt.text, span[0] - excerpt.start, span[1] - excerpt.start)
        body = f'<div class="passage">{escape(before)}<mark>{escape(quote)}</mark>{escape(after)}</div>'
        where = f"{escape(citation.source)}, characters {span[0]}–{span[1]}"
    attributes = f' class="citation" data-n="{citation.n}"' + (" open" if open_ else "")
    return f"<details{attributes}>{summary}{body}<div class=\"where\">{where}</div></details>"


def footnotes_html(citations: Sequence[Citation], excerpts: Mapping[int, Excerpt], open_: bool = False) -> str:
    """Return every citation as a footnote, in marker order; `excerpts` holds the text around each, by number."""
    if not citations:
        return ""
    notes = "".join(citation_html(c, excerpts.get(c.n), open_) for c in sorted(citations, key=lambda c: c.n))
    return f'<div class="footnotes">{notes}</div>'
