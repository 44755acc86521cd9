"""What a line of a text is: the patterns lines are told apart by (fences, headings, list markers, tables,
`Key: value` fields, directives) and how lines relate (a wrap inside a paragraph, a title over its text, the width
a text is filled to, a page's running header or footer). `segmentation.py` reads a text's blocks with them."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from assistant.ingest.units import TextUnit, fold

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
ATX = re.compile(r"^ {0,3}#{1,6}(\s|$)|^\*{2,}\s+\S")  # "## Title"; an outline's "** Title"
ADORNMENT = re.compile(r"^\s*([=\-~^\"'`*+#:._])\1{2,}\s*$")
_SYMBOL = r"[-*+•◦▪‣●–]|o(?=\s)"
MARKER = re.compile(rf"^\s*({_SYMBOL}|\d{{1,3}}(?:\.\d{{1,3}})*[.)]?(?=\s)|\(\d{{1,3}}\)|\([a-zA-Z]\)|[a-zA-Z][.)]|"
                    r"\([ivxlcIVXLC]{1,6}\)|[ivxIVX]{1,5}[.)])\s+(?=\S)")
DASH_CONTINUATION = re.compile(r"^\s*[-–—]{1,2}\s+[a-z]")
SYMBOL_MARKER = re.compile(rf"^\s*({_SYMBOL})\s+")
NUMBERED = re.compile(r"^\s*\d")
# "Section 1 -- Definitions.", "Article 7. Term", "§ 4 Fees": a numbered part of a text heads it, full stop or not.
SECTION_NUMBER = re.compile(r"^\s*(section|article|chapter|part|appendix|annex|schedule|clause|§)\s+[\w.]+\b",
                            re.IGNORECASE)
CODE_LIKE = re.compile(r"[=;{}<>$\\|`]|^\s*#|\w\(|::|->|&&|^\s*[\w.-]+\s*$")
PROMPT = re.compile(r"^\s*(\$|%|>>>|\.\.\.|C:\\>)\s")  # a shell or interpreter prompt: the line is a command
# "Source: ...", "Employees: 201-500", "Subject: ...": a key of a few words, a colon, a value.
FIELD_LINE = re.compile(r"^\s*[A-Z][\w()/&'’.-]*(?: [\w()/&'’.-]+){0,4}:\s+\S")
LONE_FIELD = re.compile(r"^\s*[A-Z][\w()/&'’.-]*(?: [\w()/&'’.-]+)?:\s+\S")  # alone, only a short key counts
DIRECTIVE = re.compile(r"^\s*\.\.(?:\s+([\w-]+)::.*|\s*)$")  # ".. list-table::", ".. note::", ".." (a comment)
DIRECTIVE_OPTION = re.compile(r"^\s+:[\w -]+:")
LIST_TABLE_ROW = re.compile(r"^\s*\*\s")
PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
PIPE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
GRID_RULE = re.compile(r"^\s*\+([-=]+\+)+\s*$")
SIMPLE_RULE = re.compile(r"^\s*={2,}(\s+={2,})+\s*$")
COLUMN_GAP = re.compile(r"\S {3,}\S")
DOT_LEADER = re.compile(r"\.{4,}|(?:\s\.){3,}")  # a table of contents: "Introduction ....... 2"
TERMINAL = re.compile(r"[.!?:;,]['\"”’)\]]*$")
_DIGITS = re.compile(r"\d+")
# A title does not end on a word that needs another after it: "... in the" is a wrapped line, not a heading.
_OPEN_ENDED = frozenset("""a an the of in on at to for with by from into onto upon over under about and or but nor
    as than that which who whom whose if when while because not no is are was were be been being will would can could
    may might shall should must has have had do does did its their his her our your my this these those""".split())

MAX_HEADING_WORDS = 12
MAX_HEADING_CHARS = 90
MAX_WRAP_WIDTH = 110  # wider lines are paragraphs on one line, not a fill column
FULL_LINE = 0.6  # a wrapped line this full (of the wrap width) continues on the next; a shorter one ends there
TITLE_LINE = 0.85  # a line this short of the width, unpunctuated, before a capital, is a title above its text
MIN_WRAPPED_LINES = 5
MIN_BLOCK_WIDTH = 50
FURNITURE_REPEATS = 3  # a line next to this many page breaks (numbers aside) is a running header or footer
PAGE_EDGE = 3  # lines either side of a form feed where headers and footers sit


@dataclass(frozen=True)
class Line:
    """One line of a text, without its line break: `text == source[start:end]` (a "\r" before the break
    dropped)."""

    text: str
    start: int
    end: int

    @property
    def blank(self) -> bool:
        return not self.text.strip()

    @property
    def indent(self) -> int:
        return len(self.text) - len(self.text.lstrip())

    @property
    def length(self) -> int:
        return len(self.text.rstrip())


def split_lines(text: str, start: int, end: int) -> list[Line]:
    """The lines of `text[start:end]`, blank ones included, with their offsets into `text`."""
    rows, pos = [], start
    for raw in text[start:end].split("\n"):
        rows.append(Line(raw.rstrip("\r"), pos, pos + len(raw.rstrip("\r"))))
        pos += len(raw) + 1
    return rows


def block_at(lines: list[Line], i: int) -> list[Line]:
    """The lines from `i` up to the next blank line."""
    j = i
    while j < len(lines) and not lines[j].blank:
        j += 1
    return lines[i:j]


def furniture_key(text: str) -> str:
    """A line as a running header or footer is known by on every page: numbers aside."""
    return _DIGITS.sub("#", fold(text))


def furniture_keys(lines: list[Line]) -> set[str]:
    """Running headers and footers: short lines standing alone next to a page break (a form feed), seen on three
    pages or more, numbers aside ("RFC 3339 ... July 2002", "Klyne, et. al. ... [Page 4]")."""
    breaks = [i for i, line in enumerate(lines) if "\f" in line.text]
    near = {j for i in breaks for j in range(i - PAGE_EDGE, i + PAGE_EDGE + 1)}
    counts = Counter(furniture_key(lines[i].text) for i in sorted(near) if 0 <= i < len(lines) and not lines[i].blank
                     and lines[i].length <= MAX_WRAP_WIDTH)
    return {key for key, n in counts.items() if n >= FURNITURE_REPEATS}


def wrap_width(lines: list[Line]) -> int | None:
    """The width a hard-wrapped text is filled to, or None when its lines run on (one line a paragraph).

    Hard-wrapped text has most of its lines near one width (72, 80 characters); text that is not has lines as long
    as its paragraphs, and short lines for titles and lists.
    """
    lengths = sorted(line.length for line in lines if not line.blank)
    if len(lengths) < MIN_WRAPPED_LINES:
        return None
    width = lengths[int(0.9 * (len(lengths) - 1))]
    full = sum(width * FULL_LINE <= n <= width for n in lengths)
    return width if width <= MAX_WRAP_WIDTH and full >= MIN_WRAPPED_LINES else None


def block_width(block: list[Line]) -> int | None:
    """The fill width of one block in a text not wrapped throughout, if this block is: every line but the last
    is near its longest."""
    if len(block) < 2:
        return None
    width = max(line.length for line in block)
    full = all(line.length >= width * FULL_LINE for line in block[:-1])
    return width if MIN_BLOCK_WIDTH <= width <= MAX_WRAP_WIDTH and full else None


def wraps(line: Line, nxt: Line, width: int | None) -> bool:
    """Whether the break between two lines is a wrap inside a paragraph: the next line goes on with a small letter,
    the line ends on a comma or a word that needs another, or the text is wrapped, the line is full, and it is no
    title over the text below (short, unpunctuated, before a capital)."""
    first = nxt.text.lstrip()[:1]
    last = line.text.rstrip()
    if first.islower() or last.endswith(",") or last.split()[-1].lower() in _OPEN_ENDED:
        return True
    if width is None or line.length < width * FULL_LINE:
        return False
    title = line.length < width * TITLE_LINE and is_title(line.text) and nxt.text.lstrip()[:1].isupper()
    return not title


def is_title(text: str) -> bool:
    """A short line that opens with a capital or a number, has no sentence punctuation at its end, does not end on
    a word that needs another, and is no `Key: value` field."""
    stripped = text.strip()
    words = stripped.split()
    return (len(stripped) <= MAX_HEADING_CHARS and 0 < len(words) <= MAX_HEADING_WORDS
            and (stripped[0].isupper() or stripped[0].isdigit() or ATX.match(stripped) is not None)
            and any(ch.isalpha() for ch in stripped) and not TERMINAL.search(stripped)
            and not LONE_FIELD.match(stripped) and words[-1].lower() not in _OPEN_ENDED)


def line_unit(line: Line, kind: str) -> TextUnit:
    """One line as a unit of `kind`: its text without the white space around it."""
    return TextUnit(line.start + line.indent, line.start + line.length, kind)
