"""The answer made of the chosen sentences: the best one, a close second, what explains or is introduced, cited."""

from __future__ import annotations

from dataclasses import replace
from itertools import takewhile
from typing import TYPE_CHECKING

from assistant.answer.answer_types import time_frame
from assistant.answer.candidates import Candidate
from assistant.index.sentences import passage_units, points_back, sentence_units
from assistant.ingest.segmentation import CODE, FIELD, HEADING, ITEM, ROW, SENTENCE, fold, is_lead_in
from assistant.models import Answer, Provenance, SentenceProvenance
from assistant.text import terms

if TYPE_CHECKING:
    from assistant.answer.calibration import Calibration
    from assistant.answer.question import Question
    from assistant.answer.scoring import Scorer
    from assistant.models import Passage

# What a lead-in ending on a colon may introduce: a run of units of one of these kinds, or a single sentence.
_LISTED = frozenset({ITEM, ROW, CODE, FIELD})


def choose(question: Question, ranked: list[Candidate], candidates: list[Candidate], scorer: Scorer,
           calibration: Calibration) -> list[Candidate]:
    """The best sentence, a close second that adds to it, and for an explanation what continues it."""
    ranked = _questions_answered(ranked, candidates)
    chosen = [ranked[0]]
    if ranked[0].kind == HEADING and not question.asks_title:
        body = _next_unit(ranked[0], candidates)  # "#### Use or Lose" names what the text under it says
        if body is not None and body.text != ranked[0].text:
            chosen.append(body)
    covered = set(terms(ranked[0].display))
    for other in ranked[1:]:
        if len(chosen) == int(calibration.max_sentences) or other.score < ranked[0].score - calibration.second_sentence_margin:
            break
        if question.frame and time_frame(other.text) not in (None, question.frame):
            continue
        adds = (question.terms & set(terms(other.display))) - covered
        close = other.score >= ranked[0].score - calibration.same_idea_margin
        if scorer.answers(other) and (adds or close) and other.text not in {c.text for c in chosen}:
            chosen.append(other)
            covered |= set(terms(other.display))
    if question.explains:  # "This exclusivity is a double-edged sword." is explained by what follows
        follower = ranked[0]
        for _ in range(int(calibration.max_followers)):
            follower = _follower(follower, candidates)
            if follower is None:
                break
            if follower.text not in {c.text for c in chosen}:
                chosen.append(follower)
    return _with_what_they_introduce(sorted(chosen, key=lambda c: (c.passage.source, c.start)))


def edge_sentences(position: str, passages: list[Passage]) -> list[Candidate]:
    """How each text opens (its first sentence) or ends (its last)."""
    chosen = []
    for passage in passages:
        units = sentence_units(passage)
        if units:
            chosen.append(Candidate.of(units[0] if position == "opening" else units[-1], rank=1))
    return chosen


def cite(question: str, chosen: list[Candidate]) -> Answer:
    """An answer made of the chosen sentences, each followed by its citation marker. A lead-in shown with its list
    carries the marker on its own line, and the list ends its paragraph."""
    citations, provenance = [], []
    text = ""
    for n, c in enumerate(chosen, start=1):
        citations.append(c.citation(n, score=round(c.score, 4)))
        first, _, rest = c.display.partition("\n")
        if rest:
            text += f"{first} [{n}]\n{rest}\n\n"
        else:
            text += f"{first if first[-1:] in '.!?' else first + '.'} [{n}] "
        provenance.append(SentenceProvenance(text=c.display, origin="document", citations=[n]))
    return Answer(question=question, text=text.strip(), citations=citations,
                  provenance=Provenance(backend="extractive", sentences=provenance))


def abstain(question: str) -> Answer:
    """The answer when the documents do not answer the question."""
    return Answer(
        question=question,
        text="The documents don't say. Nothing in the corpus answers this question.",
        abstained=True,
        provenance=Provenance(backend="extractive"),
    )


def _with_what_they_introduce(chosen: list[Candidate]) -> list[Candidate]:
    """Each lead-in ("You can use Sick Leave for:") read with what it introduces, as one citation: the list,
    table, code or fields after it in its passage, or the one sentence after it. A lead-in alone says nothing."""
    out: list[Candidate] = []
    for c in chosen:
        if any(o.passage.source == c.passage.source and o.start <= c.start and c.end <= o.end for o in out):
            continue  # a unit already cited inside the list an earlier lead-in introduced
        out.append(introducing(c) if is_lead_in(c.kind, c.display) else c)
    return out


def introducing(lead_in: Candidate) -> Candidate:
    """The lead-in and the units it introduces in its passage, as one unit (itself when nothing follows it there)."""
    passage = lead_in.passage
    after = [u for u in passage_units(passage) if u.start >= lead_in.end]
    if not after or after[0].kind not in _LISTED | {SENTENCE}:
        return lead_in
    kind = after[0].kind
    if kind == SENTENCE:
        run = after[:1]
    elif lead_in.kind == ITEM:  # "a. retain the following:" introduces the items indented under it, not its siblings
        own = _indent(passage, lead_in.start)
        if own is None:
            return lead_in  # the chunk opens inside the item's line: how deep it is cannot be read here
        run = list(takewhile(lambda u: u.kind == kind and (_indent(passage, u.start) or 0) > own, after))
    else:
        run = list(takewhile(lambda u: u.kind == kind, after))
    if not run:
        return lead_in
    text = passage.text[lead_in.start - passage.start : run[-1].end - passage.start]
    shown = [text[u.start - lead_in.start : u.end - lead_in.start] for u in run]
    return replace(lead_in, text=text, end=run[-1].end, context="",
                   label="\n".join([lead_in.display, *_as_markdown(kind, shown)]))


def _as_markdown(kind: str, texts: list[str]) -> list[str]:
    """The lines of what a lead-in introduces, as the chat shows them: items as a list, code fenced."""
    if kind == CODE:
        return ["```", *texts, "```"]
    return [f"- {fold(t)}" if kind == ITEM else fold(t) for t in texts]


def _indent(passage: Passage, offset: int) -> int | None:
    """How far the line holding a passage's text offset is indented; None when the line starts before the passage."""
    line_start = passage.text.rfind("\n", 0, offset - passage.start) + 1
    if line_start == 0:
        return None
    line = passage.text[line_start:]
    return len(line) - len(line.lstrip(" \t"))


def _next_unit(c: Candidate, candidates: list[Candidate]) -> Candidate | None:
    """The unit right after `c` in its passage, if it is a candidate."""
    return min((o for o in candidates if o.passage.chunk_id == c.passage.chunk_id and o.start >= c.end),
               key=lambda o: o.start, default=None)


def _asks(c: Candidate) -> bool:
    """Whether the text's own unit is a question ("Q: Does it support the .7z format?"): what it restates was asked;
    the answer is what the text says next."""
    return c.text.rstrip().endswith("?")


def _questions_answered(ranked: list[Candidate], candidates: list[Candidate]) -> list[Candidate]:
    """The ranking with each question of the text read as the unit after it, its answer (once each)."""
    out: list[Candidate] = []
    seen: set[str] = set()
    for c in ranked:
        c = (_next_unit(c, candidates) or c) if _asks(c) else c
        if c.text not in seen:
            seen.add(c.text)
            out.append(c)
    return out


def _follower(best: Candidate, candidates: list[Candidate]) -> Candidate | None:
    """The sentence right after `best` in its source, when it opens by pointing back at it."""
    return next((c for c in candidates if c.passage.source == best.passage.source and 0 <= c.start - best.end <= 3
                 and points_back(c.text)), None)
