from assistant.answer.routing import UNCOVERED_NOTICE

from tests.conftest import quoted_exactly


def test_hypothetical_no_clause_covers_falls_back_to_retrieval(bot):
    answer = bot.ask("What if OpenAI opened a chain of bakeries?")
    assert answer.tool is None
    assert answer.notice and UNCOVERED_NOTICE in answer.notice


def test_what_if_answer_states_outcome_first_with_rule_provenance(bot):
    from assistant.clauses import evaluate, load_pack
    from assistant.clauses.reader import read_question

    question = "What if OpenAI's system makes $150 billion in profit?"
    answer = bot.ask(question)
    assert answer.tool == "clause_engine" and not answer.abstained
    # The outcome the clause engine reaches for the question's facts comes first, before its reasoning.
    article = load_pack(bot.settings.corpus_dir / "microsoft-openai-partnership.clauses.yaml")
    deciding = [r for r in evaluate(article, read_question(article.pack, question).facts).results
                if not r.overridden_by]
    assert [r.clause_id for r in deciding] == ["agi_clause"]  # the clause that reads the system's profit
    outcome, reasoning = answer.text.split("\n\nReasoning:\n")
    assert outcome.startswith(f"{deciding[0].text} [1]") and reasoning
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
