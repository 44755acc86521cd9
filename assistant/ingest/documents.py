"""Adding documents to the corpus folder and taking them out, as a browser upload or a caller does: safe names,
allowed kinds and sizes only, files that read as their kind only (a damaged Word file, a page with no text), and
no file replaced unless asked."""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

from assistant.errors import UserInputError
from assistant.ingest.readers import SUPPORTED_SUFFIXES, PlainTextReader, reader_for

_UNSAFE = re.compile(r"[^\w.\- ]+")


class DocumentError(UserInputError):
    """A document cannot be added or removed as asked."""


def safe_name(filename: str) -> str:
    """The file name alone (no folders, no `..`), in plain characters, that the corpus keeps a document under."""
    name = Path(filename.replace("\\", "/")).name
    name = unicodedata.normalize("NFKC", name).strip().lstrip(".")
    name = _UNSAFE.sub("_", name).strip(" _")
    if not name or Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
        raise DocumentError(f"{filename!r} is not a document the assistant reads: use a "
                            f"{', '.join(SUPPORTED_SUFFIXES)} file.")
    return name


def add_document(corpus_dir: Path, source: Path, filename: str, *, max_mb: float, replace: bool = False) -> Path:
    """Copy an uploaded file into the corpus folder under a safe name; returns where it went.

    Raises:
        DocumentError: the kind is not read, the file is too large or cannot be read as its kind (nothing is
            left in the corpus then), or a document of that name exists and `replace` is false.
    """
    name = safe_name(filename)
    size = source.stat().st_size
    if size > max_mb * 1024 * 1024:
        raise DocumentError(f"{name} is {size / 1024 / 1024:.1f} MB; the limit is {max_mb:g} MB (setting upload_max_mb).")
    if size == 0:
        raise DocumentError(f"{name} is empty (0 bytes). It was not added: check that you chose the right file.")
    corpus_dir.mkdir(parents=True, exist_ok=True)
    target = corpus_dir / name
    if target.exists() and not replace:
        raise DocumentError(f"A document named {name} is already in the corpus: tick 'Replace' to overwrite it, "
                            "or rename the file.")
    partial = target.with_name(f".{name}.part")  # a reader never sees half a file
    shutil.copyfile(source, partial)
    try:
        _check_readable(partial, name)
    except DocumentError:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(target)
    return target


def _check_readable(path: Path, name: str) -> None:
    """Raise DocumentError, one line saying why and what to do, when the file does not read as the kind its name
    says. A PDF is read on its first pages only (`PdfReader.sample`): the ingest that follows reads the rest."""
    try:
        text = (reader_for(Path(name)) or PlainTextReader()).sample(path)
    except (ValueError, UnicodeDecodeError, OSError) as exc:
        if isinstance(exc, UnicodeDecodeError):
            reason = "it is not UTF-8 text"
        elif isinstance(exc, OSError):
            reason = exc.strerror or "the file cannot be opened"
        else:
            reason = str(exc) or "it is not the kind of file its name says"
        raise unreadable(name, reason) from None
    if not text.strip():
        raise unreadable(name, "it holds no text")


def unreadable(name: str, reason: str) -> DocumentError:
    """The refusal of a document that does not read, on one line: why, and what to do about it."""
    reader = reader_for(Path(name)) or PlainTextReader()  # safe_name let only the suffixes readers name through
    return DocumentError(f"{name} cannot be read: {reason}. It was not added: {reader.remedy}.")


def remove_document(corpus_dir: Path, source: str) -> None:
    """Delete one document of the corpus folder (`source` as citations name it).

    Raises:
        DocumentError: there is no such document in the corpus folder.
    """
    root = corpus_dir.resolve()
    target = (root / source).resolve()
    if root not in target.parents or not target.is_file():
        raise DocumentError(f"No document {source!r} in the corpus.")
    target.unlink()
