"""The sources panel under a chat answer: a footnote per citation that opens to the passage it quotes, the quote
marked. The passage is the text the index holds around the quote; no source file is read for it. It shows words,
not markup: no heading's `#`, no front matter's fences and YAML (`passage_text.py`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from assistant import Citation

from ui.formatting import escape, shorten
from ui.passage_text import field_lines, front_matter_end, heading_marks, unmarked, without

CONTEXT_CHARS = 280


@dataclass(frozen=True)
class Excerpt:
    """Text of a source file from character `start` on: the whole file (start 0), or indexed chunks around a quote."""

    text: str
    start: int = 0
    fields: bool = False  # the text is front matter fields (`key: value` lines), not prose

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
    pieces: dict[tuple[str, bool], list[tuple[int, int, str]]] = {}
    columns = zip(index.metas.column("source"), index.metas.column("start"), index.metas.column("end"),
                  index.metas.column("kind"), index.texts)
    for source, start, end, kind, text in columns:
        if source in wanted and len(text) == int(end) - int(start):  # a chunk is its file's text between its offsets
            pieces.setdefault((source, kind == "meta"), []).append((int(start), int(end), text))
    runs: dict[str, list[Excerpt]] = {}
    for (source, fields), found in pieces.items():
        runs.setdefault(source, []).extend(_runs(found, fields))
    excerpts = {}
    for citation in citations:
        excerpt = _around(runs.get(citation.source, []), citation)
        if excerpt is not None:
            excerpts[citation.n] = excerpt
    return excerpts


def _runs(pieces: list[tuple[int, int, str]], fields: bool = False) -> list[Excerpt]:
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
    return [Excerpt("".join(parts), start, fields) for start, _, parts in runs]


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
    lo, hi, cut_before, cut_after = _window(text, start, end, context)
    return ("…" if cut_before else "") + text[lo:start], text[start:end], text[end:hi] + ("…" if cut_after else "")


def _window(text: str, start: int, end: int, context: int, floor: int = 0) -> tuple[int, int, bool, bool]:
    """The bounds of the text shown around a span: its paragraph, not before `floor`, at most `context` chars each
    side; and whether the paragraph goes on before and after them."""
    para_start = text.rfind("\n\n", floor, start)
    para_start = floor if para_start < 0 else para_start + 2
    para_end = text.find("\n\n", end)
    para_end = len(text) if para_end < 0 else para_end
    lo = max(para_start, start - context)
    hi = min(para_end, end + context)
    return lo, hi, lo > para_start, hi < para_end


def shown_passage(excerpt: Excerpt, start: int, end: int) -> tuple[str, str, str]:
    """(before, quote, after) as the panel shows the quote at `excerpt.text[start:end]` in its passage: words without
    markup. A quote in the front matter is shown with its own fields alone; one in the body, without the front
    matter before it or its headings' `#` marks."""
    text = excerpt.text
    body = front_matter_end(text) if excerpt.start == 0 else 0
    if excerpt.fields or start < body:
        lo = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", max(start, end - 1))
        hi = len(text) if line_end < 0 else line_end
        return "", field_lines(text[lo:hi]), ""
    lo, hi, cut_before, cut_after = _window(text, start, end, CONTEXT_CHARS, body)
    marks = heading_marks(text, lo, hi, line_start_at_lo=False)  # lo starts a line when a line break is before it
    return (("…" if cut_before else "") + without(text, lo, start, marks), without(text, start, end, marks),
            without(text, end, hi, marks) + ("…" if cut_after else ""))


def citation_html(citation: Citation, excerpt: Excerpt | None, open_: bool = False) -> str:
    """Return one footnote: a <details> whose summary is the quote and whose body is the passage, span marked."""
    span = locate_quote(excerpt, citation) if excerpt is not None else None
    if span is None:
        shown = unmarked(citation.quote)
        body = f'<div class="passage"><mark>{escape(shown)}</mark></div>'
        where = f"{escape(citation.source)} (the file no longer holds this quote; re-ingest the corpus)"
    else:
        before, shown, after = shown_passage(excerpt, span[0] - excerpt.start, span[1] - excerpt.start)
        body = f'<div class="passage">{escape(before)}<mark>{escape(shown)}</mark>{escape(after)}</div>'
        where = f"{escape(citation.source)}, characters {span[0]}–{span[1]}"
    summary = f'<summary><b>[{citation.n}]</b> {escape(citation.title)}: “{escape(shorten(shown))}”</summary>'
    attributes = f' class="citation" data-n="{citation.n}"' + (" open" if open_ else "")
    return f"<details{attributes}>{summary}{body}<div class=\"where\">{where}</div></details>"


def footnotes_html(citations: Sequence[Citation], excerpts: Mapping[int, Excerpt], open_: bool = False) -> str:
    """Return every citation as a footnote, in marker order; `excerpts` holds the text around each, by number."""
    if not citations:
        return ""
    notes = "".join(citation_html(c, excerpts.get(c.n), open_) for c in sorted(citations, key=lambda c: c.n))
    return f'<div class="footnotes">{notes}</div>'
