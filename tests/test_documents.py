"""Documents added and removed as the browser does: safe names, allowed kinds and sizes, no silent overwrite."""

import pytest

from assistant.ingest.documents import DocumentError, add_document, remove_document, safe_name


@pytest.mark.parametrize("given, kept", [
    ("report.pdf", "report.pdf"),
    ("../../etc/passwd.txt", "passwd.txt"),
    ("C:\\Users\\ann\\notes.md", "notes.md"),
    (".hidden.md", "hidden.md"),
    ("Q3 report (final).md", "Q3 report _final_.md"),
])
def test_a_name_keeps_only_its_file_name_in_plain_characters(given, kept):
    assert safe_name(given) == kept


@pytest.mark.parametrize("given", ["tool.exe", "archive.tar.gz", "..", "", "noext"])
def test_kinds_the_assistant_does_not_read_are_refused(given):
    with pytest.raises(DocumentError, match="not a document the assistant reads"):
        safe_name(given)


def test_adding_refuses_large_empty_and_existing_files_unless_asked(tmp_path):
    corpus = tmp_path / "corpus"
    upload = tmp_path / "up.txt"
    upload.write_text("The lease runs for two years.\n")
    assert add_document(corpus, upload, "lease.txt", max_mb=1).read_text() == upload.read_text()
    with pytest.raises(DocumentError, match="already in the corpus"):
        add_document(corpus, upload, "lease.txt", max_mb=1)
    upload.write_text("The lease runs for three years.\n")
    assert "three" in add_document(corpus, upload, "lease.txt", max_mb=1, replace=True).read_text()
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 2048)
    with pytest.raises(DocumentError, match="the limit is 0.001 MB"):
        add_document(corpus, big, "big.txt", max_mb=0.001)
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    with pytest.raises(DocumentError, match="is empty"):
        add_document(corpus, empty, "empty.txt", max_mb=1)
    assert sorted(p.name for p in corpus.iterdir()) == ["lease.txt"]


def test_removing_stays_inside_the_corpus(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.md").write_text("A.")
    (tmp_path / "outside.md").write_text("keep me")
    with pytest.raises(DocumentError, match="No document"):
        remove_document(corpus, "../outside.md")
    remove_document(corpus, "a.md")
    assert not (corpus / "a.md").exists() and (tmp_path / "outside.md").exists()
