"""A converted document (a Word file, a web page) written out as the text it is known by: its blocks in the Markdown
that `segmentation.py` reads, so that its headings make sections, its lists items and its tables rows.

The converters (`word.py`, `web_page.py`) find the blocks; this module writes them, one way for both. No inline
emphasis is written (no `**`, no links), so that a quote of a converted document is its words alone. The text
written here is what citations index into: `readers.read_text` returns it for such a file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

MARKUP_VERSION = 1  # raise it when the text written changes: converted files are then read and indexed again
BlockKind = Literal["heading", "paragraph", "item", "row", "code"]
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u3000]+")
_MAX_HEADING_LEVEL = 6


@dataclass(frozen=True)
class Block:
    """One block of a converted document, in reading order.

    `level` is a heading's level (1 the title) or a list item's depth (1 the outermost); `cells` are a table row's,
    and `header` marks the row that names a table's columns.
    """

    kind: BlockKind
    text: str = ""
    level: int = 1
    cells: tuple[str, ...] = ()
    header: bool = False


def fold_line(text: str) -> str:
    """Text on one line: every run of white space (line breaks too) one space."""
    return " ".join(_SPACES.sub(" ", text).split())


def paragraph_text(text: str) -> str:
    """A paragraph's text: its line breaks kept, blank lines and runs of spaces dropped."""
    lines = (_SPACES.sub(" ", line).strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def render(blocks: Iterable[Block], fields: Mapping[str, str] | None = None) -> str:
    """The document's text: YAML front matter of its `fields` (title, author, date) when any, then its blocks, a
    blank line between paragraphs, list items and table rows each on a line of their own."""
    parts: list[str] = []
    previous: str | None = None
    for block in blocks:
        written = _write(block)
        if not written:
            continue
        # A table's header row starts a new table, even right after another.
        joined = block.kind == previous and block.kind in ("item", "row") and not (block.kind == "row" and block.header)
        if block.kind == "row" and not joined and block.header:
            written += "\n|" + " --- |" * len(block.cells)
        parts.append(("\n" if joined else "\n\n") + written if parts else written)
        previous = block.kind
    body = "".join(parts)
    if not body.strip():
        return ""
    return _front_matter(fields) + body + "\n"


def _write(block: Block) -> str:
    if block.kind == "heading":
        text = fold_line(block.text)
        return f"{'#' * min(max(block.level, 1), _MAX_HEADING_LEVEL)} {text}" if text else ""
    if block.kind == "item":
        text = fold_line(block.text)
        return f"{'  ' * (max(block.level, 1) - 1)}- {text}" if text else ""
    if block.kind == "row":
        cells = [fold_line(cell).replace("|", "/") for cell in block.cells]
        return "| " + " | ".join(cells) + " |" if any(cells) else ""
    if block.kind == "code":
        code = "\n".join(line.rstrip() for line in block.text.strip("\n").split("\n"))
        return f"```\n{code.replace('```', '` ` `')}\n```" if code.strip() else ""
    return paragraph_text(block.text)


def _front_matter(fields: Mapping[str, str] | None) -> str:
    """`---` YAML lines of the non-empty fields, as `front_matter.py` reads them; empty when there are none."""
    kept = {key: fold_line(str(value)) for key, value in (fields or {}).items() if value and fold_line(str(value))}
    if not kept:
        return ""
    import yaml

    return "---\n" + yaml.safe_dump(kept, sort_keys=False, allow_unicode=True, width=10**6) + "---\n\n"
