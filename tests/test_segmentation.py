"""Reading text as a person reads it: blocks, sentences, exact spans."""

from pathlib import Path

import pytest

from assistant.ingest.corpus import read_text
from assistant.ingest.segmentation import CODE, FIELD, HEADING, ITEM, ROW, SENTENCE, fold, read_units

from tests.conftest import REPO

SUITE = REPO / "evals" / "corpora"

WRAPPED_RELEASE = """\
WASHINGTON - The U.S. Department of Commerce today announced a grant of
$3.5 million to Acme Inc. of Springfield, e.g. for research under Sec.
4 of the Act. The grant was awarded on March 3, 2024, after a review by
the agency's panel. It runs for two years.

The program, which began in 2019, has funded 42 projects in 17 states so
far. Applications for the next round open in June.
"""


def units_of(text):
    return [(u.kind, fold(text[u.start : u.end])) for u in read_units(text)]


def test_wrapped_lines_are_one_sentence_and_abbreviations_do_not_end_one():
    assert units_of(WRAPPED_RELEASE) == [
        (SENTENCE, "WASHINGTON - The U.S. Department of Commerce today announced a grant of $3.5 million to Acme "
                   "Inc. of Springfield, e.g. for research under Sec. 4 of the Act."),
        (SENTENCE, "The grant was awarded on March 3, 2024, after a review by the agency's panel."),
        (SENTENCE, "It runs for two years."),
        (SENTENCE, "The program, which began in 2019, has funded 42 projects in 17 states so far."),
        (SENTENCE, "Applications for the next round open in June."),
    ]


def test_a_wrapped_sentence_span_is_exact_and_keeps_its_line_breaks():
    first = read_units(WRAPPED_RELEASE)[0]
    quote = WRAPPED_RELEASE[first.start : first.end]
    assert quote.startswith("WASHINGTON") and quote.endswith("of the Act.")
    assert "\n" in quote


def test_lines_that_run_on_are_units_of_their_own():
    text = "January 24, 2025, 4:42 am\nOpenAI\nLocation: United States, Texas, Austin\nEmployees: 1-10\n" \
           "In the ever-evolving landscape of AI, partnerships can be volatile. Microsoft and OpenAI are changing.\n"
    assert units_of(text) == [
        (SENTENCE, "January 24, 2025, 4:42 am"),
        (SENTENCE, "OpenAI"),
        (FIELD, "Location: United States, Texas, Austin"),
        (FIELD, "Employees: 1-10"),
        (SENTENCE, "In the ever-evolving landscape of AI, partnerships can be volatile."),
        (SENTENCE, "Microsoft and OpenAI are changing."),
    ]


MARKDOWN = """\
---
title: "Leave types"
source: handbook
---
# Leave

Annual leave accrues every pay period:

- Fewer than 3 years: 4 hours per pay period
- Between 3 and 15 years: 6 hours per pay period. It is
  capped at 240 hours.

1. Ask your supervisor.
2. Record it.

| Type | Days |
|------|------|
| Court | 5 |

```bash
git log --oneline
git push
```

Setext title
============
Text after it.
"""


def test_markdown_blocks_are_read_by_kind():
    assert units_of(MARKDOWN) == [
        (FIELD, 'title: "Leave types"'),
        (FIELD, "source: handbook"),
        (HEADING, "# Leave"),
        (SENTENCE, "Annual leave accrues every pay period:"),
        (ITEM, "Fewer than 3 years: 4 hours per pay period"),
        (ITEM, "Between 3 and 15 years: 6 hours per pay period."),
        (ITEM, "It is capped at 240 hours."),
        (ITEM, "1. Ask your supervisor."),
        (ITEM, "2. Record it."),
        (ROW, "| Type | Days |"),
        (ROW, "| Court | 5 |"),
        (CODE, "git log --oneline git push"),
        (HEADING, "Setext title"),
        (SENTENCE, "Text after it."),
    ]


def test_a_code_block_keeps_its_lines():
    code = next(u for u in read_units(MARKDOWN) if u.kind == CODE)
    assert MARKDOWN[code.start : code.end] == "git log --oneline\ngit push"


RFC_PAGE = """\
Network Working Group                                           G. Klyne
Request for Comments: 3339                        Clearswift Corporation
Category: Standards Track                                      C. Newman
                                                        Sun Microsystems
                                                               July 2002

1.  Introduction

   Date and time formats cause a lot of confusion and interoperability
   problems on the Internet.  This document addresses many of the
   problems encountered.

   This limited consideration has the following consequences:

      o  All dates and times are assumed to be in the "current era",
         somewhere between 0000AD and 9999AD.

      o  Date and time expressions indicate an instant in time.



Klyne, et. al.              Standards Track                     [Page 2]
\f
RFC 3339           Date and Time on the Internet: Timestamps   July 2002


   The maximum value varies based on the month and year as follows:

      Month Number  Month/Year           Maximum value of date-mday
      ------------  ----------           --------------------------
      01            January              31
      02            February, normal     28

   Run the check with:

      $ make check
      $ make install

Klyne, et. al.              Standards Track                     [Page 3]
\f
RFC 3339           Date and Time on the Internet: Timestamps   July 2002

Klyne, et. al.              Standards Track                     [Page 4]
\f
RFC 3339           Date and Time on the Internet: Timestamps   July 2002
"""


def test_a_plain_text_standard_reads_as_headings_items_rows_and_code_without_page_furniture():
    units = units_of(RFC_PAGE)
    assert units[:5] == [(ROW, "Network Working Group G. Klyne"), (ROW, "Request for Comments: 3339 Clearswift Corporation"),
                         (ROW, "Category: Standards Track C. Newman"), (ROW, "Sun Microsystems"), (ROW, "July 2002")]
    assert (HEADING, "1. Introduction") in units
    assert (SENTENCE, "Date and time formats cause a lot of confusion and interoperability problems on the Internet.") in units
    assert (ITEM, 'All dates and times are assumed to be in the "current era", somewhere between 0000AD and 9999AD.') in units
    assert (ROW, "02 February, normal 28") in units
    assert (CODE, "$ make check $ make install") in units
    assert not any("[Page" in text or "RFC 3339" in text for _, text in units)


def test_a_question_and_a_long_value_under_a_key_are_sentences_not_fields():
    text = "Q: What do the letters XZ mean?\n\nA: Nothing. They are just two letters.\n"
    assert units_of(text) == [(SENTENCE, "Q: What do the letters XZ mean?"), (SENTENCE, "A: Nothing."),
                              (SENTENCE, "They are just two letters.")]


def test_a_lone_metadata_line_at_the_top_is_a_field():
    text = "Source: The Agency\n\nThe agency announced a grant today. It is large.\n"
    assert units_of(text)[0] == (FIELD, "Source: The Agency")


def test_a_title_with_a_colon_is_not_a_field():
    text = "Microsoft and OpenAI: A New Chapter in Their Partnership\n\nThe partnership changed.\n"
    assert units_of(text)[0] == (HEADING, "Microsoft and OpenAI: A New Chapter in Their Partnership")


@pytest.mark.parametrize("path", sorted(p for p in SUITE.glob("*/corpus/*") if p.is_file()), ids=lambda p: p.parent.parent.name)
def test_every_unit_of_every_suite_document_is_an_exact_trimmed_span_in_order(path: Path):
    text = read_text(path)
    units = read_units(text)
    assert units
    previous_end = 0
    for unit in units:
        piece = text[unit.start : unit.end]
        assert piece and piece == piece.strip()
        assert unit.start >= previous_end
        previous_end = unit.end


RECORDS_FRONT_MATTER = """\
---
title: Widget
tags:
  - tool
  - cli
# one entry per release; a comment is nothing to read
releases:
  - version: "2.0"
    codename: "Brisk Badger"
    released: 2024-04-25

  - version: "1.0"
    codename: "Calm Cat"
    released: 2022-04-21
---
Widget is a small tool.
"""


def test_yaml_front_matter_gives_a_field_per_key_and_a_unit_per_listed_record():
    assert units_of(RECORDS_FRONT_MATTER) == [
        (FIELD, "title: Widget"),
        (FIELD, "tags: - tool - cli"),
        (ITEM, 'version: "2.0" codename: "Brisk Badger" released: 2024-04-25'),
        (ITEM, 'version: "1.0" codename: "Calm Cat" released: 2022-04-21'),
        (SENTENCE, "Widget is a small tool."),
    ]


def test_front_matter_longer_than_a_page_is_read_whole():
    entries = "".join(f"  - version: \"{n}.0\"\n    released: 20{n:02d}-01-01\n" for n in range(150))
    text = f"---\ntitle: Many\nreleases:\n{entries}---\nThe body.\n"
    units = units_of(text)
    assert units[-1] == (SENTENCE, "The body.")
    assert sum(kind == ITEM for kind, _ in units) == 150


def test_front_matter_yaml_cannot_read_is_read_as_key_value_lines():
    assert units_of("---\ntitle: Notes: week 1\nauthor: Sam\n---\nBody text here.\n") == [
        (FIELD, "title: Notes: week 1"), (FIELD, "author: Sam"), (SENTENCE, "Body text here.")]
