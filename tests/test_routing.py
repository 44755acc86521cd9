from assistant.answer.routing import UNCOVERED_NOTICE

from tests.conftest import quoted_exactly


def test_hypothetical_no_clause_covers_falls_back_to_retrieval(bot):
    answer = bot.ask("What if OpenAI opened a chain of bakeries?")
    assert answer.tool is None
    assert answer.notice and UNCOVERED_NOTICE in answer.notice


def test_what_if_answer_states_outcome_first_with_rule_provenance(bot):
    answer = bot.ask("What if OpenAI's system makes $150 billion in profit?")
    assert answer.tool == "clause_engine" and not answer.abstained
    first_sentence = answer.text.split(". ")[0]
    assert "lose access" in first_sentence
    assert all(s.origin == "rule" for s in answer.provenance.sentences)
    assert all(quoted_exactly(c) for c in answer.citations)


def test_plain_questions_do_not_go_to_the_clause_tool(bot):
    assert bot.ask("Who has the right of first refusal?").tool is None


def test_clause_citations_point_at_the_chunk_holding_their_quote(bot):
    answer = bot.ask("What if Microsoft can't meet OpenAI's compute needs?")
    index = bot.index()
    for citation in answer.citations:
        assert citation.chunk_id is not None
        assert citation.quote in index.texts[index.ids.index(citation.chunk_id)]
