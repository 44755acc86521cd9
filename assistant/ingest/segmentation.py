"""Reading a text as a person reads it: blocks first, then sentences, each an exact span of the text.

A text is cut into blocks by its layout: front matter and `Key: value` fields, headings (markdown, setext,
reStructuredText, or a short line standing alone), list items, table rows, code blocks, and paragraphs. Lines
wrapped inside a paragraph or a list item belong together; the joined text is cut into sentences by sentencex, a
rule-based segmenter that knows abbreviations ("U.S.", "Inc.", "e.g.", "Sec. 4"), and each sentence is mapped
back to its exact span of the original text, line breaks included. Page furniture (a running header or footer
repeated on every page) is not read at all.

The unit kinds and `TextUnit` are defined in `units.py`, what a line is in `lines.py`; every name a caller
needs is imported from here.
"""

from __future__ import annotations

from assistant.ingest.front_matter import read_front_matter
from assistant.ingest.lines import (
    ADORNMENT, ATX, CODE_LIKE, COLUMN_GAP, DASH_CONTINUATION, DIRECTIVE, DIRECTIVE_OPTION, DOT_LEADER, FENCE,
    FIELD_LINE, GRID_RULE, LIST_TABLE_ROW, LONE_FIELD, MARKER, MAX_HEADING_WORDS, NUMBERED, PIPE_ROW, PIPE_RULE, PROMPT,
    SECTION_NUMBER, SIMPLE_RULE, SYMBOL_MARKER, TERMINAL, Line, block_at, block_width, furniture_key, furniture_keys,
    is_title, line_unit, split_lines, wrap_width, wraps)
from assistant.ingest.units import (
    CODE, FIELD, HEADING, ITEM, KINDS, ROW, SENTENCE, TextUnit, field_key, fold, is_lead_in, table_cells)

__all__ = ["CODE", "FIELD", "HEADING", "ITEM", "KINDS", "ROW", "SENTENCE", "TextUnit", "field_key", "fold",
           "is_lead_in", "read_units", "sentence_split", "table_cells"]

HEADER_LINES = 40  # `Key: value` lines this near the top are the document's metadata, even alone
MAX_FIELD_WORDS = 16  # a longer value ("Abstract: Imagine that ...") or a sentence is text to read, not a field
CODE_INDENT = 2  # an indented block after a lead-in is code when indented at least this much deeper
CODE_SHARE = 0.5  # ...when at least this share of its lines look like code (symbols, calls, one bare word)
TABLE_SHARE = 0.6  # a block with this share of its lines in columns (or dot leaders) is a table, a row a line


def read_units(text: str, start: int = 0, end: int | None = None) -> list[TextUnit]:
    """The units of `text[start:end]`, in order, with exact offsets into `text`."""
    return _BlockReader(text, start, len(text) if end is None else end).read()


def sentence_split(text: str, start: int, end: int, kind: str = SENTENCE) -> list[TextUnit]:
    """The sentences of one block of wrapped lines, as units of `kind`, with exact offsets."""
    joined, offsets = _join_lines(text, start, end)
    spans: list[list[int]] = []  # [start, end) in `joined`
    cursor = 0
    for piece in _segment(joined) if joined else []:
        body = piece.strip()
        if not body:
            continue
        found = joined.find(body, cursor)
        if found < 0:  # the segmenter changed the text: keep the rest whole rather than misplace it
            found, body = cursor, joined[cursor:].strip()
        if spans and found == spans[-1][1]:
            spans[-1][1] = found + len(body)  # cut inside a word ("vX.Y." | "Z"): no sentence ends there
        else:
            spans.append([found, found + len(body)])
        cursor = found + len(body)
        if cursor >= len(joined.rstrip()):
            break
    return [TextUnit(offsets[a], offsets[b - 1] + 1, kind) for a, b in spans]


def _join_lines(text: str, start: int, end: int) -> tuple[str, list[int]]:
    """The lines of `text[start:end]` joined by single spaces, and the offset in `text` of each joined character."""
    joined: list[str] = []
    offsets: list[int] = []
    pos = start
    for raw in text[start:end].split("\n"):
        line_start = pos
        pos += len(raw) + 1
        stripped = raw.strip()
        if not stripped:
            continue
        if joined:
            joined.append(" ")
            offsets.append(offsets[-1] + 1)
        lead = line_start + len(raw) - len(raw.lstrip())
        joined.append(stripped)
        offsets.extend(range(lead, lead + len(stripped)))
    return "".join(joined), offsets


def _segment(text: str) -> list[str]:
    # sentencex, chosen with evals/studies/segmenter_choice.py: boundary F1 0.972 on the suite's hand-cut paragraphs
    # (pysbd 0.926: it cut at ".xz", ".fd" and list markers; spaCy's parser 0.973 at 1/1000 of the speed).
    import sentencex

    return list(sentencex.segment("en", text))


class _BlockReader:
    """One pass over the lines of a text, block by block."""

    def __init__(self, text: str, start: int, end: int):
        self.text = text
        self.lines = split_lines(text, start, end)
        self.units: list[TextUnit] = []
        self.width = wrap_width(self.lines)
        self.furniture = furniture_keys(self.lines)
        self.at_top = start == 0

    def read(self) -> list[TextUnit]:
        i = self._front_matter() if self.at_top else 0
        in_header = True  # before the first paragraph of prose, lone `Key: value` lines are metadata
        while i < len(self.lines):
            line = self.lines[i]
            if line.blank or self._stands_alone(i) and (ADORNMENT.match(line.text)
                                                        or furniture_key(line.text) in self.furniture
                                                        or not any(ch.isalpha() for ch in line.text)):
                i += 1  # a rule between parts, a page number, a page's running header or footer: nothing to read
                continue
            taken = (self._directive(i) or self._code(i) or self._table(i) or self._heading(i)
                     or self._fields(i, in_header and i < HEADER_LINES) or self._item(i))
            if not taken:
                taken = self._paragraph(i)
                in_header = False
            i += taken
        return self.units

    # -- blocks -----------------------------------------------------------------------------

    def _front_matter(self) -> int:
        """YAML front matter (`---` ... `---` at the very top): each top-level `key: value` a field, each entry of
        a list of records one item."""
        found = read_front_matter(self.text)
        if not found.end:
            return 0
        taken = [TextUnit(a, b, FIELD) for a, b in found.fields_at] + [TextUnit(a, b, ITEM) for a, b in found.entries_at]
        last = self.lines[-1].end if self.lines else 0
        self.units += sorted((u for u in taken if u.end <= last), key=lambda u: u.start)
        return next((i for i, line in enumerate(self.lines) if line.start >= found.end), len(self.lines))

    def _code(self, i: int) -> int:
        """A fenced code block, lines of commands at a prompt, or an indented block after a lead-in ending in ':'
        (reStructuredText's '::'): one unit."""
        lines = self.lines
        fence = FENCE.match(lines[i].text)
        if fence:
            marker = fence.group(1)[0] * 3
            j = i + 1
            while j < len(lines) and not lines[j].text.lstrip().startswith(marker):
                j += 1
            self._add_block(lines[i + 1 : j], CODE)
            return min(j + 1, len(lines)) - i
        block = block_at(lines, i)
        if all(PROMPT.match(line.text) for line in block):
            self._add_block(block, CODE)
            return len(block)
        if i == 0 or not lines[i - 1].blank or lines[i].indent == 0:
            return 0
        before = next((lines[j] for j in range(i - 1, -1, -1) if not lines[j].blank), None)
        if before is None or not before.text.rstrip().endswith(":") or lines[i].indent < before.indent + CODE_INDENT \
                or MARKER.match(lines[i].text):
            return 0  # an indented block is code after a lead-in ("Run:", reStructuredText's "::"), a list is not
        j = i
        while j < len(lines) and (lines[j].blank or lines[j].indent > before.indent):
            j += 1
        while j > i and lines[j - 1].blank:
            j -= 1
        body = [line for line in lines[i:j] if not line.blank]
        if sum(bool(CODE_LIKE.search(line.text)) for line in body) < CODE_SHARE * len(body):
            return 0  # an indented quotation: prose, read as such
        self._add_block(lines[i:j], CODE)
        return j - i

    def _directive(self, i: int) -> int:
        """A reStructuredText directive or comment (`.. name::`, `..`): a list-table's rows are rows, a code
        directive's body is code, a comment is skipped; other directives' bodies are read as text."""
        match = DIRECTIVE.match(self.lines[i].text)
        if not match:
            return 0
        lines = self.lines
        j = i + 1
        while j < len(lines) and DIRECTIVE_OPTION.match(lines[j].text):
            j += 1  # ":header-rows: 1"
        name = (match.group(1) or "").lower()
        if name not in ("list-table", "code", "code-block", "sourcecode", "") :
            return j - i  # note, warning, image...: its indented body follows as text
        k = j
        while k < len(lines) and (lines[k].blank or lines[k].indent > lines[i].indent):
            k += 1
        body = lines[j:k]
        if name == "list-table":
            rows = [n for n, line in enumerate(body) if LIST_TABLE_ROW.match(line.text)]
            for a, b in zip(rows, rows[1:] + [len(body)]):
                self._add_block(body[a:b], ROW)
        elif name:
            self._add_block(body, CODE)
        return k - i

    def _table(self, i: int) -> int:
        """A table: markdown pipes, a reStructuredText grid or simple table, or columns aligned by spaces."""
        lines = self.lines
        line = lines[i]
        if GRID_RULE.match(line.text):
            return self._grid_table(i)
        if SIMPLE_RULE.match(line.text):
            return self._simple_table(i)
        if PIPE_ROW.match(line.text) and i + 1 < len(lines) and (
                PIPE_RULE.match(lines[i + 1].text) or PIPE_ROW.match(lines[i + 1].text)):
            j = i
            while j < len(lines) and PIPE_ROW.match(lines[j].text):
                if not PIPE_RULE.match(lines[j].text):
                    self.units.append(line_unit(lines[j], ROW))
                j += 1
            return j - i
        block = block_at(lines, i)
        if len(block) < 2:
            return 0
        needed = TABLE_SHARE * len(block)
        aligned = misses = 0
        for b in block:  # stops at the first line too many that is not aligned: most blocks are prose
            if COLUMN_GAP.search(b.text.strip()) or DOT_LEADER.search(b.text):
                aligned += 1
            else:
                misses += 1
                if misses > len(block) - needed:
                    break
        if aligned >= needed:
            self.units += [line_unit(b, ROW) for b in block]
            return len(block)
        return 0

    def _grid_table(self, i: int) -> int:
        """Rows between `+---+` rules; a row's cells may wrap over several lines, which stay one unit."""
        lines = self.lines
        j = i + 1
        row: list[Line] = []
        while j < len(lines) and lines[j].text.lstrip().startswith(("|", "+")):
            if GRID_RULE.match(lines[j].text):
                self._add_block(row, ROW)
                row = []
            else:
                row.append(lines[j])
            j += 1
        self._add_block(row, ROW)
        return j - i

    def _simple_table(self, i: int) -> int:
        """A reStructuredText simple table: `=== ===` rules around a header and rows, one row a line."""
        lines = self.lines
        j = i + 1
        rules = 1
        while j < len(lines) and rules < 3:
            if SIMPLE_RULE.match(lines[j].text):
                rules += 1
            elif not lines[j].blank and not ADORNMENT.match(lines[j].text):
                self.units.append(line_unit(lines[j], ROW))
            j += 1
        return j - i

    def _heading(self, i: int) -> int:
        """A markdown heading, a setext or reStructuredText underlined title, or a short line standing alone."""
        lines = self.lines
        line = lines[i]
        if ATX.match(line.text):
            self.units.append(line_unit(line, HEADING))
            return 1
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if ADORNMENT.match(line.text) and nxt is not None and not nxt.blank and i + 2 < len(lines) \
                and ADORNMENT.match(lines[i + 2].text):  # an over- and underlined title
            self.units.append(line_unit(nxt, HEADING))
            return 3
        # A line of backticks (or an indented line of tildes, under a list item) opens a code block ("1. Create an
        # image" / "   ```"): it underlines nothing. An unindented "~~~~" is AsciiDoc's underline.
        fence = nxt is not None and FENCE.match(nxt.text) and (nxt.indent > 0 or nxt.text.lstrip().startswith("`"))
        if nxt is not None and ADORNMENT.match(nxt.text) and not fence and not ADORNMENT.match(line.text) \
                and is_title(line.text):
            self.units.append(line_unit(line, HEADING))
            return 2
        numbered = SECTION_NUMBER.match(line.text) and len(line.text.split()) <= MAX_HEADING_WORDS
        if self._stands_alone(i) and (is_title(line.text) and (not MARKER.match(line.text) or NUMBERED.match(line.text))
                                      or numbered):
            self.units.append(line_unit(line, HEADING))
            return 1
        return 0

    def _fields(self, i: int, header: bool) -> int:
        """`Key: value` lines: a run of two or more, or one alone near the top of the text (its metadata)."""
        lines = self.lines
        fields: list[list[Line]] = []
        j = i
        while j < len(lines) and FIELD_LINE.match(lines[j].text) and not MARKER.match(lines[j].text):
            fields.append([lines[j]])
            j += 1
            while j < len(lines) and not lines[j].blank and lines[j].indent > fields[-1][0].indent:
                fields[-1].append(lines[j])  # a value folded onto the next lines, as mail headers fold it
                j += 1
        lone = len(fields) == 1 and header and LONE_FIELD.match(lines[i].text) and (j == len(lines) or lines[j].blank)
        if len(fields) < 2 and not lone:
            return 0
        for field in fields:
            value = self.text[field[0].start : field[-1].end].split()
            if len(value) > MAX_FIELD_WORDS or value[-1].endswith((".", "?", "!")):  # "Abstract: ...", "Q: Why ...?"
                self.units += sentence_split(self.text, field[0].start, field[-1].end)  # a text under a key: read it
            else:
                self._add_block(field, FIELD)
        return j - i

    def _item(self, i: int) -> int:
        """A list item with its wrapped lines; it starts a list after a blank line, a lead-in ending in ':', or an
        item (a numbered line inside a paragraph is wrapped text: "... see section\\n3. It ...")."""
        lines = self.lines
        line = lines[i]
        marker = MARKER.match(line.text)
        if not marker or NUMBERED.match(line.text) and not self._list_may_start(i):
            return 0
        j = i + 1
        while j < len(lines) and not lines[j].blank and (
                self._dash_goes_on(j) or not self._starts_block(j) and not MARKER.match(lines[j].text)):
            j += 1
        body = sentence_split(self.text, line.start + marker.end(), lines[j - 1].end, ITEM)
        if body and not SYMBOL_MARKER.match(line.text):  # "a." and "1." stay with their item; "-" and "•" do not
            body[0] = TextUnit(line.start + line.indent, body[0].end, ITEM)
        self.units += body
        return j - i

    def _dash_goes_on(self, j: int) -> bool:
        """Whether a line opening with a dash continues the line above ("* *YY* is the minor version number" /
        "  - it is the short year number"): indented deeper, in small letters, after no full stop."""
        line, above = self.lines[j], self.lines[j - 1]
        dash = DASH_CONTINUATION.match(line.text)
        return bool(dash) and line.indent > above.indent and not TERMINAL.search(above.text.rstrip())

    def _list_may_start(self, i: int) -> bool:
        before = self.lines[i - 1] if i > 0 else None
        return before is None or before.blank or before.text.rstrip().endswith((":", ";")) \
            or bool(MARKER.match(before.text)) or self.lines[i].indent > before.indent

    def _paragraph(self, i: int) -> int:
        """Wrapped lines up to a blank line, a line break that is no wrap, or a block of another kind; cut into
        sentences. In wrapped text a short unpunctuated line standing on its own is a title."""
        lines = self.lines
        width = self.width or block_width(block_at(lines, i))
        j = i + 1
        while j < len(lines) and not lines[j].blank and wraps(lines[j - 1], lines[j], width) \
                and not self._starts_block(j):
            j += 1
        if j == i + 1 and width and is_title(lines[i].text):
            self.units.append(line_unit(lines[i], HEADING))
        else:
            self.units += sentence_split(self.text, lines[i].start, lines[j - 1].end)
        return j - i

    def _starts_block(self, j: int) -> bool:
        """Whether a line inside a paragraph begins a block of another kind (a fence, a heading, a list, a table)."""
        text = self.lines[j].text
        if FENCE.match(text) or ATX.match(text) or GRID_RULE.match(text) or PIPE_ROW.match(text):
            return True
        if FIELD_LINE.match(text) and j + 1 < len(self.lines) and FIELD_LINE.match(self.lines[j + 1].text):
            return True  # a run of fields ("Location: ...", "Employees: ...") under a line of text
        if not MARKER.match(text) or ADORNMENT.match(text):
            return False
        return not NUMBERED.match(text) or self.lines[j - 1].text.rstrip().endswith(":")

    def _stands_alone(self, i: int) -> bool:
        lines = self.lines
        before_ok = i == 0 or lines[i - 1].blank or lines[i - 1].text.strip() == "---"
        return before_ok and (i + 1 >= len(lines) or lines[i + 1].blank)

    def _add_block(self, block: list[Line], kind: str) -> None:
        """One unit from the first to the last non-blank line of a block."""
        body = [line for line in block if not line.blank]
        if body:
            self.units.append(TextUnit(body[0].start + body[0].indent, body[-1].start + body[-1].length, kind))
