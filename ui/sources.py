"""Each corpus document with its chunk boundaries marked, as the Documents tab shows them."""

from __future__ import annotations

import logging

from ui.formatting import chunks_html, error_message

log = logging.getLogger(__name__)


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
        return f"<p>{error_message(f'Cannot read the corpus at {settings.corpus_dir} ({type(exc).__name__}: {exc}).')}</p>"
    parts += [f"<p>Skipped {source}: {reason}</p>" for source, reason in report.skipped]
    return "".join(parts) or f"<p>No documents in {settings.corpus_dir}.</p>"
