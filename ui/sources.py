"""The sources tab: each corpus document with its chunk boundaries, the index status, and re-ingest."""

from __future__ import annotations

import logging
import threading

from assistant import AssistantError

from .chat import AssistantPool
from .formatting import chunks_html, error_message, status_markdown

log = logging.getLogger(__name__)
_INGEST_LOCK = threading.Lock()


def documents_html(settings) -> str:
    """Every corpus document with its chunks, cut as the settings' chunk size and overlap cut them."""
    from assistant.chunking import chunk_document
    from assistant.corpus import load_corpus

    try:
        report = load_corpus(settings.corpus_dir)
        parts = [
            chunks_html(doc.title, doc.source, doc.text, chunk_document(doc, settings.chunk_size, settings.chunk_overlap))
            for doc in report.documents
        ]
    except Exception as exc:
        log.exception("cannot show the corpus")
        return f"<p>{error_message(f'Cannot read the corpus at {settings.corpus_dir} ({type(exc).__name__}: {exc}).')}</p>"
    parts += [f"<p>Skipped {source}: {reason}</p>" for source, reason in report.skipped]
    return "".join(parts) or f"<p>No documents in {settings.corpus_dir}.</p>"


def index_status(pool: AssistantPool) -> str:
    """The live index's status as markdown, or the reason it cannot be read."""
    try:
        return status_markdown(pool.base.status())
    except AssistantError as exc:
        return error_message(str(exc))
    except Exception as exc:
        log.exception("cannot read the index status")
        return error_message(f"Cannot read the index status ({type(exc).__name__}). The details are in the server log.")


def reingest(pool: AssistantPool) -> tuple[str, str, str]:
    """Bring the index in line with the corpus; return what changed, the new status and the documents."""
    with _INGEST_LOCK:  # two clicks must not build the index twice at once
        try:
            report = pool.base.ingest()
            pool.forget_indexes()
            summary = ("Rebuilt: " if report.rebuilt else "Re-ingested: ") + report.summary()
            if not report.changed:
                summary += ". Nothing changed."
        except AssistantError as exc:
            summary = error_message(str(exc))
        except Exception as exc:
            log.exception("re-ingest failed")
            summary = error_message(f"Re-ingest failed ({type(exc).__name__}). The details are in the server log.")
    return summary, index_status(pool), documents_html(pool.settings)
