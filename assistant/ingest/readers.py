"""Reading a corpus file into text: one reader per format, behind one small interface.

A reader names the file suffixes it reads and turns such a file into the document's text, which citations index
into and `segmentation.py` reads the layout of. A file its reader cannot read raises `ValueError` with the reason a
person is shown ("the file is binary, not text"), or `UnicodeDecodeError` or `OSError`: the corpus skips the file
with that reason.

Another format is one more `Reader` subclass, listed in `READERS`: the suffixes the corpus reads and uploads may
have follow from that list.

A Word file or a web page is converted (`ConvertedReader`): its text is the Markdown `markup.py` writes of the blocks
its converter found, and that text is the document's for every purpose: chunks, citations (`quote ==
read_text(path)[start:end]`), the index's hash of the file, the Sources panel. The conversion is a function of the
file's bytes and of the converters' versions, which `pyproject.toml` pins for that reason: the same file gives the
same text in every process, so the spans the index holds stay exact. When a version moves (or `MARKUP_VERSION`),
`conversion_tag` changes, and with it the file's recorded stat (`corpus.file_stats`): the file is read again before
the next question, as if it had been written, and re-indexed if its text changed.
"""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from functools import lru_cache
from pathlib import Path
from typing import ClassVar

from assistant.ingest.markup import MARKUP_VERSION, Block, render

_BINARY_PROBE = 8192  # a NUL byte this near the start: the file is binary


class Reader(ABC):
    """Reads the files whose suffix (lower case, with its dot) is one of `suffixes` into text."""

    suffixes: ClassVar[tuple[str, ...]]
    # What a person can do with a file of this format that does not read: the end of the line refusing it.
    remedy: ClassVar[str] = "save it again as UTF-8 text and add it again"

    @abstractmethod
    def read(self, path: Path) -> str:
        """The text of the file at `path`, its line breaks "\\n".

        Raises:
            ValueError: the file is not of this format, or is damaged (the message says which).
            UnicodeDecodeError: a text file is not UTF-8.
            OSError: the file cannot be read.
        """

    def sample(self, path: Path) -> str:
        """Enough of the file's text to tell whether it reads (all of it, unless reading all is slow); raises as
        `read` does."""
        return self.read(path)


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
    remedy = "save it again as a PDF (a scanned page needs text recognition first), or add its text as a .txt file"
    SAMPLE_PAGES = 3  # pdfminer takes about a second a megabyte: an upload is checked on its first pages

    def read(self, path: Path) -> str:
        return self._extract(path)

    def sample(self, path: Path) -> str:
        # Blank first pages (a cover, a scanned title page) say nothing of the rest: then all of it is read.
        return self._extract(path, self.SAMPLE_PAGES).strip() or self._extract(path)

    @staticmethod
    def _extract(path: Path, max_pages: int = 0) -> str:
        from pdfminer.high_level import extract_text
        from pdfminer.pdfdocument import PDFEncryptionError

        try:
            return extract_text(path, maxpages=max_pages).replace("\r\n", "\n")
        except (OSError, MemoryError):
            raise
        except PDFEncryptionError:
            raise ValueError("the PDF is protected by a password") from None
        except Exception:  # pdfminer fails in many ways on a file that is not a PDF: syntax, EOF, keys, types
            raise ValueError("it is not a PDF, or the PDF is damaged") from None


class ConvertedReader(Reader):
    """A format converted into text: its converter finds the blocks (headings, paragraphs, items, rows, code) and
    the document's fields, and `markup.render` writes them as the Markdown the segmentation reads."""

    converters: ClassVar[tuple[str, ...]]  # the distributions whose versions shape the text

    def version(self) -> str:
        """What the text depends on besides the file: the converters' versions and the way it is written."""
        from importlib.metadata import PackageNotFoundError, version

        found = []
        for name in self.converters:
            try:
                found.append(f"{name} {version(name)}")
            except PackageNotFoundError:
                found.append(f"{name} missing")
        return "; ".join(found + [f"markup {MARKUP_VERSION}"])

    @abstractmethod
    def convert(self, path: Path) -> tuple[list[Block], dict[str, str]]:
        """The file's blocks in reading order, and its fields (title, author, ...; empty values are left out)."""

    def read(self, path: Path) -> str:
        text = render(*self.convert(path))
        if not text.strip():
            raise ValueError("no text found in the file")
        return text


class DocxReader(ConvertedReader):
    """A Word document (.docx), read by python-docx (`word.py`)."""

    suffixes = (".docx",)
    converters = ("python-docx",)
    remedy = "open it in Word and save it again as .docx, or add its text as a .txt file"

    def convert(self, path: Path) -> tuple[list[Block], dict[str, str]]:
        from assistant.ingest.word import read_docx

        return read_docx(path)


class HtmlReader(ConvertedReader):
    """A web page, its main content found by trafilatura (`web_page.py`): no scripts, styles or navigation."""

    suffixes = (".html", ".htm")
    converters = ("trafilatura", "lxml")
    remedy = "save the page's text as a .txt file and add that"

    def convert(self, path: Path) -> tuple[list[Block], dict[str, str]]:
        from assistant.ingest.web_page import read_html

        return read_html(path)


READERS: tuple[Reader, ...] = (MarkdownReader(), PlainTextReader(), RestructuredTextReader(), PdfReader(),
                               DocxReader(), HtmlReader())
_BY_SUFFIX: dict[str, Reader] = {suffix: reader for reader in READERS for suffix in reader.suffixes}
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(_BY_SUFFIX)  # ".md", ".markdown", ".txt", ".text", ".rst", ".pdf", ".docx", ...
_FALLBACK: Reader = PlainTextReader()  # what a file of a suffix no reader names is read as


def reader_for(path: Path) -> Reader | None:
    """The reader of a file's format, by its suffix; None for a suffix no reader reads."""
    return _BY_SUFFIX.get(path.suffix.lower())


@lru_cache(maxsize=None)
def conversion_tag(suffix: str) -> tuple[int, ...]:
    """For a converted format's suffix, one number standing for its converter's version (`ConvertedReader.version`);
    () for a format read as written. Looked up once per process: it is taken before every question."""
    reader = _BY_SUFFIX.get(suffix.lower())
    if not isinstance(reader, ConvertedReader):
        return ()
    return (int(hashlib.sha256(reader.version().encode()).hexdigest()[:8], 16),)


def read_text(path: Path) -> str:
    """The text of a file, read by the reader of its suffix (a file of another suffix is read as plain text).

    Raises:
        ValueError: the file cannot be read as its format (binary where text is expected, a damaged PDF or Word
            file, a web page with no text but its navigation).
        UnicodeDecodeError: a text file is not UTF-8.
        OSError: the file cannot be read.
    """
    return (reader_for(path) or _FALLBACK).read(path)
