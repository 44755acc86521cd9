"""The answerer's scorer: each candidate's features (meaning, term coverage, retrieval rank and the cues of the
question's form) combined by the fitted weights of `calibration.json`, and the thresholds that say it answers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.answer.answer_types import time_frame
from assistant.answer.question import CONDITION_WORDS, Question, negates
from assistant.index.lexicon import content_words
from assistant.ingest.corpus import HEADER_SECTION
from assistant.text import stem, terms, words

if TYPE_CHECKING:
    from assistant.answer.calibration import Calibration
    from assistant.answer.candidates import Candidate
    from assistant.index.lexicon import Lexicon
    from assistant.index.search import HybridIndex

class Scorer:
    """Scores candidates against a question and says which answer it."""

    def __init__(self, index: HybridIndex, lexicon: Lexicon, calibration: Calibration):
        self.index = index
        self.lexicon = lexicon
        self.calibration = calibration

    def score(self, question: Question, candidates: list[Candidate]) -> None:
        """Set each candidate's dense similarity, term coverage and combined score."""
        import numpy as np

        embedder = self.index.embedder
        vectors = np.stack(self.index.sentence_vectors(candidates))
        q_vec = embedder.embed_query(question.search_text)
        dense = vectors @ q_vec
        leaning = [i for i, c in enumerate(candidates) if c.antecedent]
        if leaning:  # "This move has ruffled feathers" is also read after the sentence it points back at
            in_context = np.stack(self.index.sentence_vectors([candidates[i] for i in leaning], in_context=True)) @ q_vec
            dense[leaning] = np.maximum(dense[leaning], in_context)
        if question.is_follow_up:  # the earlier turn must not drown the follow-up's own question ("when does it end?")
            dense = np.maximum(dense, vectors @ embedder.embed_query(question.question))
        weights = self._word_weights(question)
        total = sum(weights.values()) or 1.0
        weight = self.calibration.dense_weight
        for c, sim in zip(candidates, dense):
            c.dense = float(sim)
            c.coverage = self._coverage(weights, c) / total
            c.score = weight * c.dense + (1 - weight) * c.coverage - self.calibration.rank_penalty * c.rank

    def weigh_cues(self, question: Question, fitting: list[Candidate], edges: set[str]) -> None:
        """Add what the question's form says of each candidate to its score."""
        fit = self.calibration
        for c in fitting:
            if c.passage.chunk_id in edges:
                c.score += fit.position_bonus
            # "and if they can't deliver?" mirrors "if the supplier can't meet those demands, ..."
            mirrors = (question.asks_if and bool(CONDITION_WORDS & set(words(c.text)))) + (
                question.asks_not and negates(c.text))
            c.score += fit.mirror_weight * mirrors
            # "which cloud was it tied to before?": a sentence about the past ("previous") first; a bonus only
            # (a penalty for the other time gave the same dev results and is one rule more)
            if question.frame:
                c.score += fit.time_frame_weight * (time_frame(c.text) == question.frame)

    def answers(self, candidate: Candidate) -> bool:
        """Whether a candidate is close enough in meaning (or holds every word asked) and scores high enough."""
        close = candidate.dense >= self.calibration.min_dense or candidate.coverage >= self.calibration.full_coverage
        return close and candidate.score >= self.calibration.min_score

    def clear_winner(self, ranked: list[Candidate]) -> bool:
        """A best sentence far ahead of every other may answer a little below the dense floor."""
        best = ranked[0]
        runner_up = ranked[1].score if len(ranked) > 1 else 0.0
        fit = self.calibration
        return (best.score >= fit.min_score and best.dense >= fit.winner_min_dense
                and best.score - runner_up >= fit.winner_margin)

    def typed_answer(self, question: Question, fitting: list[Candidate]) -> Candidate | None:
        """For a question asking for a date or an amount: the fitting sentence closest in meaning, if close enough.

        A paraphrase that shares no word with the text ("when's the deal end") scores low on term coverage. Term
        coverage is then not needed: a fitting sentence already holds a value of the asked kind next to what the
        question asks about, so meaning alone may decide; where no sentence holds one, nothing fits and the answer
        is still "the documents don't say".
        """
        if question.kind not in ("time", "number") or not fitting:
            return None
        closest = max(fitting, key=lambda c: c.dense)
        return closest if closest.dense >= self.calibration.min_typed_dense else None

    def _word_weights(self, question: Question) -> dict[str, float]:
        """Each content word of the question with its term weight; an earlier turn's words count half."""
        weights: dict[str, float] = {}
        for word in question.previous_words:
            weights[word] = self.calibration.earlier_turn_share * self.lexicon.weight(self.lexicon.term(word))
        for word in question.weighted_words:
            weights[word] = self.lexicon.weight(self.lexicon.term(word))
        return weights

    def _coverage(self, weights: dict[str, float], c: Candidate) -> float:
        section = c.context if c.passage.section == HEADER_SECTION else c.passage.section  # the headline is not the date
        sentence_words = content_words(c.display) + content_words(section)
        present = {stem(w) for w in sentence_words}
        nearby = set(terms(c.passage.text)) - present
        canonical = {w: self.lexicon.term(w) for w in weights}
        unmatched = [w for w in weights if canonical[w] not in present and canonical[w] not in nearby]
        soft = self.lexicon.soft_matches(unmatched, sentence_words)
        total = 0.0
        for word, weight in weights.items():
            term = canonical[word]
            if term in present:
                total += weight
            elif term in nearby:
                total += self.calibration.nearby_share * weight
            elif word in soft:
                total += self.calibration.soft_share * soft[word] * weight
        return total
