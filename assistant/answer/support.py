"""Checks that a model's sentences are backed by the passages they cite."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.index.embeddings import Embedder
from assistant.models import Citation, Passage, SentenceProvenance
from assistant.index.sentences import passage_units
from assistant.text import sentence_spans, terms

MARKER = re.compile(r"\[(\d{1,3})\]")
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

    def replace(match: re.Match) -> str:
        n = int(match.group(1))
        if not 1 <= n <= len(passages):
            dropped.append(n)
            return ""
        if n not in renumber:
            renumber[n] = len(renumber) + 1
        return f"[{renumber[n]}]"

    rewritten = re.sub(r"\s+(?=[.,;:!?])", "", MARKER.sub(replace, text)).strip()
    by_new = {new: passages[old - 1] for old, new in renumber.items()}
    sentences = []
    quotes: dict[int, tuple[str, int, int]] = {}
    for span in sentence_spans(rewritten):
        cited = [int(m) for m in MARKER.findall(span.text)]
        plain = MARKER.sub("", span.text).strip()
        if not plain:
            continue
        supported = False
        for n in cited:
            best = _best_sentence(plain, by_new[n])
            quotes.setdefault(n, best)
            supported = supported or _supports(plain, best[0], by_new[n].text, embedder)
        sentences.append(SentenceProvenance(text=plain, origin="model", citations=cited, supported=supported))
    for new, passage in sorted(by_new.items()):
        quote, start, end = quotes.get(new) or (passage.text, passage.start, passage.end)
        citations.append(Citation(n=new, source=passage.source, title=passage.title, quote=quote, start=start,
                                  end=end, chunk_id=passage.chunk_id, score=passage.score))
    return CheckedText(rewritten, citations, sentences, dropped)


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
