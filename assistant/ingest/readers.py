"""Reading a corpus file into text: one reader per format, behind one small interface.

A reader names the file suffixes it reads and turns such a file into the document's text, which citations index
into and `segmentation.py` reads the layout of. A file its reader cannot read raises `ValueError` with the reason a
person is shown ("the file is binary, not text"), or `UnicodeDecodeError` or `OSError`: the corpus skips the file
with that reason.

Another format is one more `Reader` subclass, listed in `READERS`: the suffixes the corpus reads and uploads may
have follow from that list.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path
from typing import ClassVar

_BINARY_PROBE = 8192  # a NUL byte this near the start: the file is binary


class Reader(ABC):
    """Reads the files whose suffix (lower case, with its dot) is one of `suffixes` into text."""

    suffixes: ClassVar[tuple[str, ...]]

    @abstractmethod
    def read(self, path: Path) -> str:
        """The text of the file at `path`, its line breaks "\\n".

        Raises:
            ValueError: the file is not of this format, or is damaged (the message says which).
            UnicodeDecodeError: a text file is not UTF-8.
            OSError: the file cannot be read.
        """


class TextReader(Reader):
    """A UTF-8 text file, read as written: its markup, if any, is read by segmentation."""

    def read(self, path: Path) -> str:
        raw = path.read_bytes()
        if b"\x00" in raw[:_BINARY_PROBE]:
            raise ValueError("the file is binary, not text")
        return raw.decode("utf-8").replace("\r\n", "\n")


class MarkdownReader(TextReader):
    """Markdown: headings, lists, tables and code fences are kept as written and read by segmentation."""

    suffixes = (".md", ".markdown")


class PlainTextReader(TextReader):
    """Plain text."""

    suffixes = (".txt", ".text")


class RestructuredTextReader(TextReader):
    """reStructuredText: titles, directives and tables are kept as written and read by segmentation."""

    suffixes = (".rst",)


class PdfReader(Reader):
    """A PDF's text, laid out by pdfminer.six: lines as set, paragraphs apart, words with their spaces.

    pypdf, tried first, ran the words of justified lines together ("Theonlyreallyimportant...").
    """

    suffixes = (".pdf",)

    def read(self, path: Path) -> str:
        from pdfminer.high_level import extract_text
        from pdfminer.pdfparser import PDFSyntaxError
        from pdfminer.psparser import PSException

        try:
            return extract_text(path).replace("\r\n", "\n")
        except (PDFSyntaxError, PSException, TypeError, KeyError) as exc:
            raise ValueError(f"unreadable PDF ({type(exc).__name__}: {exc})") from exc


READERS: tuple[Reader, ...] = (MarkdownReader(), PlainTextReader(), RestructuredTextReader(), PdfReader())
_BY_SUFFIX: dict[str, Reader] = {suffix: reader for reader in READERS for suffix in reader.suffixes}
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(_BY_SUFFIX)  # ".md", ".markdown", ".txt", ".text", ".rst", ".pdf"
_FALLBACK: Reader = PlainTextReader()  # what a file of a suffix no reader names is read as


def reader_for(path: Path) -> Reader | None:
    """The reader of a file's format, by its suffix; None for a suffix no reader reads."""
    return _BY_SUFFIX.get(path.suffix.lower())


def read_text(path: Path) -> str:
    """The text of a file, read by the reader of its suffix (a file of another suffix is read as plain text).

    Raises:
        ValueError: the file cannot be read as its format (binary where text is expected, a damaged PDF).
        UnicodeDecodeError: a text file is not UTF-8.
        OSError: the file cannot be read.
    """
    return (reader_for(path) or _FALLBACK).read(path)
