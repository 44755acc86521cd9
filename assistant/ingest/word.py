"""Word documents (.docx) read by python-docx into blocks: headings by their paragraph style, list items by their
style or numbering, tables row by row, in the order the body holds them. Page headers and footers (a title
repeated on every page, page numbers) are left out, as are comments and tracked deletions.

python-docx was measured against mammoth (README, "Word and web pages"): both read every sentence, but only
python-docx gives the headings and tables as such, 18 times faster.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from assistant.ingest.markup import Block, fold_line


def read_docx(path: Path) -> tuple[list[Block], dict[str, str]]:
    """The blocks of a .docx file and its title and author (from its properties, when set).

    Raises:
        ValueError: the file is not a Word document, or is damaged.
    """
    import docx

    try:
        document = docx.Document(str(path))
        body = list(document.iter_inner_content())
        properties = document.core_properties
        fields = {"title": properties.title or "", "author": properties.author or ""}
    except (OSError, MemoryError):
        raise
    except Exception as exc:  # python-docx fails in many ways on a file that is not a .docx: zip, XML, parts
        raise ValueError(_reason(exc)) from None
    titled = any(_style(block) == "title" for block in body if not hasattr(block, "rows"))
    blocks: list[Block] = []
    for block in body:
        if hasattr(block, "rows"):
            blocks.extend(_table_rows(block))
        else:
            found = _paragraph(block, titled)
            if found is not None:
                blocks.append(found)
    return blocks, fields


def _paragraph(paragraph: Any, titled: bool) -> Block | None:
    text = paragraph.text
    if not text.strip():
        return None
    style = _style(paragraph)
    if style == "title":
        return Block("heading", text, 1)
    if style.startswith("heading "):
        level = style.removeprefix("heading ").strip()
        if level.isdigit():  # "Heading 1" is the title's child when the document has a Title paragraph
            return Block("heading", text, int(level) + (1 if titled else 0))
    depth = _list_depth(paragraph)
    if depth is not None or style.startswith("list"):
        return Block("item", text, (depth or 0) + 1)
    return Block("paragraph", text)


def _style(paragraph: Any) -> str:
    try:
        return (paragraph.style.name or "").lower() if paragraph.style is not None else ""
    except (KeyError, ValueError, AttributeError):
        return ""


def _list_depth(paragraph: Any) -> int | None:
    """The numbering level of a numbered or bulleted paragraph (0 the outermost), None when it has none."""
    properties = paragraph._p.pPr
    numbering = None if properties is None else properties.numPr
    if numbering is None:
        return None
    level = numbering.ilvl
    return int(level.val) if level is not None and level.val is not None else 0


def _table_rows(table: Any) -> list[Block]:
    """One row block per table row, its merged cells once; the first row names the columns."""
    rows: list[Block] = []
    for row in table.rows:
        seen: set[int] = set()
        cells = []
        for cell in row.cells:
            if id(cell._tc) in seen:  # a cell merged across columns is listed once per column it spans
                continue
            seen.add(id(cell._tc))
            cells.append(fold_line(cell.text))
        if any(cells):
            rows.append(Block("row", cells=tuple(cells), header=not rows))
    return rows


def _reason(exc: Exception) -> str:
    """Why a file is no Word document, in words (python-docx's own messages name the file's full path)."""
    from zipfile import BadZipFile

    from docx.opc.exceptions import PackageNotFoundError

    if isinstance(exc, (BadZipFile, PackageNotFoundError)):
        return "not a Word document: a .docx file (Word 2007 or later) is a zip package, and this is not one"
    return "a damaged Word document: its parts cannot be read"
