"""The offline answerer: the most relevant sentences of the retrieved passages, each cited."""

from __future__ import annotations

from assistant.answer.calibration import Calibration, fitted
from assistant.answer.candidates import Reader
from assistant.answer.compose import abstain, choose, cite, edge_sentences
from assistant.answer.conversation import Query
from assistant.answer.layout import DocumentLayout, Scope
from assistant.answer.question import POSITION_WORDS, PUBLISHING_STEMS, TITLE_STEMS, Question
from assistant.answer.record_math import compute_with_records, may_compute
from assistant.answer.records import RecordSet, compare_records, may_compare, read_record_sets
from assistant.answer.scoring import Scorer
from assistant.index.lexicon import Lexicon
from assistant.index.search import HybridIndex
from assistant.index.sentences import HEADLINE, PUBLISHED
from assistant.models import Answer, Passage
from assistant.text import stem


class ExtractiveAnswerer:
    """Picks, scores and cites sentences; abstains when none answers the question."""

    def __init__(self, index: HybridIndex, calibration: Calibration | None = None):
        self.index = index
        # its weights and thresholds (assistant.evaluation.fit_calibration), fitted for the model that built the index
        self.calibration = calibration or fitted(index.info.embedding_model)
        self.lexicon = Lexicon(index.stats, index.embedder, soft_match_min=self.calibration.soft_match_min)
        self.layout = DocumentLayout(index)
        self.reader = Reader(self.lexicon, self.calibration)
        self.scorer = Scorer(index, self.lexicon, self.calibration)

    def computed(self, query: Query, passages: list[Passage]) -> Answer | None:
        """The answer computed with the entries the question names, or None: for a question that asks two things,
        read whole when neither part alone names what it computes with."""
        question = Question.read(query, self.index.spell_out)
        if not may_compute(question.question):
            return None
        return self._compute(question, read_record_sets(self.index, {p.source for p in passages}))

    def _compute(self, question: Question, sets: list[RecordSet]) -> Answer | None:
        computed = compute_with_records(question, sets, self.index, self.lexicon)
        if computed is not None:
            computed.question = question.text
        return computed

    def answer(self, query: Query, passages: list[Passage]) -> Answer:
        """The answer to a (condensed) question from its retrieved passages."""
        question = Question.read(query, self.index.spell_out)
        original = question.text
        # Only a question that may compute with or compare entries reads the record sets, of the documents it
        # retrieved only, and once.
        sets = read_record_sets(self.index, {p.source for p in passages}) \
            if may_compute(question.question) or may_compare(question.question) else []
        # A question that computes with named entries (years apart, an age, a figure in a range) may give a figure
        # the corpus never mentions ("we have 350 staff"): it is read before those abstain.
        computed = self._compute(question, sets) if may_compute(question.question) else None
        if computed is not None:
            return computed
        if self.reader.unknown_specifics(question):
            return abstain(original)
        compared = compare_records(question.question, sets, self.lexicon) if may_compare(question.question) else None
        if compared is not None:
            compared.question = original
            return compared
        scope = self._scope(question, {p.source for p in passages})
        if scope.edge_passages is not None:  # "how does the article end?"
            edges = edge_sentences(question.position, scope.edge_passages)
            return cite(original, edges) if edges else abstain(original)
        known = {p.chunk_id for p in passages}
        candidates = self.reader.candidates(question, passages + [p for p in scope.passages if p.chunk_id not in known])
        if not candidates:
            return abstain(original)
        self.scorer.score(question, candidates)
        # "How many jobs did doctors' offices add?": a sentence without "doctors" (or a near-synonym, in or near it)
        # does not say, however close it is.
        fitting = self.reader.fitting(question, candidates)
        if scope.about_document:
            wanted = PUBLISHED if question.kind == "time" else HEADLINE if question.asks_title else None
            header = [c for c in candidates if wanted and c.context == wanted]  # its words are all about the piece
            if header:
                return cite(original, header[:1])
        self.scorer.weigh_cues(question, fitting, scope.edges)
        ranked = sorted(fitting, key=lambda c: (-c.score, c.passage.start, c.start))
        if not ranked:
            return abstain(original)
        if not self.scorer.answers(ranked[0]) and not self.scorer.clear_winner(ranked):
            typed = self.scorer.typed_answer(question, fitting)
            if typed is None:
                return abstain(original)
            ranked = [typed]
        return cite(original, choose(question, ranked, candidates, self.scorer, self.calibration))

    def _scope(self, question: Question, sources: set[str]) -> Scope:
        """Where else to look, in the documents the question retrieved (`sources`: "its opening" is the opening
        of the document asked about, not of every document): where the text opens or ends, its header, the
        front-matter fields it names; or the opening/closing sentence itself."""
        scope = Scope()
        if question.position:  # "what does the article compare AI to in its opening?": where it opens is a candidate
            edge_passages = self.layout.edge_passages(question.position, sources)
            if not [w for w in question.content_words if w not in POSITION_WORDS]:
                scope.edge_passages = edge_passages  # "how does the article end?"
                return scope
            scope.edges = {p.chunk_id for p in edge_passages}
            scope.passages += edge_passages
        scope.about_document = question.mentions_document and not [
            w for w in self.reader.focus_words(question.question) if stem(w) not in TITLE_STEMS | PUBLISHING_STEMS]
        if scope.about_document:  # "what date is on the piece?", "what's the article's headline?": its header says
            scope.passages += self.layout.header_passages(sources)
        named = [key for key in self.layout.fields() if self.reader.field_named(question, key)]
        scope.passages += self.layout.field_passages(named, sources)
        return scope
