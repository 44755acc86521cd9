"""Quotes in citations and opened passages show text, not markup: no heading's `#`, no front matter's fences or YAML;
for display only, the citation's quote and span staying the file's exact text."""

from __future__ import annotations

import html
import re

import pytest

from assistant import Answer, Citation, Provenance
from tests.conftest import one_document_bot
from ui.assistant_pool import AssistantPool
from ui.chat_tab import EXTRAS_MARKER, answer_markdown, respond
from ui.sources_panel import Excerpt, cited_excerpts, citation_html

SOURCE = "library.md"
PAGE = """---
title: "Town library reopens"
author: Jane Roe
date: 2024-05-02
---
# Town library reopens after renovation

The town library reopened on Monday after a two-year renovation.

## Costs
The project cost 4.8 million euros. The reading room now has 120 seats.

### Opening hours ###

The library opens at 9 am from Tuesday to Saturday.
"""


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    return one_document_bot(tmp_path_factory, SOURCE, PAGE)


def cite(quote: str, n: int = 1) -> Citation:
    start = PAGE.index(quote)
    return Citation(n=n, source=SOURCE, title="Town library reopens", quote=quote, start=start, end=start + len(quote))


def shown(note: str) -> tuple[str, str, str]:
    """The summary, the passage and its marked quote of a footnote, as a person reads them."""
    def text(fragment: str) -> str:
        return html.unescape(re.sub(r"<[^>]+>", "", fragment.replace("<br>", "\n")))

    summary = re.search(r"<summary>(.*?)</summary>", note).group(1)
    passage = re.search(r'<div class="passage">(.*?)</div>', note).group(1)
    return text(summary), text(passage), text(re.search(r"<mark>(.*?)</mark>", passage).group(1))


def no_markup(text: str) -> bool:
    return not re.search(r"(^|\n)\s*#|#\s*($|\n)|---|\b(title|author|date): ", text)


@pytest.mark.parametrize("quote, marked, passage", [
    ("# Town library reopens after renovation", "Town library reopens after renovation",
     "Town library reopens after renovation"),
    ("The project cost 4.8 million euros.", "The project cost 4.8 million euros.",
     "Costs\nThe project cost 4.8 million euros. The reading room now has 120 seats."),
    ("### Opening hours ###", "Opening hours", "Opening hours"),
    ('title: "Town library reopens"', "Title: Town library reopens", "Title: Town library reopens"),
    ("author: Jane Roe", "Author: Jane Roe", "Author: Jane Roe"),
])
def test_a_passage_opened_from_the_index_shows_words_not_markup(bot, quote, marked, passage):
    citation = cite(quote)
    excerpts = cited_excerpts(bot.index(), [citation])
    summary, body, mark = shown(citation_html(citation, excerpts[1]))
    assert (mark, body) == (marked, passage)
    assert marked in summary and no_markup(summary + body), (summary, body)
    assert PAGE[citation.start : citation.end] == citation.quote == quote, "the citation itself is left exact"
    assert citation_html(citation, excerpts[1]) == citation_html(citation, Excerpt(PAGE)), \
        "a passage drawn from the whole file (the What if tab) shows the same"


def test_the_headline_after_the_front_matter_is_shown_without_it():
    citation = cite("# Town library reopens after renovation")
    whole_paragraph = PAGE.replace("\n\nThe town library", "\nThe town library")  # no blank line: one paragraph
    note = citation_html(citation, Excerpt(whole_paragraph))
    summary, body, mark = shown(note)
    assert mark == "Town library reopens after renovation"
    assert body == "Town library reopens after renovation\nThe town library reopened on Monday after a two-year " \
                   "renovation."
    assert no_markup(summary + body)


def test_an_answer_that_opens_on_a_heading_is_not_drawn_as_one(bot):
    heading = cite("# Town library reopens after renovation")
    answer = Answer(question="q", text=f"{heading.quote}. [1] The town library reopened on Monday. [2]",
                    citations=[heading], provenance=Provenance(backend="extractive"))
    message = answer_markdown(answer, cited_excerpts(bot.index(), [heading]))
    assert message.startswith("Town library reopens after renovation. [1] The town library reopened")
    assert answer.text.startswith("# Town"), "the answer itself is left as it is"


@pytest.mark.parametrize("question", [
    "What does the document say about the library renovation?", "What is the title?", "Who is the author?",
    "How much did the renovation cost?", "When does the library open?",
])
def test_chat_answers_about_a_page_with_front_matter_and_headings_show_no_markup(bot, question):
    (message,) = list(respond(AssistantPool(bot), question, [], "extractive", 5))[-1]
    text, _, extras = message["content"].partition(EXTRAS_MARKER)
    assert not re.search(r"(^|\n)\s*#", text), text
    for note in re.findall(r"<details.*?</details>", extras):
        summary, body, _ = shown(note)
        assert no_markup(summary + body), (question, summary, body)
    answer = bot.ask(question)
    assert all(PAGE[c.start : c.end] == c.quote for c in answer.citations), "quotes stay exact spans of the file"
