"""What a passage shows of its document's markup: the words, not the marks that make a line a heading or the YAML
front matter of a page. For display only: a citation's quote and offsets stay the file's exact text, which is
what the eval checks them against.

Pure functions of text, as the rest of the sources panel: nothing here reads a file.
"""

from __future__ import annotations

import re

_HEADING_OPENING = re.compile(r"[ ]{0,3}#{1,6}(?:[ \t]+|$)")  # "## Costs": the marks and the space after them
_HEADING_CLOSING = re.compile(r"[ \t]+#+[ \t]*$")  # "## Costs ##"
# A front matter block at the top of a page: a `---` line, lines of YAML (keys, list items, indented or blank lines,
# comments), and a closing `---` or `...` line. A page opening on a rule over prose does not match.
# Each kind of line starts with its own character, so that no line reads two ways: a page without a closing line
# is given up on in one pass.
_FRONT_MATTER = re.compile(r"---[ \t]*\n(?:(?:[\w\"'][^\n:]*:[^\n]*|-[^\n]*|[ \t][^\n]*|#[^\n]*|)\n)*?"
                           r"(?:---|\.\.\.)[ \t]*(?:\n|$)")
_FIELD = re.compile(r"^[ \t]*(?:-[ \t]+)?([^\s:][^:\n]*):[ \t]*(.*?)[ \t]*$")


def front_matter_end(text: str) -> int:
    """Where the body of a page starts, after the front matter at its top; 0 when it has none."""
    found = _FRONT_MATTER.match(text)
    return found.end() if found else 0


def heading_marks(text: str, lo: int, hi: int, line_start_at_lo: bool = True) -> list[tuple[int, int]]:
    """The spans of `text[lo:hi]` that are a Markdown heading's `#` marks (those opening a line, and those closing it).

    Args:
        line_start_at_lo: whether `lo` starts a line although no line break comes before it (a chunk starts there).
    """
    spans = []
    start = lo
    while start < hi:
        end = text.find("\n", start, hi)
        end = hi if end < 0 else end
        at_line_start = start == 0 or text[start - 1] == "\n" or (start == lo and line_start_at_lo)
        opening = _HEADING_OPENING.match(text, start, end) if at_line_start else None
        if opening:
            spans.append((start, opening.end()))
            closing = _HEADING_CLOSING.search(text, opening.end(), end)
            if closing:
                spans.append((closing.start(), closing.end()))
        start = end + 1
    return spans


def without(text: str, lo: int, hi: int, spans: list[tuple[int, int]]) -> str:
    """`text[lo:hi]` with the spans left out."""
    kept, cursor = [], lo
    for start, end in sorted(spans):
        start, end = max(start, lo), min(end, hi)
        if start >= end:
            continue
        if start > cursor:
            kept.append(text[cursor:start])
        cursor = max(cursor, end)
    kept.append(text[cursor:hi])
    return "".join(kept)


def unmarked(text: str) -> str:
    """Text that starts a line (a quote, an answer) without its headings' `#` marks."""
    return without(text, 0, len(text), heading_marks(text, 0, len(text)))


def field_lines(text: str) -> str:
    """Front matter lines as a person writes fields: `title: "A B"` as `Title: A B`, a list's `- ` left out."""
    lines = []
    for line in text.split("\n"):
        found = _FIELD.match(line)
        if found:
            key, value = found.groups()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                value = value[1:-1]
            line = f"{key[:1].upper()}{key[1:]}: {value}".rstrip()
        lines.append(line.strip())
    return "\n".join(line for line in lines if line)
