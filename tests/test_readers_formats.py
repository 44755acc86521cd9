"""Word files and web pages, built here, read into text, ingested and answered with exact spans of that text; a
page's scripts, styles and navigation never reach the index or an answer; a file that cannot be converted is
named on one line and leaves nothing behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import Assistant
from assistant.ingest.corpus import SUPPORTED_SUFFIXES, read_text
from assistant.ingest.documents import DocumentError, add_document, safe_name
from assistant.ingest.markup import Block

# What the page holds besides its article: none of it may ever be indexed, quoted or answered.
BOILERPLATE = ["trackingPixel", "ad-slot", "font-family", "Subscribe today", "Sport desk", "We use cookies",
               "Related stories", "Tram line delayed", "All rights reserved", "Privacy policy", "dark-mode-toggle"]

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Harbour bridge reopens | Example News</title>
<style>.banner { color: red } body { font-family: sans-serif }</style>
<script>window.trackingPixel = function () { return "ad-slot-7"; }; var cfg = {theme: "dark-mode-toggle"};</script>
</head><body>
<div class="cookie-banner">We use cookies to improve your experience. Accept all cookies?</div>
<header><a href="/">Example News</a><nav><ul><li><a href="/world">World news</a></li>
<li><a href="/sport">Sport desk</a></li><li><a href="/subscribe">Subscribe today</a></li></ul></nav></header>
<main><article>
<h1>Harbour bridge reopens after two years of repairs</h1>
<p class="byline">By Dana Whitfield, 14 March 2025</p>
<p>The harbour bridge reopened to traffic on Monday after a <b>two-year</b> repair programme that cost
<a href="/money">48 million euros</a>. The city council said the works replaced all 212 steel cables.</p>
<p>Cyclists get a separate lane on the eastern side. Pedestrians keep the western walkway, which is now 3.5 metres
wide.</p>
<h2>Why the bridge closed</h2>
<p>Inspectors found corrosion in the main cables in January 2023. The bridge was closed to all traffic within a
week.</p>
<ul><li>Cars: open from 6:00 to 23:00.</li><li>Lorries over 12 tonnes: banned until June.</li></ul>
<h2>What comes next</h2>
<p>A second phase will repaint the towers in 2026. The council expects no further closures.</p>
</article></main>
<aside><h3>Related stories</h3><ul><li><a href="/x">Tram line delayed again</a></li></ul></aside>
<footer><p>© 2025 Example News. All rights reserved.</p><a href="/privacy">Privacy policy</a></footer>
<script>document.write("ad-slot-9");</script>
</body></html>"""


def write_docx(path: Path) -> Path:
    """A leave policy as Word writes one: a title, headings, a sentence split across runs, a list, a table, and a
    page header and footer."""
    import docx

    document = docx.Document()
    document.core_properties.author = "HR Team"
    document.sections[0].header.paragraphs[0].text = "CONFIDENTIAL DRAFT"
    document.sections[0].footer.paragraphs[0].text = "Page footer of the leave policy"
    document.add_heading("Leave policy", 0)
    document.add_heading("Annual leave", 1)
    paragraph = document.add_paragraph("Every employee gets ")
    paragraph.add_run("25 days").bold = True
    paragraph.add_run(" of annual leave a year. Unused days carry over until 31 March.")
    document.add_heading("Sick leave", 1)
    document.add_paragraph("Sick leave needs a doctor's note after three days.")
    document.add_paragraph("Call your manager before 9:00.", style="List Bullet")
    document.add_paragraph("Send the note to HR within a week.", style="List Bullet")
    document.add_heading("Other leave", 2)
    table = document.add_table(rows=3, cols=2)
    for r, (kind, days) in enumerate([("Kind", "Days"), ("Parental leave", "90"), ("Moving house", "1")]):
        table.cell(r, 0).text, table.cell(r, 1).text = kind, days
    document.add_paragraph("Questions go to the HR desk on the second floor.")
    document.save(path)
    return path


@pytest.fixture(scope="module")
def converted_bot(tmp_path_factory, session_cache) -> Assistant:
    """An extractive assistant over a Word file and a web page, and two files that cannot be converted."""
    corpus = tmp_path_factory.mktemp("converted-corpus")
    write_docx(corpus / "leave-policy.docx")
    (corpus / "bridge.html").write_text(PAGE, encoding="utf-8")
    (corpus / "broken.docx").write_bytes(b"PK\x03\x04 this is no zip package at all")
    (corpus / "menu-only.htm").write_text("<html><body><nav><a href='/'>Home</a> <a href='/a'>About</a></nav>"
                                          "<script>var x = 1;</script></body></html>", encoding="utf-8")
    bot = Assistant(corpus_dir=corpus, store_dir=tmp_path_factory.mktemp("converted-store"), cache_dir=session_cache,
                    backend="extractive")
    bot.report = bot.ingest()
    return bot


def test_word_and_web_pages_are_documents_the_corpus_and_the_upload_accept():
    assert {".docx", ".html", ".htm"} <= set(SUPPORTED_SUFFIXES)
    assert safe_name("Leave Policy.docx") == "Leave Policy.docx" and safe_name("page.HTM") == "page.HTM"
    from ui.documents_tab import UPLOAD_TYPES

    assert {".docx", ".html", ".htm"} <= set(UPLOAD_TYPES)


def test_a_word_file_reads_as_its_headings_paragraphs_list_and_table_without_page_furniture(tmp_path):
    text = read_text(write_docx(tmp_path / "leave.docx"))
    assert "# Leave policy\n\n## Annual leave\n\n" in text
    assert "Every employee gets 25 days of annual leave a year. Unused days carry over until 31 March." in text
    assert "- Call your manager before 9:00.\n- Send the note to HR within a week." in text
    assert "| Kind | Days |\n| --- | --- |\n| Parental leave | 90 |\n| Moving house | 1 |" in text
    assert "author: HR Team" in text
    assert "CONFIDENTIAL" not in text and "Page footer" not in text
    assert read_text(tmp_path / "leave.docx") == text  # the same file, the same text: spans stay exact


def test_a_web_page_reads_as_its_article_without_scripts_styles_or_navigation(tmp_path):
    page = tmp_path / "bridge.html"
    page.write_text(PAGE, encoding="utf-8")
    text = read_text(page)
    assert "# Harbour bridge reopens after two years of repairs" in text
    assert "## Why the bridge closed" in text
    assert ("The harbour bridge reopened to traffic on Monday after a two-year repair programme that cost 48 million "
            "euros.") in text
    assert "- Lorries over 12 tonnes: banned until June." in text
    assert "author: Dana Whitfield" in text  # the byline, as a field of the document
    assert [b for b in BOILERPLATE if b in text] == []


def test_converted_documents_are_answered_with_exact_spans_of_their_text(converted_bot):
    corpus = converted_bot.settings.corpus_dir
    asked = {
        "How many days of annual leave does an employee get?": "25 days",
        "How many steel cables were replaced on the harbour bridge?": "212 steel cables",
        "When did inspectors find corrosion in the cables?": "January 2023",
        "How many days of parental leave are there?": "90",
    }
    for question, expected in asked.items():
        answer = converted_bot.ask(question)
        assert not answer.abstained and expected in answer.text, (question, answer.text)
        for citation in answer.citations:
            assert read_text(corpus / citation.source)[citation.start : citation.end] == citation.quote


def test_a_pages_scripts_and_navigation_are_never_indexed_nor_answered(converted_bot):
    index = converted_bot.index()
    assert [b for b in BOILERPLATE if any(b in text for text in index.texts)] == []
    for question in ["What does the trackingPixel function return?", "How do I subscribe today?",
                     "Which related stories are there?", "Are all rights reserved?", "Do you use cookies?"]:
        answer = converted_bot.ask(question)
        shown = answer.text + " ".join(c.quote for c in answer.citations)
        assert [b for b in BOILERPLATE if b in shown] == [], (question, answer.text)


def test_a_file_that_cannot_be_converted_is_named_on_one_line_and_leaves_nothing_in_the_index(converted_bot):
    report = converted_bot.report
    skipped = dict(report.skipped)
    assert set(skipped) == {"broken.docx", "menu-only.htm"}
    for reason in skipped.values():
        assert "\n" not in reason and "/" not in reason and len(reason) < 200, reason
    assert "not a Word document" in skipped["broken.docx"]
    assert "no text" in skipped["menu-only.htm"]
    assert "skipped broken.docx (not a Word document" in report.summary()
    assert set(converted_bot.index().info.files) == {"leave-policy.docx", "bridge.html"}


@pytest.mark.parametrize("name, content", [
    ("broken.docx", b"PK\x03\x04 no zip package"),
    ("page.html", b"<html><body><nav><a href='/'>Home</a></nav><script>var x;</script></body></html>"),
])
def test_an_upload_that_cannot_be_converted_is_refused_and_leaves_nothing_behind(tmp_path, name, content):
    corpus, upload = tmp_path / "corpus", tmp_path / name
    upload.write_bytes(content)
    with pytest.raises(DocumentError, match="cannot be read: .*It was not added") as refused:
        add_document(corpus, upload, name, max_mb=1)
    assert "\n" not in str(refused.value) and str(tmp_path) not in str(refused.value)
    assert list(corpus.iterdir()) == []


def test_a_word_file_and_a_page_are_added_as_documents(tmp_path):
    corpus = tmp_path / "corpus"
    page = tmp_path / "upload.html"
    page.write_text(PAGE, encoding="utf-8")
    assert add_document(corpus, write_docx(tmp_path / "upload.docx"), "Leave.docx", max_mb=1).name == "Leave.docx"
    assert add_document(corpus, page, "bridge.html", max_mb=1).name == "bridge.html"
    assert sorted(p.name for p in corpus.iterdir()) == ["Leave.docx", "bridge.html"]


def test_a_new_converter_version_reads_the_converted_files_again_before_the_next_question(
        tmp_path, session_cache, monkeypatch):
    from assistant.ingest import corpus as corpus_module
    from assistant.ingest.readers import HtmlReader, conversion_tag

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "bridge.html").write_text(PAGE, encoding="utf-8")
    bot = Assistant(corpus_dir=corpus, store_dir=tmp_path / "store", cache_dir=session_cache, backend="extractive")
    bot.ingest()
    assert not bot.needs_ingest()
    # The next version of the converter reads one more paragraph out of the same file.
    convert = HtmlReader.convert

    def next_version(self, path):
        blocks, fields = convert(self, path)
        return blocks + [Block("paragraph", "The toll for a car is 3 euros.")], fields

    monkeypatch.setattr(HtmlReader, "convert", next_version)
    monkeypatch.setattr(corpus_module, "conversion_tag", lambda suffix: tuple(t + 1 for t in conversion_tag(suffix)))
    assert bot.needs_ingest()
    answer = bot.ask("How much is the toll for a car?")
    assert "3 euros" in answer.text
    assert all(read_text(corpus / c.source)[c.start : c.end] == c.quote for c in answer.citations)
