"""Checks a model's reply against the passages it was given: a sentence is kept only when a passage supports it,
and is cited with the exact spans of the passage sentences that do, whether or not the model marked it.

Support is one measure throughout: a passage supports a sentence when it holds at least half of the sentence's
content terms (the cited sentences are the fewest of the passage that hold that share), or when one of its
sentences is as close in meaning as `MIN_DENSE_SUPPORT` by the embedding model.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from assistant.answer.markers import MarkedSentence, marked_sentences, with_markers
from assistant.index.embeddings import Embedder
from assistant.index.sentences import passage_units
from assistant.models import Citation, Origin, Passage, SentenceProvenance
from assistant.text import terms

MIN_LEXICAL_SUPPORT = 0.5
MIN_DENSE_SUPPORT = 0.55


@dataclass
class CheckedText:
    """A model's answer cut down to its supported sentences, their citations, and what was left out."""

    text: str
    citations: list[Citation]
    sentences: list[SentenceProvenance]
    dropped_markers: list[int]
    unsupported: int = 0  # sentences of the reply that no passage supports, left out of `text`

    @property
    def any_supported(self) -> bool:
        """Whether at least one sentence is backed by a passage."""
        return any(s.supported for s in self.sentences)


@dataclass(frozen=True)
class PassageSentence:
    """A sentence of a passage: its exact span in the source file and its content terms."""

    passage: int  # index into the passages
    text: str
    start: int
    end: int
    terms: frozenset[str]


class Evidence:
    """The passages read sentence by sentence, with what the support measure needs of them."""

    def __init__(self, passages: list[Passage], embedder: Embedder | None):
        self.passages = passages
        self.embedder = embedder
        self.terms = [frozenset(terms(p.text)) for p in passages]
        self.sentences = [self._sentences(i, p) for i, p in enumerate(passages)]
        self._rows = {s: row for row, s in enumerate(s for each in self.sentences for s in each)}
        self._vectors = None

    def support(self, claim: str, among: Iterable[int]) -> list[PassageSentence]:
        """The sentences, all of one passage of `among`, that support a claim; [] when no passage there does.

        Of several passages, the one holding the largest share of the claim's terms, then the higher ranked.
        """
        among = list(among)
        claim_terms = frozenset(terms(claim))
        if claim_terms and among:
            share, best = max((len(claim_terms & self.terms[i]) / len(claim_terms), -i) for i in among)
            if share >= MIN_LEXICAL_SUPPORT:
                return self._cover(claim_terms, -best)
        return self._nearest(claim, among)

    def _cover(self, claim_terms: frozenset[str], i: int) -> list[PassageSentence]:
        """The fewest sentences of passage i, chosen greedily, holding the share of the claim's terms support asks."""
        needed = MIN_LEXICAL_SUPPORT * len(claim_terms)
        chosen: list[PassageSentence] = []
        held: set[str] = set()
        left = list(self.sentences[i])
        while len(held) < needed and left:
            best = max(left, key=lambda s: (len((s.terms & claim_terms) - held), -s.start))
            gain = (best.terms & claim_terms) - held
            if not gain:
                break
            chosen.append(best)
            held |= gain
            left.remove(best)
        if len(held) < needed:  # the terms lie outside its sentences (a header line): the passage is the span
            passage = self.passages[i]
            return [PassageSentence(i, passage.text, passage.start, passage.end, self.terms[i])]
        return sorted(chosen, key=lambda s: s.start)

    def _nearest(self, claim: str, among: list[int]) -> list[PassageSentence]:
        """The passage sentence of `among` nearest the claim in meaning, when it is near enough to support it."""
        candidates = [s for i in among for s in self.sentences[i]]
        if self.embedder is None or not claim.strip() or not candidates:
            return []
        if self._vectors is None:
            self._vectors = self.embedder.embed_texts([s.text for s in self._rows])
        claim_vector = self.embedder.embed_texts([claim])[0]
        similarities = [float(self._vectors[self._rows[s]] @ claim_vector) for s in candidates]
        best = max(range(len(candidates)), key=lambda k: (similarities[k], -k))
        return [candidates[best]] if similarities[best] >= MIN_DENSE_SUPPORT else []

    def _sentences(self, i: int, passage: Passage) -> list[PassageSentence]:
        sentences = []
        for unit in passage_units(passage):
            text = passage.text[unit.start - passage.start : unit.end - passage.start]
            if text.strip():
                sentences.append(PassageSentence(i, text, unit.start, unit.end, frozenset(terms(text))))
        return sentences


def check_text(text: str, passages: list[Passage], embedder: Embedder | None, question: str = "") -> CheckedText:
    """A model's reply with each sentence cited from the passage sentences that support it.

    A sentence's own markers (written before or after its full stop) are kept where the passage they point at
    supports it; otherwise, and for a sentence without markers, it is cited from the passage that supports it
    best. A reply that is markers alone reads as the sentence of that passage that answers `question`. A marker
    pointing at no passage is dropped; a sentence no passage supports is left out.
    """
    evidence = Evidence(passages, embedder)
    numbers: dict[tuple[str, int, int], int] = {}
    citations: list[Citation] = []
    dropped: list[int] = []
    provenance: list[SentenceProvenance] = []
    pieces: list[str] = []
    unsupported = 0
    previous_end = 0
    for sentence in marked_sentences(text):
        gap, previous_end = text[previous_end : sentence.start], sentence.end
        statements = _read(sentence, _pointed(sentence, len(passages), dropped), evidence, question)
        if not statements:
            unsupported += bool(sentence.plain)
            continue
        written = []
        for claim, origin, spans in statements:
            cited = []
            for span in spans:
                key = (passages[span.passage].source, span.start, span.end)
                if key not in numbers:
                    numbers[key] = len(numbers) + 1
                    citations.append(_citation(numbers[key], passages[span.passage], span))
                if numbers[key] not in cited:
                    cited.append(numbers[key])
            written.append(with_markers(claim, cited))
            provenance.append(SentenceProvenance(text=claim, origin=origin, citations=cited, supported=True))
        pieces.append((gap if pieces else "") + " ".join(written))
    return CheckedText("".join(pieces).strip(), citations, provenance, dropped, unsupported)


def _pointed(sentence: MarkedSentence, count: int, dropped: list[int]) -> list[int]:
    """The passages (indices) a sentence's markers point at, in order; markers pointing at none go to `dropped`."""
    pointed: list[int] = []
    for n in sentence.numbers:
        if not 1 <= n <= count:
            dropped.append(n)
        elif n - 1 not in pointed:
            pointed.append(n - 1)
    return pointed


def _read(sentence: MarkedSentence, pointed: list[int], evidence: Evidence,
          question: str) -> list[tuple[str, Origin, list[PassageSentence]]]:
    """What a sentence of the reply states, each statement with its origin and the passage sentences supporting
    it; [] when no passage supports it."""
    if not sentence.plain:  # markers alone: the model points at a passage as its answer, which is its sentences
        spans = evidence.support(question, pointed) if question else []
        return [(" ".join(span.text.split()), "document", [span]) for span in spans]
    spans = [s for i in pointed for s in evidence.support(sentence.plain, [i])]
    if not spans:
        spans = evidence.support(sentence.plain, range(len(evidence.passages)))
    return [(sentence.plain, "model", spans)] if spans else []


def _citation(n: int, passage: Passage, span: PassageSentence) -> Citation:
    return Citation(n=n, source=passage.source, title=passage.title, quote=span.text, start=span.start, end=span.end,
                    chunk_id=passage.chunk_id, score=passage.score)
