"""A question that asks two things: each part answered on its own, the uncovered one named."""

from __future__ import annotations

from assistant import Assistant
from assistant.models import Answer, Citation, Provenance, SentenceProvenance
from assistant.answer.question_parts import join_answers, split_question


def test_a_question_is_split_where_a_second_question_begins():
    assert split_question("What is Stargate and how much will it cost?") == ["What is Stargate?", "How much will it cost?"]
    assert split_question("Who signed it, and when does it end?") == ["Who signed it?", "When does it end?"]
    assert split_question("Who has the right of first refusal?") == ["Who has the right of first refusal?"]
    assert split_question("Who and when?") == ["Who and when?"]  # pieces too short to be questions
    assert split_question("What did Microsoft and OpenAI agree?") == ["What did Microsoft and OpenAI agree?"]


def _answer(text: str, quotes: list[str], abstained: bool = False) -> Answer:
    citations = [Citation(n=n, source="a.md", title="A", quote=q, start=0, end=len(q)) for n, q in enumerate(quotes, 1)]
    sentences = [SentenceProvenance(text=q, origin="document", citations=[n]) for n, q in enumerate(quotes, 1)]
    return Answer(question="q", text=text, citations=citations, abstained=abstained,
                  provenance=Provenance(backend="extractive", sentences=sentences))


def test_answers_are_joined_with_their_markers_renumbered_and_the_uncovered_part_named():
    first = _answer("It is a project [1]. It is big [2].", ["It is a project", "It is big"])
    second = _answer("It costs $500 billion [1].", ["It costs $500 billion"])
    none = _answer("The documents don't say.", [], abstained=True)
    joined = join_answers("What is it and how much will it cost?", [("What is it?", first), ("How much?", second)])
    assert joined.text == "It is a project [1]. It is big [2]. It costs $500 billion [3]."
    assert [c.n for c in joined.citations] == [1, 2, 3] and joined.citations[2].quote == "It costs $500 billion"
    assert joined.provenance.sentences[2].citations == [3] and not joined.abstained
    partial = join_answers("q", [("What is it?", first), ("Who pays for it?", none)])
    assert partial.text.endswith('The documents don\'t answer "Who pays for it?"') and not partial.abstained
    assert join_answers("q", [("What?", none), ("Who?", none)]).abstained


def test_the_assistant_answers_the_part_the_documents_cover(shared_store):
    bot = Assistant(store_dir=shared_store)
    answer = bot.ask("Until when does the partnership last, and what is the capital of France?")
    assert not answer.abstained and "2030" in answer.text
    assert 'don\'t answer "What is the capital of France?"' in answer.text
    assert all(f"[{c.n}]" in answer.text for c in answer.citations) and answer.citations
