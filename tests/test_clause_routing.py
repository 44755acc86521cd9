"""The clause engine is consulted only for a corpus that holds the documents its clauses quote."""

from assistant.answer.routing import NO_VALUE_NOTICE, route
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


def test_facts_that_reach_no_clause_leave_the_question_to_the_documents(tmp_path):
    (tmp_path / "policy.md").write_text("Staff earn 4 hours a period. At most 240 hours carry over.\n", encoding="utf-8")
    (tmp_path / "policy.clauses.yaml").write_text("""
document: policy.md
name: the policy
facts:
  balance: {type: number, unit: hours, units: [hour], label: your balance, ask: "How many hours do you hold?"}
  donating: {type: yes/no, label: whether you donate hours, ask: "Do you donate hours?", read: {says_true: [donate]}}
derived:
  over_cap: {label: the hours over the cap, type: number, unit: hours, subtract: [balance, 240]}
clauses:
  - id: cap
    title: Carry-over cap
    quotes: ["At most 240 hours carry over."]
    summary: At most 240 hours carry over.
    relevant_when: [balance known]
    unless: [donating is yes]
    branches:
      - {id: over, outcome: lose, when: [balance > 240], text: "You lose {over_cap} of your {balance}."}
      - {id: within, outcome: keep, when: [balance <= 240], text: "You keep all {balance}."}
""", encoding="utf-8")
    assert route("If I hold 300 hours, what do I keep?", tmp_path).answer.tool == "clause_engine"
    routed = route("If I hold 300 hours, how many can I donate?", tmp_path)
    assert routed.answer is None and routed.hypothetical and routed.notice
    assert route("If I hold 300 hours, how many hours do I lose?", tmp_path).answer.tool == "clause_engine"
    # the rule decides the case but does not give the value asked for: the documents answer, and the notice says why
    for other_value in ("If I hold 300 hours, in which year do I lose them?",
                        "If I hold 300 hours, when do I lose them?",
                        "If I hold 300 hours, how many days do I have to use them?",
                        "If I hold 300 hours, how much money will I be paid for them?"):
        routed = route(other_value, tmp_path)
        assert routed.answer is None and routed.notice == NO_VALUE_NOTICE, other_value


SILENT_PACK = """
document: policy.md
name: the policy
facts:
  years: {type: number, unit: years, units: [year], label: your years of service, ask: "How long have you worked here?",
          read: {near: [worked, service]}}
  part_time: {type: yes/no, label: whether you work part-time, ask: "Do you work part-time?",
              read: {says_true: ["part-time"]}}
  balance: {type: number, unit: hours, units: [hour], label: your balance, ask: "How many hours do you hold?"}
clauses:
  # the silent clause comes last: its outcome must still lead the answer
  - id: cap
    title: Carry-over cap
    quotes: ["At most 240 hours carry over."]
    summary: At most 240 hours carry over.
    relevant_when: [balance known]
    branches:
      - {id: within, outcome: keep, when: [balance <= 240], text: "You keep all {balance}."}
      - {id: over, outcome: lose, when: [balance > 240], text: "You lose some of {balance}."}
  - id: accrual
    title: Accrual
    quotes: ["Staff earn 4 hours a period."]
    summary: Staff earn 4 hours a period.
    relevant_when: [years known, part_time is yes]
    branches:
      - {id: part_time, outcome: not_stated, when: [part_time is yes], silent: true,
         text: "The policy gives 4 hours a period but does not say how that applies part-time."}
      - {id: full, outcome: four, when: [years known], text: "You earn 4 hours a period."}
"""


def test_a_silent_branch_says_what_the_document_states_and_abstains(tmp_path):
    (tmp_path / "policy.md").write_text("Staff earn 4 hours a period. At most 240 hours carry over.\n", encoding="utf-8")
    (tmp_path / "policy.clauses.yaml").write_text(SILENT_PACK, encoding="utf-8")
    silent = route("If I work part-time and have worked here 4 years, how many hours do I earn a period?", tmp_path)
    assert silent.answer.abstained and silent.answer.tool == "clause_engine"
    assert silent.answer.text.startswith("The policy gives 4 hours a period but does not say how that applies")
    assert [c.quote for c in silent.answer.citations] == ["Staff earn 4 hours a period."]
    full = route("If I have worked here 4 years, how many hours do I earn a period?", tmp_path).answer
    assert not full.abstained and full.text.startswith("You earn 4 hours a period.")
    # what it asks is not settled, so the answer abstains; what the rules do settle stays beside it
    both = route("If I work part-time, worked here 4 years and hold 100 hours, what do I earn a period?", tmp_path)
    assert both.answer.abstained and both.answer.text.startswith("The policy gives 4 hours a period but does not say")
    assert "You keep all 100 hours." in both.answer.text


def test_a_question_the_article_leaves_open_abstains_with_what_it_does_say():
    answer = route("If OpenAI announces it has reached AGI, who decides whether the milestone is real?", CORPUS).answer
    assert answer.abstained and answer.tool == "clause_engine" and "does not say who decides" in answer.text
    assert not answer.text.startswith(("Yes", "No"))
    renewal = route("Suppose OpenAI never reaches AGI. Will the partnership renew after 2030?", CORPUS).answer
    # the silent outcome leads; the AGI clause's outcome stays beside it
    assert renewal.abstained and renewal.text.startswith("The partnership is set to last until 2030, but the article")
    assert "Without AGI" in renewal.text
    # an exception that overrides the term does not hide that the article leaves renewal open
    overridden = route("If OpenAI reaches AGI in 2028, will the partnership be renewed?", CORPUS).answer
    assert overridden.abstained and overridden.text.startswith("The partnership is set to last until 2030, but the")
