"""An upload that cannot be read is refused in one plain line that says what to do, and leaves nothing behind: not
in the corpus folder, not in the index. File names in the Documents tab's report are text, not markdown."""

from __future__ import annotations

import html
import io
import re
import zipfile

import pytest

from assistant import Assistant
from assistant.ingest.documents import DocumentError, add_document
from ui.assistant_pool import AssistantPool
from ui.documents_tab import add_documents, document_rows

LEASE = "The tenant pays a monthly rent of 1,200 euros, due on the first day of each month.\n"
CLASS_NAME = re.compile(r"\b[A-Z]\w*(?:Error|Exception|EOF)\b|Traceback")


def text_pdf(pages: list[str], broken_page: int | None = None) -> bytes:
    """A PDF of one line of Helvetica text a page; `broken_page`'s MediaBox is a number, not a box, which a reader
    of the first pages never meets."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", "", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for n, line in enumerate(pages):
        stream = f"BT /F1 12 Tf 72 720 Td ({line}) Tj ET"
        box = "7" if n == broken_page else "[0 0 612 792]"
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox {box} /Resources << /Font << /F1 3 0 R >> >> "
                       f"/Contents {len(objects) + 2} 0 R >>")
        kids.append(len(objects))
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>"
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    return out + f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()


def a_zip_of_nothing_word_reads() -> bytes:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>not closed")
    return data.getvalue()


UNREADABLE = [
    ("x.pdf", b"Minutes of the meeting: the budget was approved.\n"),  # a text file named .pdf
    ("scan.pdf", bytes(range(256)) * 8),  # bytes, no PDF
    ("cut.pdf", text_pdf(["The budget was approved."])[:200]),  # a PDF cut short
    ("garbled.docx", b"PK\x03\x04 not a zip package"),
    ("parts.docx", a_zip_of_nothing_word_reads()),
    ("empty.docx", b""),
    ("latin.txt", "Caf\u00e9 cr\u00e8me".encode("latin-1")),
]


@pytest.mark.parametrize("name, content", UNREADABLE, ids=[name for name, _ in UNREADABLE])
def test_an_upload_that_does_not_read_is_refused_in_one_plain_line_and_not_kept(tmp_path, name, content):
    corpus, upload = tmp_path / "corpus", tmp_path / "upload"
    upload.write_bytes(content)
    with pytest.raises(DocumentError) as refused:
        add_document(corpus, upload, name, max_mb=1)
    message = str(refused.value)
    assert message.startswith(name) and "It was not added: " in message, message
    assert "\n" not in message and not CLASS_NAME.search(message) and str(tmp_path) not in message, message
    assert not corpus.exists() or list(corpus.iterdir()) == [], "nothing is left, not even a partial copy"


def test_a_pdf_with_text_is_added(tmp_path):
    upload = tmp_path / "upload"
    upload.write_bytes(text_pdf(["Parking permits cost 40 euros a month."]))
    assert add_document(tmp_path / "corpus", upload, "parking.pdf", max_mb=1).read_bytes() == upload.read_bytes()


@pytest.fixture
def pool(tmp_path, session_cache) -> AssistantPool:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "lease.txt").write_text(LEASE, encoding="utf-8")
    bot = Assistant(corpus_dir=corpus, store_dir=tmp_path / "store", cache_dir=session_cache, backend="extractive")
    bot.ingest()
    return AssistantPool(bot)


def test_a_fake_pdf_added_in_the_documents_tab_is_refused_and_leaves_the_corpus_and_index_as_they_were(tmp_path, pool):
    fake = tmp_path / "uploads" / "x.pdf"
    fake.parent.mkdir()
    fake.write_text("Minutes of the meeting: the budget was approved.\n")
    before = pool.base.status().fingerprint
    report = add_documents(pool, [str(fake)], replace=False)
    assert report.startswith("⚠️ x.pdf cannot be read: it is not a PDF, or the PDF is damaged. It was not added: ")
    assert "Added" not in report and not CLASS_NAME.search(report)
    assert sorted(p.name for p in pool.settings.corpus_dir.iterdir()) == ["lease.txt"]
    assert [row[0] for row in document_rows(pool)] == ["lease.txt"]
    assert pool.base.status().fingerprint == before and not pool.base.needs_ingest()


def test_a_pdf_damaged_past_the_pages_checked_at_upload_is_taken_out_again_after_the_ingest(tmp_path, pool):
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    damaged, parking = uploads / "minutes.pdf", uploads / "parking.pdf"
    damaged.write_bytes(text_pdf(["The budget was approved.", "Two", "Three", "Four"], broken_page=3))
    parking.write_bytes(text_pdf(["Parking permits cost 40 euros a month."]))
    report = add_documents(pool, [str(damaged), str(parking)], replace=False)
    lines = report.split("\n\n")
    assert lines[0].startswith("⚠️ minutes.pdf cannot be read: it is not a PDF, or the PDF is damaged. It was not ")
    assert lines[1] == "Added parking.pdf." and "skipped" not in lines[-1], report
    assert not CLASS_NAME.search(report), report
    assert sorted(p.name for p in pool.settings.corpus_dir.iterdir()) == ["lease.txt", "parking.pdf"]
    assert sorted(row[0] for row in document_rows(pool)) == ["lease.txt", "parking.pdf"]
    assert not pool.base.needs_ingest()
    assert "40 euros" in pool.base.ask("How much does a parking permit cost?").text


def test_file_names_in_the_documents_report_are_text_not_markdown(tmp_path, pool):
    from markdown_it import MarkdownIt

    upload = tmp_path / "plan _draft_ v2.md"
    upload.write_text("The plan moves the archive to the second floor.\n")
    report = add_documents(pool, [str(upload)], replace=False)
    shown = MarkdownIt("commonmark").render(report)
    assert "<em>" not in shown and "Added plan _draft_ v2.md." in html.unescape(re.sub(r"<[^>]+>", "", shown))
    refused = add_documents(pool, [str(tmp_path / "*bold* [link](x).exe")], replace=False)
    shown = MarkdownIt("commonmark").render(refused)
    assert "<em>" not in shown and "<a " not in shown and "*bold* [link](x).exe" in html.unescape(shown)

