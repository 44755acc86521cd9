"""A document's outline: heading depths from their markup, and each section named by the headings above it."""

from pathlib import Path

from assistant.ingest.corpus import parse_document
from assistant.ingest.outline import heading_paths, heading_style

NEWS = """GNU frobnicate NEWS

* Noteworthy changes in release 3.4 (2016-08-08) [stable]

** New features

  frob accepts a new option, --color.

** Performance changes

  The default algorithm was last tweaked in release 2.6 (1993).

* Noteworthy changes in release 3.3 (2013-03-24) [stable]

** Performance changes

  Sorting is now faster.
"""

RST = """Governance
==========

Specification
-------------

The council
~~~~~~~~~~~
The council has five members.

Term
~~~~
A term lasts one release.

History
-------
It was adopted in 2018.
"""


def outlines(text: str, name: str = "doc.txt") -> list[str]:
    return [s.outline for s in parse_document(name, Path(name), text).sections]


def test_each_markup_says_how_deep_a_heading_is():
    assert heading_style("## Terms") == ("atx", 2)
    assert heading_style("** Bug fixes") == ("stars", 2)
    assert heading_style("4.1. Coordinated Universal Time") == ("number", 2)
    assert heading_style("Section 7 -- Other Terms") == ("number", 1)
    assert heading_style("Term", line_after="~~~~") == ("underline", "~")
    assert heading_style("Title", line_after="=====", line_before="=====") == ("underline", "=o")
    assert heading_style("Usage", line_after="") == ("plain", 0)


def test_an_underline_right_above_is_the_last_headings_not_an_overline():
    assert heading_style("The council", line_after="~~~~~~", line_before="------") == ("underline", "~")


def test_a_heading_sits_under_the_nearest_shallower_one():
    styles = [("number", 1), ("number", 2), ("number", 2), ("number", 1), ("plain", 0)]
    names = ["4. Local Time", "4.1. UTC", "4.2. Offsets", "5. Formats", "Examples"]
    assert heading_paths(names, styles) == [
        ["4. Local Time"], ["4. Local Time", "4.1. UTC"], ["4. Local Time", "4.2. Offsets"], ["5. Formats"],
        ["5. Formats", "Examples"],  # no mark says how deep: under the last heading that said
    ]


def test_underline_styles_nest_in_the_order_they_first_appear():
    assert outlines(RST, "doc.rst") == [
        "Specification › The council", "Specification › Term", "History",  # "Governance" is the title
    ]


def test_an_outline_places_each_part_under_its_release():
    assert outlines(NEWS) == [
        "",  # the title, and the first release's line: a list item, read as text, though it heads what follows
        "Noteworthy changes in release 3.4 (2016-08-08) [stable] › New features",
        "Noteworthy changes in release 3.4 (2016-08-08) [stable] › Performance changes",
        "Noteworthy changes in release 3.3 (2013-03-24) [stable] › Performance changes",
    ]


def test_a_starred_line_heads_nothing_outside_an_outline():
    assert outlines("# Notes\n\n## Items\n\n* First item\n\n* Second item\n\n## Later\n\nText.\n") == ["Items", "Later"]
