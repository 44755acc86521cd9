"""The Documents tab: add documents from the browser, see each with its chunk count, remove one, re-ingest, and how
each document is cut into chunks."""

from __future__ import annotations

import html
import logging
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant import AssistantError
from assistant.ingest.corpus import SUPPORTED_SUFFIXES
from assistant.ingest.documents import DocumentError, add_document, remove_document, unreadable
from assistant.ingest.readers import READERS

from ui.assistant_pool import AssistantPool
from ui.formatting import error_message, escape, shorten

if TYPE_CHECKING:
    from assistant.ingest.pipeline import IngestReport

log = logging.getLogger(__name__)
Progress = Callable[[int, int], None]
UPLOAD_TYPES = SUPPORTED_SUFFIXES
KINDS = ", ".join(reader.suffixes[0] for reader in READERS)  # ".md, .txt, .rst, .pdf, .docx, .html"


def build_documents_tab(pool: AssistantPool):
    """Render the tab in the current gradio context and wire its buttons; return the page load's (handler, outputs)."""
    import gradio as gr

    settings = pool.settings
    status = gr.Markdown(elem_id="index-status")
    with gr.Row():
        uploads = gr.File(label=f"Add documents ({KINDS})", file_count="multiple",
                          file_types=list(UPLOAD_TYPES), elem_id="upload")
        with gr.Column():
            replace = gr.Checkbox(label="Replace a document of the same name", value=False, elem_id="replace")
            add = gr.Button("Add to the corpus", variant="primary", elem_id="add-documents")
            gr.Markdown(f"Up to {settings.upload_max_mb:g} MB a file.")
    report = gr.Markdown(elem_id="ingest-report")
    table = gr.Dataframe(headers=["document", "chunks"], interactive=False, elem_id="document-table")
    with gr.Row():
        choice = gr.Dropdown(label="Remove a document", choices=[], elem_id="remove-choice")
        remove_button = gr.Button("Remove", variant="stop", scale=0, elem_id="remove-document")
        reingest_button = gr.Button("Re-ingest", variant="secondary", scale=0, elem_id="reingest")
    with gr.Accordion("How each document is chunked", open=False):
        documents = gr.HTML(elem_id="documents")

    def refresh():
        rows = document_rows(pool)
        return (index_status(pool), rows, gr.update(choices=[r[0] for r in rows], value=None),
                documents_html(settings))

    def on_add(files, replace_existing, progress=gr.Progress()):
        names = [f if isinstance(f, str) else getattr(f, "name", str(f)) for f in files or []]
        return (add_documents(pool, names, replace_existing, _progress(progress)), *refresh())

    def on_remove(source, progress=gr.Progress()):
        return (remove(pool, source, _progress(progress)), *refresh())

    def on_reingest(progress=gr.Progress()):
        return (reingest(pool, _progress(progress)), *refresh())

    panel = [report, status, table, choice, documents]
    add.click(on_add, [uploads, replace], panel, api_name="add_documents", concurrency_limit=1)
    remove_button.click(on_remove, [choice], panel, api_name="remove_document", concurrency_limit=1)
    reingest_button.click(on_reingest, None, panel, api_name="reingest", concurrency_limit=1)
    return refresh, [status, table, choice, documents]


def _progress(progress) -> Progress:
    """gr.Progress as the (done, total) callback ingest reports to."""
    return lambda done, total: progress((done, total), desc="Reading the documents", unit="steps")


def document_rows(pool: AssistantPool) -> list[list]:
    """[source, chunks] for every document of the live index."""
    try:
        index = pool.base.index()
    except AssistantError as exc:
        log.warning("cannot list the documents: %s", exc)
        return []
    counts = Counter(str(source) for source in index.metas.column("source"))
    return [[source, counts.get(source, 0)] for source in sorted(index.info.files)]


def add_documents(pool: AssistantPool, files: list[str] | None, replace: bool, progress: Progress | None = None) -> str:
    """Save the uploaded files into the corpus and ingest them; one line per file, then what the index became.

    A file that the ingest cannot read after all (a PDF is checked on its first pages only) is taken out of the
    corpus again, and its line says why: nothing of it stays behind.
    """
    if not files:
        return error_message(f"Choose one or more files first ({KINDS}).")
    corpus_dir = pool.settings.corpus_dir
    lines: list[str] = []
    added: dict[str, int] = {}  # source -> the position of its line
    for upload in files:
        path = Path(upload)
        name = getattr(upload, "orig_name", None) or path.name
        try:
            target = add_document(corpus_dir, path, name, max_mb=pool.settings.upload_max_mb, replace=replace)
            added[target.name] = len(lines)
            lines.append(f"Added {target.name}.")
        except DocumentError as exc:
            lines.append(error_message(str(exc)))
    if added:
        report, summary = _ingest(pool, progress)
        unread = [(source, why) for source, why in (report.skipped if report else []) if source in added]
        for source, why in unread:
            remove_document(corpus_dir, source)
            lines[added[source]] = error_message(str(unreadable(source, why)))
        if unread:
            report, summary = _ingest(pool, progress)
        lines.append(summary)
    return _lines(lines)


def remove(pool: AssistantPool, source: str | None, progress: Progress | None = None) -> str:
    """Delete a document from the corpus folder and its chunks from the index."""
    if not source:
        return error_message("Choose the document to remove.")
    try:
        remove_document(pool.settings.corpus_dir, source)
    except DocumentError as exc:
        return _lines([error_message(str(exc))])
    return _lines([f"Removed {source}.", _ingest(pool, progress)[1]])


def reingest(pool: AssistantPool, progress: Progress | None = None) -> str:
    """Bring the index in line with the corpus folder."""
    return _lines([_ingest(pool, progress)[1]])


def _lines(lines: list[str]) -> str:
    # The report is markdown; file names are shown as written ("_draft_.md" is not italic), so each line is text.
    return "\n\n".join(escape(line) for line in lines)


def index_status(pool: AssistantPool) -> str:
    """The live index's status as markdown, or the reason it cannot be read."""
    try:
        return status_markdown(pool.base.status())
    except AssistantError as exc:
        return escape(error_message(str(exc)))
    except Exception as exc:
        log.exception("cannot read the index status")
        return error_message(f"Cannot read the index status ({type(exc).__name__}). The details are in the server log.")


def _ingest(pool: AssistantPool, progress: Progress | None) -> tuple[IngestReport | None, str]:
    """Ingest; return the report (None when it failed) and one line saying what the index became, or why not."""
    # Two clicks never build the index at once: Assistant.ingest holds the index's lock.
    try:
        report = pool.base.ingest(progress=progress)
    except AssistantError as exc:
        return None, error_message(str(exc))
    except Exception as exc:
        log.exception("ingest failed")
        return None, error_message(f"Ingest failed ({type(exc).__name__}). The details are in the server log.")
    summary = ("Rebuilt: " if report.rebuilt else "Index: ") + report.summary()
    return report, summary if report.changed else summary + ". Nothing changed."


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


def documents_html(settings) -> str:
    """Every corpus document with its chunks, cut as the settings' chunk size and overlap cut them."""
    from assistant.ingest.chunking import chunk_document
    from assistant.ingest.corpus import load_corpus

    try:
        report = load_corpus(settings.corpus_dir)
        parts = [
            chunks_html(doc.title, doc.source, doc.text, chunk_document(doc, settings.chunk_size, settings.chunk_overlap))
            for doc in report.documents
        ]
    except Exception as exc:
        log.exception("cannot show the corpus")
        message = error_message(f"Cannot read the corpus at {settings.corpus_dir} ({type(exc).__name__}: {exc}).")
        return f"<p>{html.escape(message)}</p>"
    parts += [f"<p>Skipped {html.escape(source)}: {html.escape(reason)}</p>" for source, reason in report.skipped]
    return "".join(parts) or f"<p>No documents in {settings.corpus_dir}.</p>"


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
