"""Checks that a model's sentences are backed by the passages they cite."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.answer.markers import cited, renumbered, without_markers
from assistant.index.embeddings import Embedder
from assistant.models import Citation, Passage, SentenceProvenance
from assistant.index.sentences import passage_units
from assistant.text import sentence_spans, terms

MIN_LEXICAL_SUPPORT = 0.5
MIN_DENSE_SUPPORT = 0.55


@dataclass
class CheckedText:
    """A model's answer with markers renumbered, their citations, and per-sentence provenance."""

    text: str
    citations: list[Citation]
    sentences: list[SentenceProvenance]
    dropped_markers: list[int]

    @property
    def any_supported(self) -> bool:
        """Whether at least one sentence is backed by a cited passage."""
        return any(s.supported for s in self.sentences)


def check_text(text: str, passages: list[Passage], embedder: Embedder | None) -> CheckedText:
    """Parse `[n]` markers, drop those that point at no passage, and test each sentence's support."""
    dropped: list[int] = []
    renumber: dict[int, int] = {}
    citations: list[Citation] = []

    def number(n: int) -> int | None:
        if not 1 <= n <= len(passages):
            dropped.append(n)
            return None
        if n not in renumber:
            renumber[n] = len(renumber) + 1
        return renumber[n]

    rewritten = _close_up(renumbered(text, number)).strip()
    by_new = {new: passages[old - 1] for old, new in renumber.items()}
    sentences = []
    quotes: dict[int, tuple[str, int, int]] = {}
    for span in sentence_spans(rewritten):
        numbers = cited(span.text)
        plain = without_markers(span.text).strip()
        if not plain:
            continue
        supported = False
        for n in numbers:
            best = _best_sentence(plain, by_new[n])
            quotes.setdefault(n, best)
            supported = supported or _supports(plain, best[0], by_new[n].text, embedder)
        sentences.append(SentenceProvenance(text=plain, origin="model", citations=numbers, supported=supported))
    for new, passage in sorted(by_new.items()):
        quote, start, end = quotes.get(new) or (passage.text, passage.start, passage.end)
        citations.append(Citation(n=new, source=passage.source, title=passage.title, quote=quote, start=start,
                                  end=end, chunk_id=passage.chunk_id, score=passage.score))
    return CheckedText(rewritten, citations, sentences, dropped)


def _close_up(text: str) -> str:
    """The text without spaces before punctuation, such as a removed marker leaves ("the price [9]." -> "the price.")."""
    out: list[str] = []
    for ch in text:
        if ch in ".,;:!?":
            while out and out[-1].isspace():
                out.pop()
        out.append(ch)
    return "".join(out)


def _best_sentence(claim: str, passage: Passage) -> tuple[str, int, int]:
    """The passage sentence sharing most terms with a claim: the exact span a citation quotes."""
    claim_terms = set(terms(claim))
    units = passage_units(passage)
    if not units:
        return passage.text, passage.start, passage.end
    text_of = {u: passage.text[u.start - passage.start : u.end - passage.start] for u in units}
    best = max(units, key=lambda u: (len(claim_terms & set(terms(text_of[u]))), -u.start))
    return text_of[best], best.start, best.end


def _supports(claim: str, sentence: str, passage_text: str, embedder: Embedder | None) -> bool:
    claim_terms = set(terms(claim))
    if claim_terms and len(claim_terms & set(terms(passage_text))) / len(claim_terms) >= MIN_LEXICAL_SUPPORT:
        return True
    if embedder is None:
        return False
    vectors = embedder.embed_texts([claim, sentence])
    return float(vectors[0] @ vectors[1]) >= MIN_DENSE_SUPPORT
