"""Pure formatting for the UI: answers, citations, clause traces and chunk maps as markdown and HTML.

Nothing here touches gradio, files or the network, so every function is testable on its own.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from assistant import Answer, Citation

# Everything an assistant message shows after the answer's own text starts with this marker,
# so the conversation history sent back to the assistant carries the answer text only.
EXTRAS_MARKER = '<div class="answer-extras">'
ERROR_PREFIX = "⚠️ "
TRACE_TITLE = "How the clause engine decided"
CONTEXT_CHARS = 280


def escape(text: str) -> str:
    """Return text safe inside HTML in a chat message: no tags, no markdown or LaTeX triggers."""
    escaped = html.escape(text, quote=True)
    return escaped.replace("$", "&#36;").replace("*", "&#42;").replace("_", "&#95;").replace("\n", "<br>")


def locate_quote(text: str, citation: Citation) -> tuple[int, int] | None:
    """Return the span of the citation's quote in the source text: its own offsets, else where it now is."""
    if 0 <= citation.start <= citation.end <= len(text) and text[citation.start : citation.end] == citation.quote:
        return citation.start, citation.end
    found = text.find(citation.quote) if citation.quote else -1
    return None if found < 0 else (found, found + len(citation.quote))


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


def shorten(text: str, limit: int = 90) -> str:
    """Return text on one line, cut at a word boundary with an ellipsis when longer than `limit`."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0] + "…"


def citation_html(citation: Citation, source_text: str | None, open_: bool = False) -> str:
    """Return one footnote: a <details> whose summary is the quote and whose body is the passage, span marked."""
    summary = (
        f'<summary><b>[{citation.n}]</b> {escape(citation.title)}: “{escape(shorten(citation.quote))}”</summary>'
    )
    span = locate_quote(source_text, citation) if source_text is not None else None
    if span is None:
        body = f'<div class="passage"><mark>{escape(citation.quote)}</mark></div>'
        where = f"{escape(citation.source)} (the file no longer holds this quote; re-ingest the corpus)"
    else:
        before, quote, after = passage_window(source_text, *span)
        body = f'<div class="passage">{escape(before)}<mark>{escape(quote)}</mark>{escape(after)}</div>'
        where = f"{escape(citation.source)}, characters {span[0]}–{span[1]}"
    attributes = f' class="citation" data-n="{citation.n}"' + (" open" if open_ else "")
    return f"<details{attributes}>{summary}{body}<div class=\"where\">{where}</div></details>"


def footnotes_html(citations: Sequence[Citation], texts: Mapping[str, str], open_: bool = False) -> str:
    """Return every citation as a footnote, in marker order; `texts` maps a source to its file's text."""
    if not citations:
        return ""
    notes = "".join(citation_html(c, texts.get(c.source), open_) for c in sorted(citations, key=lambda c: c.n))
    return f'<div class="footnotes">{notes}</div>'


def answer_markdown(answer: Answer, texts: Mapping[str, str]) -> str:
    """Return an answer as a chat message: its text, then a notice and the footnotes after the extras marker."""
    extras = ""
    if answer.notice:
        extras += f'<div class="notice">Note: {escape(answer.notice)}</div>'
    extras += footnotes_html(answer.citations, texts)
    if not extras:
        return answer.text
    # A blank line ends the markdown paragraph, so the HTML block below it is rendered as HTML.
    return f"{answer.text}\n\n{EXTRAS_MARKER}{extras}</div>"


def error_message(text: str) -> str:
    """Return an error as a chat message the history reader recognises and leaves out."""
    return ERROR_PREFIX + text


def message_text(content: Any) -> str:
    """Return the text of a chat message's content: a string, or gradio's list of typed parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return str(content.get("text") or content.get("content") or "")
    if isinstance(content, Iterable):
        return "\n".join(message_text(part) for part in content if isinstance(part, (str, dict)))
    return ""


def history_turns(messages: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    """Return the earlier user and assistant turns of a chat, as the assistant's history wants them.

    Tool traces, footnotes and error replies are left out, and so is the question an error replied to.
    """
    turns: list[dict[str, str]] = []
    for message in messages:
        role = message.get("role")
        metadata = message.get("metadata") or {}
        if role not in ("user", "assistant") or metadata.get("title"):
            continue
        text = message_text(message.get("content"))
        if role == "assistant":
            if text.startswith(ERROR_PREFIX):
                if turns and turns[-1]["role"] == "user":
                    turns.pop()
                continue
            text = text.split(EXTRAS_MARKER, 1)[0].rstrip()
        if text.strip():
            turns.append({"role": role, "content": text})
    return turns


# -- the clause engine -------------------------------------------------------------------------

_OPS = {
    "eq": "=", "ne": "≠", "gt": ">", "ge": "≥", "lt": "<", "le": "≤",
    "in": "is one of", "not_in": "is none of", "known": "is given", "unknown": "is not given",
}


def show_value(fact: str, value: Any) -> str:
    """Return a fact's value for a reader: yes/no, dollar amounts with separators, lists joined by "or"."""
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return " or ".join(show_value(fact, v) for v in value)
    if fact in ("provider", "api_host"):
        from assistant.clauses.scenario import provider_name

        return provider_name(str(value))
    if fact.endswith("_usd"):
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            return str(value)
        return f"${amount:,.0f}" if amount == amount.to_integral_value() else f"${amount:,}"
    return str(value)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("$", "\\$")


def trace_markdown(evaluation: Any, citations: Sequence[Any] = ()) -> str:
    """Return a clause-engine Evaluation as markdown for people: the facts used, then each clause's tested
    conditions, in words rather than field names; quotes numbered as in the outcome's `citations` when given."""
    from assistant.clauses import CLAUSES

    titles = {clause.id: clause.title for clause in CLAUSES} | {r.clause_id: r.title for r in evaluation.results}
    numbers = {(c.source, c.start, c.end): c.n for c in citations}
    facts = [(name, fact) for name, fact in evaluation.facts.items() if fact.value is not None]
    lines = ["**Facts**", ""]
    lines += [f"- {human_name(name)}: {_cell(show_value(name, fact.value))} ({fact.source})" for name, fact in facts] \
        or ["- none given"]
    for contradiction in evaluation.contradictions:
        lines.append(f"- contradiction ({', '.join(map(human_name, contradiction.facts))}): {_cell(contradiction.message)}")
    for result in evaluation.results:
        status = f"{result.status}, outcome: {human_name(result.outcome)}"
        if result.overridden_by:
            status += f", overridden by {titles.get(result.overridden_by, human_name(result.overridden_by))}"
        lines += ["", f"**{_cell(result.title)}** ({status})"]
        if result.missing:
            lines.append(f"Missing: {', '.join(map(human_name, result.missing))}")
        if result.trace:
            lines += ["", "| case | condition | value | result |", "|---|---|---|---|"]
            for step in result.trace:
                threshold = "" if step.op in ("known", "unknown") else " " + show_value(step.fact, step.threshold)
                condition = f"{human_name(step.fact)} {_OPS.get(step.op, step.op)}{threshold}"
                lines.append(f"| {_cell(human_name(step.branch))} | {_cell(condition)} | "
                             f"{_cell(show_value(step.fact, step.value))} | {step.verdict} |")
        for citation in result.citations:
            n = numbers.get((citation.source, citation.start, citation.end), citation.n)
            lines.append(f"\n> [{n}] {_cell(citation.quote)}")
    if evaluation.not_applicable:
        lines += ["", f"Not applicable: {', '.join(titles.get(c, human_name(c)) for c in evaluation.not_applicable)}"]
    return "\n".join(lines)


_PROPER_NAMES = {"api": "API", "agi": "AGI", "microsoft": "Microsoft", "oracle": "Oracle", "openai": "OpenAI",
                 "aws": "AWS", "usd": "(USD)"}


def human_name(name: Any) -> str:
    """A field or clause name as words: "competitor_while_microsoft_can_meet" -> "Competitor while Microsoft can meet"."""
    text = str(name)
    if "_" not in text and not text.islower():
        return text
    words = [_PROPER_NAMES.get(w, w) for w in text.split("_") if w]
    label = " ".join(words)
    return label[:1].upper() + label[1:]


# -- sources -----------------------------------------------------------------------------------


def status_markdown(info: Any) -> str:
    """Return the live index's description (an IndexInfo), or how to build one when there is none."""
    if info is None:
        return "**No index yet.** Press *Re-ingest* to build it from the corpus."
    return "\n".join(
        [
            f"- Embedding model: `{info.embedding_model}`",
            f"- Chunks: {info.chunk_count} from {len(info.files)} file(s) (size {info.chunk_size}, overlap {info.chunk_overlap})",
            f"- Built: {info.built_at}",
            f"- Fingerprint: `{info.fingerprint[:12]}`",
        ]
    )


def chunks_html(title: str, source: str, text: str, chunks: Sequence[Any]) -> str:
    """Return a document with its chunk boundaries marked, then a table of its chunks' spans and sections.

    Chunks overlap, so boundaries are markers in the text (▶n where chunk n starts, ◀n where it ends)
    rather than one coloured block per chunk.
    """
    marks: dict[int, list[str]] = {}
    for n, chunk in enumerate(chunks, 1):
        marks.setdefault(chunk.end, []).append(f'<span class="chunk-end" title="end of chunk {n}">◀{n}</span>')
    for n, chunk in enumerate(chunks, 1):
        marks.setdefault(chunk.start, []).append(f'<span class="chunk-start" title="start of chunk {n}">▶{n}</span>')
    pieces, cursor = [], 0
    for position in sorted(marks):
        pieces.append(html.escape(text[cursor:position]))
        pieces.extend(marks[position])
        cursor = position
    pieces.append(html.escape(text[cursor:]))
    rows = "".join(
        f"<tr><td>{n}</td><td>{c.start}–{c.end}</td><td>{c.end - c.start}</td>"
        f"<td>{html.escape(c.section)}</td><td>{html.escape(shorten(c.text, 70))}</td></tr>"
        for n, c in enumerate(chunks, 1)
    )
    return (
        f'<details class="document" open><summary><b>{html.escape(title)}</b> ({html.escape(source)}, '
        f"{len(text)} characters, {len(chunks)} chunks)</summary>"
        f'<table class="chunks"><thead><tr><th>#</th><th>span</th><th>chars</th><th>section</th><th>starts with</th>'
        f"</tr></thead><tbody>{rows}</tbody></table>"
        f'<div class="chunk-map">{"".join(pieces)}</div></details>'
    )
