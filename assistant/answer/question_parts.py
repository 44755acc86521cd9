"""Questions that ask two things at once ("What is the project and how much will it cost?").

Each part is searched and answered on its own, the later ones read as follow-ups of the earlier (so "it" is
the project), and the answers are joined: the part the documents cover is answered, and the part they do not is
named, instead of one search for both finding neither, or a refusal of the whole.
"""

from __future__ import annotations

import re

from assistant.models import Answer, Provenance
from assistant.answer.markers import renumbered

# A second question joined to the first: "..., and how ...", "... but why ...". General English, not one text's.
_SECOND_PART = re.compile(r",?\s+(?:and|but|also)\s+(?=(?:who|whom|whose|when|where|why|how|what|which)\b)",
                          re.IGNORECASE)
_MIN_WORDS = 3  # a shorter piece ("and when?") is not a question of its own


def split_question(question: str) -> list[str]:
    """The parts of a question that asks two or more things, each ending in "?"; otherwise the question alone."""
    pieces = [piece.strip(" ,;?") for piece in _SECOND_PART.split(question)]
    if len(pieces) < 2 or any(len(piece.split()) < _MIN_WORDS for piece in pieces):
        return [question]
    return [piece[:1].upper() + piece[1:] + "?" for piece in pieces]


def join_answers(question: str, parts: list[tuple[str, Answer]]) -> Answer:
    """One answer from the answers to each part: each answered part with its citations (renumbered in order), and
    a sentence naming each part the documents do not answer. It abstains only when every part did."""
    if all(answer.abstained for _, answer in parts):
        return parts[0][1].model_copy(update={"question": question})
    texts, citations, sentences = [], [], []
    for part, answer in parts:
        if answer.abstained:
            texts.append(f'The documents don\'t answer "{part}"')
            continue
        offset = len(citations)
        texts.append(renumbered(answer.text, lambda n, offset=offset: n + offset))
        citations += [c.model_copy(update={"n": c.n + offset}) for c in answer.citations]
        sentences += [s.model_copy(update={"citations": [n + offset for n in s.citations]})
                      for s in answer.provenance.sentences]
    first = next(answer for _, answer in parts if not answer.abstained)
    provenance = Provenance(backend=first.provenance.backend, sentences=sentences)
    return Answer(question=question, text=" ".join(texts), citations=citations, provenance=provenance)
