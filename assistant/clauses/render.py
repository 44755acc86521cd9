"""Turn an Evaluation into an answer with [n] markers.

Each sentence of the answer cites what it rests on: an outcome its branch's quotes, a reasoning line the quote
that states its rule.
"""

from __future__ import annotations

from assistant.clauses import cues
from assistant.clauses.pack import Pack
from assistant.clauses.phrases import describe_condition, describe_facts
from assistant.clauses.results import ClauseResult, Evaluation
from assistant.clauses.verdict import verdict
from assistant.models import Citation


REASONING = "\n\nReasoning:\n"  # between the outcome and the reasoning


def outcome_of(text: str) -> str:
    """The outcome sentences of a rendered answer, without its reasoning."""
    return text.split(REASONING)[0]


def not_covered(pack: Pack) -> str:
    """What to say when a question gives none of the facts a pack's clauses read."""
    return (f"No clause of {pack.name} covers this question: it gives none of the facts its clauses read "
            f"({describe_facts(pack, list(pack.facts)).replace(', and', ' and')}).")


class _Markers:
    """Numbers quotes by first appearance in the text; the same quote keeps its number."""

    def __init__(self) -> None:
        self.citations: list[Citation] = []
        self._numbers: dict[tuple[str, int, int], int] = {}

    def mark(self, citations: list[Citation]) -> str:
        """Return the markers "[1][2]" for these citations, numbering new ones."""
        numbers = []
        for citation in citations:
            key = (citation.source, citation.start, citation.end)
            if key not in self._numbers:
                self._numbers[key] = len(self._numbers) + 1
                self.citations.append(citation.model_copy(update={"n": self._numbers[key]}))
            numbers.append(self._numbers[key])
        return "".join(f"[{n}]" for n in numbers)


def render_answer(pack: Pack, evaluation: Evaluation, question: str | None = None) -> tuple[str, list[Citation]]:
    """Return the answer text (outcome first, then reasoning) and the citations its [n] markers point at.

    Given the question, a yes/no question the clauses settle gets its "Yes" or "No" first.
    """
    if not evaluation.covered:
        return not_covered(pack), []
    markers = _Markers()
    outcome = _outcome_lines(pack, evaluation, markers)
    settled = verdict(pack, question, evaluation) if question and not evaluation.silent else None
    if settled is not None and outcome:
        outcome[0] = ("Yes — " if settled else "No — ") + _lowered(outcome[0])
    reasoning = [_reasoning_line(pack, result, evaluation, markers) for result in evaluation.results]
    text = " ".join(outcome) + REASONING + "\n".join(f"- {line}" for line in reasoning)
    return text, markers.citations


# The first words that follow "Yes — " in lower case: function words and verbs ("That is allowed", "Cure it by ...");
# a noun may be a name the tagger does not know ("Azure remains ..."), so it keeps its capital.
_LOWERED_TAGS = ("DT", "PRP", "PRP$", "IN", "RB", "CC", "MD", "EX", "WDT", "WP", "VB")


def _lowered(sentence: str) -> str:
    """A sentence that now follows "Yes — ", its first word in lower case when it is not a noun or a name."""
    first = cues.tokens(sentence)  # tagged in its sentence
    lowered = first and first[0].tag in _LOWERED_TAGS and first[0].lower != "i"
    return sentence[:1].lower() + sentence[1:] if lowered else sentence


def _outcome_lines(pack: Pack, evaluation: Evaluation, markers: _Markers) -> list[str]:
    """Return one sentence per result that decides something, exceptions in place of what they override; what the
    document leaves unsettled first, as the answer abstains on it."""
    lines: list[str] = []
    seen_messages: set[str] = set()
    for result in sorted(evaluation.results, key=lambda r: not r.silent):
        if result.overridden_by:
            continue
        if result.status == "contradiction":
            if result.text not in seen_messages:
                seen_messages.add(result.text)
                lines.append(f"{result.text} {markers.mark(result.outcome_citations)}")
        elif result.status == "unknown":
            lines.append(_unknown_line(pack, result, markers))
        else:
            lines.append(f"{result.text} {markers.mark(result.outcome_citations)}")
    return lines


def _unknown_line(pack: Pack, result: ClauseResult, markers: _Markers) -> str:
    """Return what an undecided clause depends on and where each answer would lead."""
    options = []
    for possibility in result.possible:
        open_steps = [s for s in result.trace if s.branch == possibility.branch and s.evaluated and s.result is None]
        condition = " and ".join(describe_condition(pack, s.fact, s.op, s.threshold) for s in open_steps)
        options.append(f"If {condition}: {possibility.text}")
    return " ".join([f"{result.title} depends on {describe_facts(pack, result.missing)}, which the question does not "
                     "give.", *dict.fromkeys(options), markers.mark(result.rule_citations)])


def _reasoning_line(pack: Pack, result: ClauseResult, evaluation: Evaluation, markers: _Markers) -> str:
    """Return how one clause was applied: the rule, the facts that decided it, the document's own case."""
    role = f"exception to {_title(evaluation, result.exception_to)}" if result.exception_to else "rule"
    parts = [f"{result.title} ({role}): {result.summary} {markers.mark(result.rule_citations)}"]
    if result.status == "decided":
        decisive = [s for s in result.trace if s.branch == result.branch]
        facts = "; ".join(describe_condition(pack, s.fact, s.op, s.threshold, s.value) for s in decisive
                          if s.op not in {"known", "unknown"})
        if facts:
            parts.append(f"Here {facts}.")
    elif result.status == "unknown":
        parts.append(f"Not decided: {describe_facts(pack, result.missing)} not given.")
    else:
        parts.append("Not applied: the facts contradict each other.")
    if result.overridden_by:
        parts.append(f"Overridden here by the exception: {_title(evaluation, result.overridden_by)}.")
    if result.baseline is not None:
        parts.append(f"As the document stands: {result.baseline.text}")
    return " ".join(parts)


def _title(evaluation: Evaluation, clause_id: str | None) -> str:
    """Return the title of a clause, whether or not it applied."""
    return evaluation.titles.get(clause_id or "", str(clause_id))
