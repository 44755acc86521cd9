"""Web pages (.html, .htm) read by trafilatura, which finds a page's main content: scripts, styles, navigation,
menus, sidebars, cookie notices and footers are left out, by the page's tags and by how its blocks read (link
density, position), not by a list of tag names. Its headings, paragraphs, lists, tables and code are taken from
trafilatura's XML output into blocks; the page's title, author, date and site name become front matter fields.

trafilatura was measured against selectolax and lxml with scripts, styles and navigation dropped by tag (README,
"Word and web pages"): all three kept every sentence, but only trafilatura kept out the menus and footers that a
page builds of plain `<div>`s.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from assistant.ingest.markup import Block

_FIELDS = ("title", "author", "date", "sitename")  # the page's metadata kept as front matter fields
_HEADING_TAGS = {f"h{n}": n for n in range(1, 7)}


def read_html(path: Path) -> tuple[list[Block], dict[str, str]]:
    """The blocks of a web page's main content, and its title, author, date and site name where found.

    Raises:
        ValueError: no text could be found in the page (it holds only navigation or scripts, or is not HTML).
    """
    import trafilatura
    from lxml import etree

    raw = path.read_bytes()
    if b"\x00" in raw[:8192] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValueError("the file is binary, not a web page")
    logging.getLogger("trafilatura").setLevel(logging.ERROR)  # it logs a warning for every page it finds empty
    xml = trafilatura.extract(raw, output_format="xml", with_metadata=True, include_tables=True,
                              include_comments=False, include_links=False, include_images=False,
                              include_formatting=False, deduplicate=False)
    if not xml:
        raise ValueError("no text found in the page: it holds only navigation, scripts or markup")
    root = etree.fromstring(xml.encode("utf-8"))
    fields = {key: root.get(key, "") for key in _FIELDS}
    blocks: list[Block] = []
    main = root.find("main")
    for element in (main if main is not None else root):
        blocks.extend(_blocks(element))
    if not blocks:
        raise ValueError("no text found in the page: it holds only navigation, scripts or markup")
    return blocks, fields


def _blocks(element: Any, depth: int = 1) -> list[Block]:
    """The blocks an element of trafilatura's XML stands for."""
    tag = element.tag
    if tag == "head":
        return [Block("heading", _text(element), _HEADING_TAGS.get(element.get("rend", ""), 2))]
    if tag == "list":
        return _items(element, depth)
    if tag == "table":
        return _rows(element)
    if tag == "code":
        return [Block("code", _text(element))]
    if tag in ("p", "quote"):
        return [Block("paragraph", _text(element))]
    if tag == "div" or tag == "main":
        return [block for child in element for block in _blocks(child, depth)]
    return []  # graphic, comments, ...


def _items(element: Any, depth: int) -> list[Block]:
    """A list's items, each followed by the items of a list inside it, one level deeper."""
    blocks: list[Block] = []
    for item in element.iter("item"):
        if _owner(item, "list") is not element:
            continue
        nested = [child for child in item if child.tag == "list"]
        blocks.append(Block("item", _text(item, skip=nested), depth))
        for inner in nested:
            blocks.extend(_items(inner, depth + 1))
    return blocks


def _rows(element: Any) -> list[Block]:
    rows = []
    for row in element.iter("row"):
        if _owner(row, "table") is not element:
            continue
        cells = tuple(_text(cell) for cell in row if cell.tag == "cell")
        rows.append(Block("row", cells=cells, header=not rows))
    return rows


def _owner(element: Any, tag: str) -> Any:
    """The nearest enclosing element of that tag."""
    parent = element.getparent()
    while parent is not None and parent.tag != tag:
        parent = parent.getparent()
    return parent


def _text(element: Any, skip: list[Any] | tuple = ()) -> str:
    """An element's text with its line breaks (`<lb/>`), leaving out the subtrees in `skip`."""
    pieces: list[str] = []

    def walk(node: Any) -> None:
        if node.tag == "lb":
            pieces.append("\n")
        elif node.text:
            pieces.append(node.text)
        for child in node:
            if not any(child is s for s in skip):
                walk(child)
            if child.tail:
                pieces.append(child.tail)

    walk(element)
    return "".join(pieces)
