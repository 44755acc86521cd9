"""A document's outline: how deep each heading sits, and the path of headings above each part of the text.

"Noteworthy changes in release 3.4 › Performance changes" says what a part is about where its own heading
("Performance changes", one of a dozen alike) does not. A heading's depth is read from its markup, in the ways
plain-text documents mark it: `#` signs (Markdown), leading stars (an Emacs outline, as GNU NEWS files are
written), the parts of a section number ("4.1."), or the character a title is underlined with (reStructuredText
and setext, deeper in the order each style first appears). A heading with no such mark sits under the last
marked one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:\s|$)")
_STARS = re.compile(r"^(\*+)\s+\S")
_SECTION_NUMBER = re.compile(r"^\s*(?:(?:section|chapter|part|appendix|annex)\s+)?(\d{1,3}(?:\.\d{1,3})*)\.?(?:\s|$)",
                             re.IGNORECASE)
_UNDERLINE = re.compile(r"^\s*([=\-~^\"'`*+#:._])\1{2,}\s*$")

Style = tuple[str, int | str]  # ("atx", 2), ("stars", 1), ("number", 2), ("underline", "="), or ("plain", 0)


def heading_style(heading: str, line_after: str = "", line_before: str = "") -> Style:
    """How a heading line is marked; `line_after` and `line_before` are the lines around it (an underline and
    an overline are part of the mark)."""
    if m := _ATX.match(heading):
        return "atx", len(m.group(1))
    if m := _STARS.match(heading):
        return "stars", len(m.group(1))
    if m := _UNDERLINE.match(line_after):
        over = _UNDERLINE.match(line_before)  # the same character above and below: an overlined title
        return "underline", m.group(1) + ("o" if over and over.group(1) == m.group(1) else "")
    if m := _SECTION_NUMBER.match(heading):
        return "number", m.group(1).count(".") + 1
    return "plain", 0


def heading_paths(names: Sequence[str], styles: Sequence[Style]) -> list[list[str]]:
    """For each heading, the names of the headings above it and its own, outermost first."""
    underlines: list[str] = []  # underline styles in the order they first appear: the first is the outermost
    stack: list[tuple[int, str]] = []  # (depth, name) of the headings the current one is under
    last_marked = 0
    paths = []
    for name, (kind, mark) in zip(names, styles):
        if kind == "underline":
            if mark not in underlines:
                underlines.append(str(mark))
            depth = underlines.index(str(mark)) + 1
        elif kind == "plain":
            depth = last_marked + 1  # no mark says how deep: it sits under the last heading that said
        else:
            depth = int(mark)
        if kind != "plain":
            last_marked = depth
        while stack and stack[-1][0] >= depth:
            stack.pop()
        stack.append((depth, name))
        paths.append([n for _, n in stack])
    return paths
