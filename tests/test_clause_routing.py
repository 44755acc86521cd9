"""The clause engine is consulted only for a corpus that holds the documents its clauses quote."""

from assistant.answer.routing import route
from tests.conftest import CORPUS

HYPOTHETICAL = "What if the system's profit reaches $150 billion?"


def test_a_corpus_with_the_clauses_documents_gets_a_clause_answer():
    routed = route(HYPOTHETICAL, CORPUS)
    assert routed.answer is not None and routed.answer.tool == "clause_engine"
    assert routed.answer.citations and routed.answer.trace


def test_a_corpus_of_other_documents_never_consults_the_engine(tmp_path):
    (tmp_path / "policy.md").write_text("# Leave\n\nStaff earn 4 hours of leave per pay period.\n", encoding="utf-8")
    routed = route(HYPOTHETICAL, tmp_path)
    assert routed.answer is None and not routed.hypothetical and routed.notice is None
