"""The offline answerer: the most relevant sentences of the retrieved passages, each cited."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .conversation import Query
from .corpus import HEADER_SECTION
from .models import Answer, Citation, Passage, Provenance, SentenceProvenance
from .retrieval import HybridIndex
from .text import STOPWORDS, is_number, sentence_spans, stem, terms, words

MAX_SENTENCES = 2
# Calibrated on evals/dev_questions.jsonl (not the eval set): see evals/README.md.
MIN_DENSE = 0.30
MIN_COVERAGE = 0.55
CONFIDENT_DENSE = 0.62
SECOND_SENTENCE_MARGIN = 0.06
DENSE_WEIGHT = 0.55
FOCUS_IDF_SHARE = 0.45
VALUE_WINDOW = 6

_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_MONTH = re.compile(r"\b(January|February|March|April|May|June|July|August|September|October|November|December)\b")
_NUMBER = re.compile(r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|hundred|thousand|million|billion|trillion)\b", re.I)
_FIELD = re.compile(r"^([A-Z][A-Za-z ]{1,30}): ")
_CAPITALISED = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-zA-Z]+")


@dataclass
class Candidate:
    """A sentence of a retrieved passage, scored against the question."""

    passage: Passage
    rank: int
    text: str
    start: int
    end: int
    context: str  # what the sentence is about when it cannot stand alone (a profile's organisation)
    dense: float = 0.0
    coverage: float = 0.0
    score: float = 0.0

    @property
    def display(self) -> str:
        """The sentence as shown in an answer: profile fields get their organisation in front."""
        return f"{self.context} — {self.text}" if self.context else self.text


def expected_answer_type(question: str) -> str | None:
    """What kind of thing the question asks for: 'time', 'number', 'place', 'name' or None."""
    q = question.lower()
    if re.search(r"\b(when|what year|which year|what date|how long|until when|since when)\b", q):
        return "time"
    if re.search(r"\b(how much|how many|what number|what amount|how big|how large)\b", q):
        return "number"
    if re.search(r"\bwhere\b", q):
        return "place"
    if re.search(r"^\s*(who|whom)\b|\bwho (is|was|are|were|has|had|leads|led|owns)\b", q):
        return "name"
    return None


def has_answer_type(text: str, kind: str | None, question: str) -> bool:
    """Whether a sentence contains the kind of thing the question asks for."""
    if kind is None:
        return True
    if kind == "time":
        return bool(_YEAR.search(text) or _MONTH.search(text))
    if kind == "number":
        return bool(_NUMBER.search(text))
    field = _FIELD.match(text)
    if field:  # a profile field answers only what its key names
        return {"place": "location", "name": "name"}.get(kind, "") in field.group(1).lower()
    asked = {w for w in words(question)}
    names = [m.group(0) for m in _CAPITALISED.finditer(text) if m.group(0).lower() not in asked]
    return bool(names)


class ExtractiveAnswerer:
    """Picks, scores and cites sentences; abstains when none answers the question."""

    def __init__(self, index: HybridIndex):
        self.index = index
        self._sentence_vectors: dict[tuple[str, int], object] = {}
        documents = max(len(index), 1)
        df: dict[str, int] = {}
        for term_list in index.term_lists:
            for term in set(term_list):
                df[term] = df.get(term, 0) + 1
        self._idf = {term: math.log(1 + documents / count) for term, count in df.items()}

    def answer(self, query: Query, passages: list[Passage]) -> Answer:
        """The answer to a (condensed) question from its retrieved passages."""
        weights = self._term_weights(query)
        unknown = self._unknown_specifics(query.question)
        candidates = self._candidates(passages)
        if unknown or not candidates:
            return abstain(query.question)
        self._score(query, candidates, weights)
        kind = expected_answer_type(query.question) or (
            expected_answer_type(query.previous) if query.previous else None)
        focus = self._focus_terms(query)
        typed = [c for c in candidates if has_answer_type(c.text, kind, query.question)
                 and (kind not in ("time", "number") or _value_near_focus(c, focus))]
        ranked = sorted(typed, key=lambda c: (-c.score, c.passage.start, c.start))
        if not ranked or not self._answers(ranked[0]):
            return abstain(query.question)
        chosen = [ranked[0]]
        for other in ranked[1:]:
            if len(chosen) == MAX_SENTENCES or other.score < ranked[0].score - SECOND_SENTENCE_MARGIN:
                break
            if self._answers(other) and other.text not in {c.text for c in chosen}:
                chosen.append(other)
        chosen.sort(key=lambda c: (c.passage.source, c.start))
        return cite(query.question, chosen)

    def _answers(self, candidate: Candidate) -> bool:
        if candidate.dense < MIN_DENSE:
            return False
        return candidate.coverage >= MIN_COVERAGE or candidate.dense >= CONFIDENT_DENSE

    def _term_weights(self, query: Query) -> dict[str, float]:
        """IDF weights of the question's terms; an earlier turn's count half.

        A word the corpus never uses may be a paraphrase or the very thing the documents lack, so it
        counts, at half the weight of a rare corpus word.
        """
        unknown_weight = 0.5 * max(self._idf.values(), default=1.0)
        weights: dict[str, float] = {}
        if query.previous:
            for term in terms(query.previous):
                weights[term] = 0.5 * self._idf.get(term, unknown_weight)
        for term in terms(query.question):
            weights[term] = self._idf.get(term, unknown_weight)
        return weights

    def _focus_terms(self, query: Query) -> set[str]:
        """The question's distinctive terms: what a number or date in the answer must stand next to."""
        top = max(self._idf.values(), default=1.0)
        asked = terms(query.question) + (terms(query.previous) if query.previous else [])
        return {t for t in asked if self._idf.get(t, 0.0) >= FOCUS_IDF_SHARE * top}

    def _unknown_specifics(self, question: str) -> list[str]:
        """Numbers and names in the question that occur nowhere in the corpus: the documents can't say."""
        unknown = []
        for word in words(question):
            if word in STOPWORDS:
                continue
            term = stem(word)
            if term in self.index.vocabulary:
                continue
            if is_number(word) or _is_name(word, question):
                unknown.append(word)
        return unknown

    def _candidates(self, passages: list[Passage]) -> list[Candidate]:
        out = []
        for rank, passage in enumerate(passages, start=1):
            is_profile = passage.section.startswith("Profile: ")
            context = passage.section.removeprefix("Profile: ") if is_profile else ""
            if passage.section == HEADER_SECTION:
                context = "Published"
            for span in sentence_spans(passage.text, passage.start):
                if is_profile and not _FIELD.match(span.text):
                    continue  # the organisation's name and tag line repeat the heading
                if len(words(span.text)) < 2:
                    continue
                out.append(Candidate(passage, rank, span.text, span.start, span.end, context))
        return out

    def _score(self, query: Query, candidates: list[Candidate], weights: dict[str, float]) -> None:
        import numpy as np

        embedder = self.index.embedder
        missing = [c for c in candidates if (c.passage.chunk_id, c.start) not in self._sentence_vectors]
        if missing:
            vectors = embedder.embed_texts([c.display for c in missing])
            for c, v in zip(missing, vectors):
                self._sentence_vectors[(c.passage.chunk_id, c.start)] = v
        q_vec = embedder.embed_query(query.search_text)
        matrix = np.stack([self._sentence_vectors[(c.passage.chunk_id, c.start)] for c in candidates])
        dense = matrix @ q_vec
        total = sum(weights.values()) or 1.0
        for c, sim in zip(candidates, dense):
            present = set(terms(c.display)) | set(terms(c.passage.section))
            c.dense = float(sim)
            c.coverage = sum(w for t, w in weights.items() if t in present) / total
            c.score = DENSE_WEIGHT * c.dense + (1 - DENSE_WEIGHT) * c.coverage - 0.005 * c.rank


def _value_near_focus(candidate: Candidate, focus: set[str]) -> bool:
    """Whether a number or date of the sentence stands within a few words of a focus term of the question."""
    field = _FIELD.match(candidate.text)
    if field:
        return bool(focus & set(terms(field.group(1) + " " + candidate.context)))
    # A header block's section name says what its values are (a headline and its date).
    heading = set(terms(candidate.passage.section)) if candidate.passage.section == HEADER_SECTION else set()
    tokens = words(candidate.text)
    stems = [stem(t) for t in tokens]
    for i, token in enumerate(tokens):
        if is_number(token) or _MONTH.match(token.capitalize()):
            window = stems[max(0, i - VALUE_WINDOW) : i + VALUE_WINDOW + 1]
            if focus & (set(window) | heading):
                return True
    return False


def _is_name(word: str, question: str) -> bool:
    """A capitalised word that is not the question's first word: likely a name."""
    match = re.search(rf"(?<![\w])({re.escape(word)})(?![\w])", question, re.IGNORECASE)
    if not match or not match.group(1)[:1].isupper():
        return False
    before = question[: match.start()].rstrip()
    return bool(before) and before[-1] not in ".!?\"“"


def cite(question: str, chosen: list[Candidate]) -> Answer:
    """An answer made of the chosen sentences, each followed by its citation marker."""
    citations, parts, provenance = [], [], []
    for n, c in enumerate(chosen, start=1):
        citations.append(Citation(n=n, source=c.passage.source, title=c.passage.title, quote=c.text,
                                  start=c.start, end=c.end, chunk_id=c.passage.chunk_id, score=round(c.score, 4)))
        display = c.display if c.display[-1:] in ".!?" else c.display + "."
        parts.append(f"{display} [{n}]")
        provenance.append(SentenceProvenance(text=c.display, origin="document", citations=[n]))
    return Answer(question=question, text=" ".join(parts), citations=citations,
                  provenance=Provenance(backend="extractive", sentences=provenance))


def abstain(question: str) -> Answer:
    """The answer when the documents do not answer the question."""
    return Answer(
        question=question,
        text="The documents don't say. Nothing in the corpus answers this question.",
        abstained=True,
        provenance=Provenance(backend="extractive"),
    )


def explain(answerer: ExtractiveAnswerer, query: Query, passages: list[Passage], top: int = 5) -> list[dict]:
    """The best-scored candidate sentences with their scores: for calibration and debugging."""
    candidates = answerer._candidates(passages)
    if not candidates:
        return []
    answerer._score(query, candidates, answerer._term_weights(query))
    best = sorted(candidates, key=lambda c: -c.score)[:top]
    return [{"text": c.display[:90], "dense": round(c.dense, 3), "coverage": round(c.coverage, 3),
             "score": round(c.score, 3)} for c in best]
