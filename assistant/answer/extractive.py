"""The offline answerer: the most relevant sentences of the retrieved passages, each cited."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from itertools import takewhile

from assistant.answer.answer_types import (
    FIELD,
    asked_position,
    asks_why_or_how,
    expected_answer_type,
    has_answer_type,
    has_date,
    time_frame,
    value_windows,
    with_plain_verbs,
    without_form_phrases,
)
from assistant.answer.calibration import Calibration, fitted
from assistant.answer.conversation import Query
from assistant.ingest.corpus import FRONT_MATTER_SECTION, HEADER_SECTION
from assistant.index.lexicon import Lexicon, content_words, initials
from assistant.models import Answer, Passage, Provenance, SentenceProvenance
from assistant.answer.records import compare_records, may_compare, read_record_sets
from assistant.index.search import HybridIndex
from assistant.ingest.segmentation import CODE, HEADING, ITEM, ROW, SENTENCE, field_key, fold, is_lead_in
from assistant.ingest.segmentation import FIELD as FIELD_UNIT
from assistant.index.sentences import HEADLINE, PUBLISHED, SentenceUnit, passage_units, points_back, sentence_units
from assistant.text import STOPWORDS, is_number, stem, terms, words

MAX_SENTENCES = 2
MAX_FOLLOWERS = 2  # sentences that continue the best one, added to an answer that explains
# A sentence holding every word of the question needs no dense floor (0.9 let near-topic questions through on dev).
FULL_COVERAGE = 0.999
NEAREST_SENTENCES = 3  # sentences nearest the question by meaning, wherever they are: their chunks are read too
# Words that only say where in the text to look ("how does the article wrap up?").
_POSITION_WORDS = {"wrap", "wraps", "up", "open", "opens", "opening", "begin", "begins", "beginning", "start", "starts",
                   "intro", "introduction", "lead", "lede", "first", "end", "ends", "ending", "close", "closes",
                   "closing", "conclude", "concludes", "conclusion", "concluding", "final", "finish", "finishes",
                   "last", "line", "lines", "sentence", "paragraph", "image", "words", "thought", "thoughts"}
# A question about the document itself ("what date is on the piece?").
_DOCUMENT = re.compile(r"\b(article|piece|story|report|post|document)\b", re.IGNORECASE)
_CONDITION = re.compile(r"\b(if|unless|suppose|provided)\b", re.IGNORECASE)
_NEGATION = re.compile(r"n't\b|n’t\b|\b(not|no|never|cannot|unable|fails?|without)\b", re.IGNORECASE)
_TITLE_WORDS = {"titl", "headlin", "call", "name"}
# Stems of the verbs that say a piece came out: "when did the story go up / come out / run?"
_PUBLISHING = {"publish", "pub", "written", "write", "wrote", "post", "releas", "appear", "date", "go", "went", "come",
               "came", "run", "ran", "live", "up", "out"}
# Words that name the kind of answer ("what year", "how many people") rather than what it is about.
_TYPE_WORDS = {"date", "year", "day", "month", "time", "long", "number", "amount", "figure", "place", "name",
               "people", "person", "percent", "percentage", "much", "many", "big", "large", "old",
               "city", "town", "country", "state", "location", "headquarters", "outlet", "publication", "newspaper",
               "situated", "located", "based", "headquartered", "hq",
               "two", "three", "both"}  # "the two companies" names no one thing an answer stands next to


@dataclass
class Candidate(SentenceUnit):
    """A sentence unit of a retrieved passage, scored against the question."""

    rank: int = 0
    dense: float = 0.0
    coverage: float = 0.0
    score: float = 0.0
    missing: float = 0.0  # the weight (a share of the corpus's highest) of the rarest question word it lacks

    @classmethod
    def of(cls, unit: SentenceUnit, rank: int) -> Candidate:
        """A candidate for a unit of the passage ranked `rank` by retrieval."""
        return cls(unit.passage, unit.text, unit.start, unit.end, unit.context, unit.label, unit.antecedent, unit.kind,
                   rank=rank)


@dataclass
class _Scope:
    """What a question says about where to look, beyond the retrieved passages."""

    passages: list[Passage] = field(default_factory=list)
    edges: set[str] = field(default_factory=set)  # chunks where the text opens or ends, when the question asks
    about_document: bool = False  # the question asks about the document itself (its date, its headline)
    edge_answer: list[Candidate] | None = None  # "how does the article end?": these sentences are the answer


class ExtractiveAnswerer:
    """Picks, scores and cites sentences; abstains when none answers the question."""

    def __init__(self, index: HybridIndex, calibration: Calibration | None = None):
        self.index = index
        self.lexicon = Lexicon(index.stats, index.embedder)
        self.calibration = calibration or fitted()  # its weight and thresholds (evals/fit_calibration.py)

    def answer(self, query: Query, passages: list[Passage]) -> Answer:
        """The answer to a (condensed) question from its retrieved passages."""
        original = query.question
        query = replace(query, question=self.index.spell_out(without_form_phrases(original)))
        if self.unknown_specifics(query.question):
            return abstain(original)
        # Only a question that may compare entries reads the record sets, of the documents it retrieved only.
        compared = compare_records(query.question, read_record_sets(self.index, {p.source for p in passages}),
                                   self.lexicon) if may_compare(query.question) else None
        if compared is not None:
            compared.question = original
            return compared
        scope = self._scope(query, {p.source for p in passages})
        if scope.edge_answer is not None:
            return cite(original, scope.edge_answer) if scope.edge_answer else abstain(original)
        known = {p.chunk_id for p in passages}
        candidates = self.candidates(query, passages + [p for p in scope.passages if p.chunk_id not in known])
        if not candidates:
            return abstain(original)
        self.score(query, candidates)
        # "How many jobs did doctors' offices add?": a sentence without "doctors" (or a near-synonym, in or near it)
        # does not say, however close it is.
        fitting = [c for c in self._fitting(query, candidates) if c.missing < self.calibration.max_missing]
        kind = asked_kind(query)
        if scope.about_document:
            wanted = PUBLISHED if kind == "time" else HEADLINE if _TITLE_WORDS & set(terms(query.question)) else None
            header = [c for c in candidates if wanted and c.context == wanted]  # its words are all about the piece
            if header:
                return cite(original, header[:1])
        self._weigh_cues(query, fitting, scope.edges)
        ranked = sorted(fitting, key=lambda c: (-c.score, c.passage.start, c.start))
        if not ranked:
            return abstain(original)
        if not self._answers(ranked[0]) and not self._clear_winner(ranked):
            typed = self._typed_answer(kind, fitting)
            if typed is None:
                return abstain(original)
            ranked = [typed]
        return cite(original, self._choose(query, ranked, candidates))

    def _scope(self, query: Query, sources: set[str]) -> _Scope:
        """Where else to look, in the documents the question retrieved (`sources`: "its opening" is the opening
        of the document asked about, not of every document): where the text opens or ends, its header, the
        front-matter fields it names; or the opening/closing sentence itself."""
        scope = _Scope()
        position = asked_position(query.question)
        if position:  # "what does the article compare AI to in its opening?": where it opens is a candidate too
            edge_passages = self.index.edge_passages(position, sources)
            if not [w for w in content_words(query.question) if w not in _POSITION_WORDS]:
                scope.edge_answer = self._edge_sentences(position, edge_passages)  # "how does the article end?"
                return scope
            scope.edges = {p.chunk_id for p in edge_passages}
            scope.passages += edge_passages
        scope.about_document = bool(_DOCUMENT.search(query.question)) and not [
            w for w in self._focus_words(query.question) if stem(w) not in _TITLE_WORDS | _PUBLISHING]
        if scope.about_document:  # "what date is on the piece?", "what's the article's headline?": its header says
            scope.passages += self.index.header_passages(sources)
        named = {pos for key, positions in self.index.metadata_fields().items() if self._field_named(query, key)
                 for pos in self.index.in_sources(positions, sources)}
        scope.passages += [self.index.passage(pos, 0.0) for pos in sorted(named)]
        scope.passages += self._nearest_passages(query)
        return scope

    def _nearest_passages(self, query: Query) -> list[Passage]:
        """The chunks of the sentences nearest the question by meaning, which a chunk-level search can miss: a
        sentence that says what is asked in other words ("backers unhappy" - "shareholders dissatisfied") inside a
        chunk about something else."""
        found: dict[int, float] = {}
        if self.calibration.nearest_min_dense > 1.0:
            return []  # the fit switched this search off: no sentence is that near
        for text in {query.search_text, query.question}:
            for pos, similarity in self.index.nearest_sentences(text, NEAREST_SENTENCES):
                if similarity >= self.calibration.nearest_min_dense:
                    found[pos] = max(similarity, found.get(pos, 0.0))
        return [self.index.passage(pos, 0.0) for pos in sorted(found, key=lambda pos: -found[pos])]

    def _weigh_cues(self, query: Query, fitting: list[Candidate], edges: set[str]) -> None:
        """Add what the question's form says of each candidate to its score."""
        asks_if, asks_not = bool(_CONDITION.search(query.question)), bool(_NEGATION.search(query.question))
        frame = time_frame(query.question)
        fit = self.calibration
        for c in fitting:
            if c.passage.chunk_id in edges:
                c.score += fit.position_bonus
            # "and if they can't deliver?" mirrors "if Microsoft can't meet those demands, ..."
            mirrors = (asks_if and bool(_CONDITION.search(c.text))) + (asks_not and bool(_NEGATION.search(c.text)))
            c.score += fit.mirror_weight * mirrors
            # "which cloud was OpenAI tied to before?": a sentence about the past ("previous") first; a bonus only
            # (a penalty for the other time gave the same dev results and is one rule more)
            if frame:
                c.score += fit.time_frame_weight * (time_frame(c.text) == frame)

    def _choose(self, query: Query, ranked: list[Candidate], candidates: list[Candidate]) -> list[Candidate]:
        """The best sentence, a close second that adds to it, and for an explanation what continues it."""
        ranked = _questions_answered(ranked, candidates)
        chosen = [ranked[0]]
        if ranked[0].kind == HEADING and not _TITLE_WORDS & set(terms(query.question)):
            body = _next_unit(ranked[0], candidates)  # "#### Use or Lose" names what the text under it says
            if body is not None and body.text != ranked[0].text:
                chosen.append(body)
        asked = set(terms(query.question))
        covered = set(terms(ranked[0].display))
        frame = time_frame(query.question)
        for other in ranked[1:]:
            if len(chosen) == MAX_SENTENCES or other.score < ranked[0].score - self.calibration.second_sentence_margin:
                break
            if frame and time_frame(other.text) not in (None, frame):
                continue
            adds = (asked & set(terms(other.display))) - covered
            close = other.score >= ranked[0].score - self.calibration.same_idea_margin
            if self._answers(other) and (adds or close) and other.text not in {c.text for c in chosen}:
                chosen.append(other)
                covered |= set(terms(other.display))
        if asks_why_or_how(query.question):  # "This exclusivity is a double-edged sword." is explained by what follows
            follower = ranked[0]
            for _ in range(MAX_FOLLOWERS):
                follower = _follower(follower, candidates)
                if follower is None:
                    break
                if follower.text not in {c.text for c in chosen}:
                    chosen.append(follower)
        return _with_what_they_introduce(sorted(chosen, key=lambda c: (c.passage.source, c.start)))

    def _edge_sentences(self, position: str, passages: list[Passage]) -> list[Candidate]:
        """How each text opens (its first sentence) or ends (its last)."""
        chosen = []
        for passage in passages:
            units = sentence_units(passage)
            if units:
                chosen.append(Candidate.of(units[0] if position == "opening" else units[-1], rank=1))
        return chosen

    def _fitting(self, query: Query, candidates: list[Candidate]) -> list[Candidate]:
        """Candidates of the kind the question asks for, about what it asks about."""
        kind = asked_kind(query)
        focus = self._focus_words(query.question)
        if _inherits_kind(query):
            focus += [w for w in self._focus_words(query.previous) if not _is_name(w, query.previous)]
        asked_words = set(words(query.search_text))
        asked = {stem(w) for w in asked_words}
        said = set(terms(query.said or ""))
        conversation = f"{query.search_text} {query.said or ''}"  # names said in it are not the new name asked for
        numbers = _numbers(query.question)
        forms = {_form(n) for n in numbers}
        fitting = []
        for c in candidates:
            own = set(terms(c.display))
            if said and own and len(own & said) >= self.calibration.already_said * len(own):
                continue  # the follow-up asks for more than the reply the user has just read
            if said and c.is_field and set(terms(FIELD.sub("", c.text))) <= said:
                continue  # "Founded date: 2013" after the reply "In 2013": its value was the last answer
            if not has_answer_type(c.text, kind, query.question, c.entities, said=conversation):
                continue
            organisation = c.context if c.context not in ("", PUBLISHED, HEADLINE) else ""
            if organisation and not (set(terms(organisation)) <= asked or initials(organisation) in asked_words):
                continue  # a profile field answers questions about its own organisation only
            if organisation and self._names_another(query.question, organisation):
                continue  # "How much has Microsoft invested in OpenAI?" is not OpenAI's total raised
            known = [w for w in focus if stem(w) in self.lexicon.idf]
            # A name may stand next to a near-synonym of a word the article never uses ("unhappy": "dissatisfied");
            # an amount or a date may not: "budget" is near any "$" in the article.
            near_words = focus if kind == "name" else known
            if kind in ("time", "number", "name") and known and not self._value_near_focus(c, organisation, near_words, kind, query):
                continue
            if kind is not None and not self._holds_known_focus(c, known, query):
                continue
            if numbers and _gives_other_numbers(c, numbers, forms):
                continue  # "the tweak of release 3.6" is not answered by a sentence about release 3.4
            fitting.append(c)
        return fitting

    def _names_another(self, question: str, organisation: str) -> bool:
        """Whether the question names a second party the corpus knows, besides this organisation."""
        own = set(words(organisation)) | {initials(organisation)}
        return any(w not in own and _is_proper_name(w, question) and self.lexicon.knows(w, stem(w))
                   for w in content_words(question))

    def _holds_known_focus(self, c: Candidate, known: list[str], query: Query) -> bool:
        """At least half of a wh-question's distinctive corpus words, names aside, must be in the candidate's passage.

        "Who is the CEO of Oracle?" must not be answered by a sentence about Oracle that names no CEO.
        """
        # Proper names may change in a follow-up ("and Oracle?"); acronyms such as CEO or API name the relation.
        relation = {stem(w) for w in known
                    if not _is_proper_name(w, query.question) and not _is_proper_name(w, query.previous or "")}
        if not relation:
            return True
        here = set(terms(c.display)) | set(terms(c.passage.section)) | set(terms(c.passage.text))
        return len(relation & here) >= len(relation) / 2

    def _value_near_focus(self, c: Candidate, organisation: str, focus: list[str], kind: str, query: Query) -> bool:
        """Whether a value of the asked kind (number, date, name) stands next to (a near-synonym of) a focus word.

        "Who took over while X was ousted?" is not answered by a sentence whose only new name is elsewhere.
        """
        extra = words(organisation)
        if c.passage.section == HEADER_SECTION:
            extra += words(c.passage.section)
        for window in value_windows(c.text, kind, query.question, c.entities):
            near = window + extra
            stems = {self.lexicon.term(w) for w in near}
            if any(self.lexicon.term(f) in stems for f in focus) or self.lexicon.soft_matches(focus, near):
                return True
        return False

    def _typed_answer(self, kind: str | None, fitting: list[Candidate]) -> Candidate | None:
        """For a question asking for a date or an amount: the fitting sentence closest in meaning, if close enough.

        A paraphrase that shares no word with the article ("when's the deal end") scores low on term
        coverage. Term coverage is then not needed: a fitting sentence already holds a value of the
        asked kind next to what the question asks about, so meaning alone may decide; where no sentence
        holds one ("what is Stargate's budget"), nothing fits and the answer is still "the documents don't say".
        """
        if kind not in ("time", "number") or not fitting:
            return None
        closest = max(fitting, key=lambda c: c.dense)
        return closest if closest.dense >= self.calibration.min_typed_dense else None

    def _clear_winner(self, ranked: list[Candidate]) -> bool:
        """A best sentence far ahead of every other may answer a little below the dense floor."""
        best = ranked[0]
        runner_up = ranked[1].score if len(ranked) > 1 else 0.0
        fit = self.calibration
        return (best.score >= fit.min_score and best.dense >= fit.winner_min_dense
                and best.score - runner_up >= fit.winner_margin)

    def _answers(self, candidate: Candidate) -> bool:
        close = candidate.dense >= self.calibration.min_dense or candidate.coverage >= FULL_COVERAGE
        return close and candidate.score >= self.calibration.min_score

    def _focus_words(self, question: str) -> list[str]:
        """The question's distinctive words (rare in the corpus, or absent): what an answer's value must stand next to."""
        bar = self.calibration.focus_idf_share * self.lexicon.max_idf
        return [w for w in content_words(question) if w not in _TYPE_WORDS and self.lexicon.weight(stem(w)) >= bar]

    def unknown_specifics(self, question: str) -> list[str]:
        """Numbers and names in the question that occur nowhere in the corpus: the documents can't say."""
        unknown = []
        for word in words(question):
            if word in STOPWORDS or self.lexicon.knows(word, stem(word)):
                continue
            if is_number(word) or _is_name(word, question):
                unknown.append(word)
        return unknown

    def candidates(self, query: Query, passages: list[Passage]) -> list[Candidate]:
        """The sentence units of the passages that could answer this question."""
        asks_title = bool(_TITLE_WORDS & set(terms(query.question)))
        out = []
        seen: set[tuple[str, int]] = set()
        for rank, passage in enumerate(passages, start=1):
            for unit in sentence_units(passage):
                if (unit.passage.source, unit.start) in seen:
                    continue  # overlapping chunks share sentences: each is read once, from its best-ranked chunk
                seen.add((unit.passage.source, unit.start))
                if unit.context == HEADLINE and not asks_title:
                    continue
                if unit.is_field and not self._field_asked(query, unit.text, by_kind=unit.passage.section != FRONT_MATTER_SECTION):
                    continue  # "Employees: 11-50" answers a question about staff, not about funding
                out.append(Candidate.of(unit, rank))
        return out

    def _field_asked(self, query: Query, field_line: str, by_kind: bool = True) -> bool:
        """Whether the question may ask for this field: its key, a near-synonym, or (`by_kind`) its kind of value."""
        key = words(field_key(field_line))
        kind = asked_kind(query)
        if by_kind and (kind == "place" and "location" in key or kind == "time" and has_date(field_line)):
            return True
        if by_kind and kind == "number" and any(ch.isdigit() for ch in field_line):
            return True
        return self._field_named(query, field_line)

    def _field_named(self, query: Query, field: str) -> bool:
        """Whether the question names this field's key (given alone or as its line), or a near-synonym of it ("what
        is its source?": "Source: ...")."""
        key = words(field_key(field))
        asked = content_words(query.search_text if _inherits_kind(query) else query.question)
        stems = {stem(w) for w in asked}
        return any(stem(k) in stems for k in key) or bool(self.lexicon.soft_matches(asked, key))

    def score(self, query: Query, candidates: list[Candidate]) -> None:
        """Set each candidate's dense similarity, term coverage and combined score."""
        import numpy as np

        embedder = self.index.embedder
        vectors = np.stack(self.index.sentence_vectors(candidates))
        q_vec = embedder.embed_query(query.search_text)
        dense = vectors @ q_vec
        leaning = [i for i, c in enumerate(candidates) if c.antecedent]
        if leaning:  # "This move has ruffled feathers" is also read after the sentence it points back at
            in_context = np.stack(self.index.sentence_vectors([candidates[i] for i in leaning], in_context=True)) @ q_vec
            dense[leaning] = np.maximum(dense[leaning], in_context)
        if query.is_follow_up:  # the earlier turn must not drown the follow-up's own question ("when does it end?")
            dense = np.maximum(dense, vectors @ embedder.embed_query(query.question))
        weights = self._word_weights(query)
        total = sum(weights.values()) or 1.0
        weight = self.calibration.dense_weight
        for c, sim in zip(candidates, dense):
            c.dense = float(sim)
            c.coverage = self._coverage(weights, c) / total
            c.score = weight * c.dense + (1 - weight) * c.coverage - self.calibration.rank_penalty * c.rank

    def _word_weights(self, query: Query) -> dict[str, float]:
        """Each content word of the question with its term weight; an earlier turn's words count half."""
        weights: dict[str, float] = {}
        if query.previous:
            for word in content_words(query.previous):
                weights[word] = 0.5 * self.lexicon.weight(self.lexicon.term(word))
        # "What does the ending say about the future?": the words saying where to look are not what to find.
        where = _POSITION_WORDS | {"article", "piece", "story", "text", "writer", "author"} if asked_position(
            query.question) else set()
        for word in content_words(with_plain_verbs(query.question)):
            if word not in where:
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
        c.missing = 0.0
        for word, weight in weights.items():
            term = canonical[word]
            if term in present:
                total += weight
            elif term in nearby:
                total += self.calibration.nearby_share * weight
            elif word in soft:
                total += self.calibration.soft_share * soft[word] * weight
            else:
                c.missing = max(c.missing, weight / self.lexicon.max_idf)
        return total


_ORDINALS = frozenset({"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"})


def _numbers(text: str) -> set[str]:
    """The numbers of a text, ordinals too ("the third round")."""
    return {w for w in words(text) if is_number(w) or w in _ORDINALS}


def _gives_other_numbers(c: Candidate, asked: set[str], forms: set[str]) -> bool:
    """Whether a sentence gives another number of the form of one the question names (`asked`, of `forms`: a
    version for a version, a year for a year) and, read under the headings above it, none of them: it speaks of
    another release or year."""
    own = _numbers(c.display)
    return any(_form(n) in forms for n in own) and not (own | _numbers(c.passage.outline)) & asked


def _form(number: str) -> str:
    """A number's form, its digits masked: "3.4" and "2.6" share one, "2025" another, "first" and "third" a third."""
    return "ordinal" if number in _ORDINALS else re.sub(r"\d", "0", number)


# What a lead-in ending on a colon may introduce: a run of units of one of these kinds, or a single sentence.
_LISTED = frozenset({ITEM, ROW, CODE, FIELD_UNIT})


def _with_what_they_introduce(chosen: list[Candidate]) -> list[Candidate]:
    """Each lead-in ("You can use Sick Leave for:") read with what it introduces, as one citation: the list,
    table, code or fields after it in its passage, or the one sentence after it. A lead-in alone says nothing."""
    out: list[Candidate] = []
    for c in chosen:
        if any(o.passage.source == c.passage.source and o.start <= c.start and c.end <= o.end for o in out):
            continue  # a unit already cited inside the list an earlier lead-in introduced
        out.append(_introducing(c) if is_lead_in(c.kind, c.display) else c)
    return out


def _introducing(lead_in: Candidate) -> Candidate:
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
    """Whether the text's own unit is a question ("Q: Do XZ Utils support the .7z format?"): what it restates was
    asked; the answer is what the text says next."""
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


def _is_proper_name(word: str, question: str) -> bool:
    """A capitalised word that is not an acronym: Oracle, not CEO."""
    match = re.search(rf"(?<![\w])({re.escape(word)})(?![\w])", question, re.IGNORECASE)
    return bool(match) and not match.group(1).isupper() and _is_name(word, question)


def _inherits_kind(query: Query) -> bool:
    """A short follow-up with no question word of its own ("And what about Oracle?") asks what the last one asked."""
    if not query.previous or expected_answer_type(query.question) is not None or len(words(query.question)) > 5:
        return False
    return not asks_why_or_how(query.question)  # "How did OpenAI take that?" asks for a manner of its own


def asked_kind(query: Query) -> str | None:
    """The kind of answer a (possibly follow-up) question asks for."""
    return expected_answer_type(query.previous) if _inherits_kind(query) else expected_answer_type(query.question)


def _is_name(word: str, question: str) -> bool:
    """A capitalised word that is not the question's first word: likely a name."""
    match = re.search(rf"(?<![\w])({re.escape(word)})(?![\w])", question, re.IGNORECASE)
    if not match or not match.group(1)[:1].isupper():
        return False
    before = question[: match.start()].rstrip()
    return bool(before) and before[-1] not in ".!?\"“"


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

