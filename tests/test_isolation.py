"""A document a user drops into corpus/ changes no test's outcome: the tests read a copy of what the project ships."""

from assistant import load_settings
from tests.conftest import CORPUS, SHIPPED, shipped_corpus


def test_the_tests_read_the_shipped_documents_not_the_live_folder():
    assert load_settings().corpus_dir == CORPUS != SHIPPED
    assert sorted(p.name for p in CORPUS.iterdir()) == sorted(p.name for p in shipped_corpus().iterdir())


def test_a_document_dropped_into_corpus_is_not_in_the_tests_corpus():
    extra = SHIPPED / "zz-a-users-own-notes.md"
    extra.write_text("# Notes\n\nThe partnership lasts until 2099.\n", encoding="utf-8")
    try:
        copy = shipped_corpus()
        assert not (copy / extra.name).exists()
        assert {p.name for p in copy.iterdir()} >= {"microsoft-openai-partnership.md"}
    finally:
        extra.unlink()
