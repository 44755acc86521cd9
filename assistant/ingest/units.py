"""The units a text is read in (`TextUnit`, of one of `KINDS`), and small readings of a unit's text."""

from __future__ import annotations

from dataclasses import dataclass

SENTENCE = "sentence"
HEADING = "heading"
ITEM = "item"
ROW = "row"
CODE = "code"
FIELD = "field"
KINDS = (SENTENCE, HEADING, ITEM, ROW, CODE, FIELD)


@dataclass(frozen=True)
class TextUnit:
    """One unit a reader takes in at once: `text[start:end]`, of one of `KINDS`."""

    start: int
    end: int
    kind: str


def table_cells(row: str) -> list[str]:
    """The cells of a table row ("| `-a` | Address to use |" -> ["`-a`", "Address to use"])."""
    return [cell.strip() for cell in row.strip().strip("|").split("|")]


def field_key(text: str) -> str:
    """The key of a `Key: value` field ("Founded date: 2015" -> "Founded date")."""
    return text.partition(":")[0].strip()


def is_lead_in(kind: str, text: str) -> bool:
    """Whether a unit announces what follows it: a sentence or list item ending on a colon (code such as
    `if ok:` or a field with no value does not)."""
    return kind in (SENTENCE, ITEM) and text.rstrip().endswith(":")


def fold(text: str) -> str:
    """White space folded to single spaces: how a wrapped unit is displayed."""
    return " ".join(text.split())
