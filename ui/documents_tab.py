"""The Documents tab: add documents from the browser, see each with its chunk count, remove one, re-ingest."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from assistant import AssistantError
from assistant.ingest.documents import DocumentError, add_document, remove_document

from ui.chat import AssistantPool
from ui.formatting import error_message, status_markdown

log = logging.getLogger(__name__)
Progress = Callable[[int, int], None]


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
    """Save the uploaded files into the corpus and ingest them; one line per file, then what the index became."""
    if not files:
        return error_message("Choose one or more .md, .txt, .rst or .pdf files first.")
    settings = pool.settings
    lines = []
    added = 0
    for upload in files:
        path = Path(upload)
        name = getattr(upload, "orig_name", None) or path.name
        try:
            target = add_document(settings.corpus_dir, path, name, max_mb=settings.upload_max_mb, replace=replace)
            lines.append(f"Added {target.name}.")
            added += 1
        except DocumentError as exc:
            lines.append(error_message(str(exc)))
    if added:
        lines.append(_ingest(pool, progress))
    return "\n\n".join(lines)


def remove(pool: AssistantPool, source: str | None, progress: Progress | None = None) -> str:
    """Delete a document from the corpus folder and its chunks from the index."""
    if not source:
        return error_message("Choose the document to remove.")
    try:
        remove_document(pool.settings.corpus_dir, source)
    except DocumentError as exc:
        return error_message(str(exc))
    return f"Removed {source}.\n\n" + _ingest(pool, progress)


def reingest(pool: AssistantPool, progress: Progress | None = None) -> str:
    """Bring the index in line with the corpus folder."""
    return _ingest(pool, progress)


def index_status(pool: AssistantPool) -> str:
    """The live index's status as markdown, or the reason it cannot be read."""
    try:
        return status_markdown(pool.base.status())
    except AssistantError as exc:
        return error_message(str(exc))
    except Exception as exc:
        log.exception("cannot read the index status")
        return error_message(f"Cannot read the index status ({type(exc).__name__}). The details are in the server log.")


def _ingest(pool: AssistantPool, progress: Progress | None) -> str:
    # Two clicks never build the index at once: Assistant.ingest holds the index's lock.
    try:
        report = pool.base.ingest(progress=progress)
    except AssistantError as exc:
        return error_message(str(exc))
    except Exception as exc:
        log.exception("ingest failed")
        return error_message(f"Ingest failed ({type(exc).__name__}). The details are in the server log.")
    summary = ("Rebuilt: " if report.rebuilt else "Index: ") + report.summary()
    return summary if report.changed else summary + ". Nothing changed."
