"""The corpus files the clauses quote: loaded lazily, cached, and searched for exact quote spans."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from assistant.errors import ConfigError


@dataclass(frozen=True)
class CorpusDocument:
    """A corpus file's full text (front matter included) and its title."""

    source: str
    title: str
    text: str


def default_corpus_dir() -> Path:
    """Return the repository's corpus/ directory."""
    return Path(__file__).resolve().parents[2] / "corpus"


def load_document(source: str, corpus_dir: Path | str | None = None) -> CorpusDocument:
    """Return the corpus file `source` (relative to the corpus directory), read once and cached."""
    base = Path(corpus_dir) if corpus_dir is not None else default_corpus_dir()
    return _load(base.resolve(), source)


@lru_cache(maxsize=32)
def _load(corpus_dir: Path, source: str) -> CorpusDocument:
    path = corpus_dir / source
    if not path.is_file():
        raise ConfigError(
            f"The clause engine's source {source} is not in {corpus_dir}. Pass the corpus directory that holds it."
        )
    # newline="" keeps the bytes' line endings, so offsets match the file exactly.
    with path.open(encoding="utf-8", newline="") as handle:
        text = handle.read()
    return CorpusDocument(source=source, title=_title(text, fallback=path.stem), text=text)


def _title(text: str, fallback: str) -> str:
    """Return the front matter's title, or the fallback when there is none."""
    if not text.startswith("---"):
        return fallback
    end = text.find("\n---", 3)
    if end == -1:
        return fallback
    meta = yaml.safe_load(text[3:end]) or {}
    return str(meta.get("title") or fallback) if isinstance(meta, dict) else fallback


def locate(document: CorpusDocument, quote: str) -> tuple[int, int]:
    """Return the (start, end) character span of `quote` in the document's full text."""
    start = document.text.find(quote)
    if start == -1:
        raise ConfigError(
            f"A clause quote is no longer in {document.source}: {quote[:60]!r}... Update assistant/clauses/rules.py."
        )
    return start, start + len(quote)
