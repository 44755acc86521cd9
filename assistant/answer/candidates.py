"""The sentence units of the retrieved passages that could answer a question, and the checks that they fit it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.answer.question import TYPE_WORDS, Question, is_name, is_proper_name, number_form, number_words
from assistant.answer.values import field_key_of, has_answer_type, value_windows
from assistant.index.lexicon import content_words, initials
from assistant.index.sentences import HEADLINE, PUBLISHED, SentenceUnit, sentence_units
from assistant.ingest.corpus import FRONT_MATTER_SECTION, HEADER_SECTION
from assistant.ingest.segmentation import field_key
from assistant.text import STOPWORDS, has_date, is_number, stem, terms, words

if TYPE_CHECKING:
    from assistant.answer.calibration import Calibration
    from assistant.index.lexicon import Lexicon
    from assistant.models import Passage


@dataclass
class Candidate(SentenceUnit):
    """A sentence unit of a retrieved passage, scored against the question."""

    rank: int = 0
    dense: float = 0.0
    coverage: float = 0.0
    score: float = 0.0

    @classmethod
    def of(cls, unit: SentenceUnit, rank: int) -> Candidate:
        """A candidate for a unit of the passage ranked `rank` by retrieval."""
        return cls(unit.passage, unit.text, unit.start, unit.end, unit.context, unit.label, unit.antecedent, unit.kind,
                   rank=rank)


class Reader:
    """Reads a question against the corpus's vocabulary: its distinctive words, the fields it names, and which
    candidates fit it."""

    def __init__(self, lexicon: Lexicon, calibration: Calibration):
        self.lexicon = lexicon
        self.calibration = calibration

    def focus_words(self, text: str) -> list[str]:
        """A text's distinctive words (rare in the corpus, or absent): what an answer's value must stand next to."""
        bar = self.calibration.focus_idf_share * self.lexicon.max_idf
        return [w for w in content_words(text) if w not in TYPE_WORDS and self.lexicon.weight(stem(w)) >= bar]

    def unknown_specifics(self, question: Question) -> list[str]:
        """Numbers and names in the question that occur nowhere in the corpus: the documents can't say."""
        unknown = []
        for word in words(question.question):
            if word in STOPWORDS or self.lexicon.knows(word, stem(word)):
                continue
            if is_number(word) or is_name(word, question.question):
                unknown.append(word)
        return unknown

    def candidates(self, question: Question, passages: list[Passage]) -> list[Candidate]:
        """The sentence units of the passages that could answer this question."""
        out = []
        seen: set[tuple[str, int]] = set()
        for rank, passage in enumerate(passages, start=1):
            for unit in sentence_units(passage):
                if (unit.passage.source, unit.start) in seen:
                    continue  # overlapping chunks share sentences: each is read once, from its best-ranked chunk
                seen.add((unit.passage.source, unit.start))
                if unit.context == HEADLINE and not question.asks_title:
                    continue  # a headline or a publication line answers only what it is: a title, a date
                if unit.context == PUBLISHED and not (question.kind == "time" or question.mentions_document):
                    continue
                if unit.is_field and not self._field_asked(question, unit.text,
                                                           by_kind=unit.passage.section != FRONT_MATTER_SECTION):
                    continue  # "Employees: 11-50" answers a question about staff, not about funding
                out.append(Candidate.of(unit, rank))
        return out

    def _field_asked(self, question: Question, field_line: str, by_kind: bool = True) -> bool:
        """Whether the question may ask for this field: its key, a near-synonym, or (`by_kind`) its kind of value."""
        key = words(field_key(field_line))
        kind = question.kind
        if by_kind and (kind == "place" and "location" in key or kind == "time" and has_date(field_line)):
            return True
        if by_kind and kind == "number" and any(ch.isdigit() for ch in field_line):
            return True
        return self.field_named(question, field_line)

    def field_named(self, question: Question, field: str) -> bool:
        """Whether the question names this field's key (given alone or as its line), or a near-synonym of it ("what
        is its source?": "Source: ...")."""
        key = words(field_key(field))
        asked = question.field_words
        stems = {stem(w) for w in asked}
        return any(stem(k) in stems for k in key) or bool(self.lexicon.soft_matches(asked, key))

    def fitting(self, question: Question, candidates: list[Candidate]) -> list[Candidate]:
        """Candidates of the kind the question asks for, about what it asks about."""
        kind = question.kind
        focus = self.focus_words(question.question)
        if question.inherits_kind:
            focus += [w for w in self.focus_words(question.previous) if not is_name(w, question.previous)]
        known = [w for w in focus if stem(w) in self.lexicon.idf]
        # A name may stand next to a near-synonym of a word the corpus never uses ("unhappy": "dissatisfied"); an
        # amount or a date may not: "budget" is near any "$" in the text.
        near_words = focus if kind == "name" else known
        said = question.said_terms
        fitting = []
        for c in candidates:
            own = set(terms(c.display))
            if said and own and len(own & said) >= self.calibration.already_said * len(own):
                continue  # the follow-up asks for more than the reply the user has just read
            if said and c.is_field and set(terms(_field_value(c.text))) <= said:
                continue  # "Founded date: 2013" after the reply "In 2013": its value was the last answer
            if not has_answer_type(c.text, kind, question, c.entities):
                continue
            organisation = c.context if c.context not in ("", PUBLISHED, HEADLINE) else ""
            if organisation and not (set(terms(organisation)) <= question.searched_stems
                                     or initials(organisation) in question.searched_words):
                continue  # a profile field answers questions about its own organisation only
            if organisation and self._names_another(question, organisation):
                continue  # "How much has A invested in B?" is not B's total raised
            if kind in ("time", "number", "name") and known and not self._value_near_focus(c, organisation,
                                                                                            near_words, question):
                continue
            if kind is not None and not self._holds_known_focus(c, known, question):
                continue
            if question.numbers and _gives_other_numbers(c, question):
                continue  # "the tweak of release 3.6" is not answered by a sentence about release 3.4
            fitting.append(c)
        return fitting

    def _names_another(self, question: Question, organisation: str) -> bool:
        """Whether the question names a second party the corpus knows, besides this organisation."""
        own = set(words(organisation)) | {initials(organisation)}
        return any(w not in own and is_proper_name(w, question.question) and self.lexicon.knows(w, stem(w))
                   for w in question.content_words)

    def _holds_known_focus(self, c: Candidate, known: list[str], question: Question) -> bool:
        """At least half of a wh-question's distinctive corpus words, names aside, must be in the candidate's passage.

        "Who is the CEO of Acme?" must not be answered by a sentence about Acme that names no CEO.
        """
        # Proper names may change in a follow-up ("and Initech?"); acronyms such as CEO or API name the relation.
        relation = {stem(w) for w in known if not question.is_proper_name(w)}
        if not relation:
            return True
        here = set(terms(c.display)) | set(terms(c.passage.section)) | set(terms(c.passage.text))
        return len(relation & here) >= len(relation) / 2

    def _value_near_focus(self, c: Candidate, organisation: str, focus: list[str], question: Question) -> bool:
        """Whether a value of the asked kind (number, date, name) stands next to (a near-synonym of) a focus word.

        "Who took over while X was ousted?" is not answered by a sentence whose only new name is elsewhere.
        """
        extra = words(organisation)
        if c.passage.section == HEADER_SECTION:
            extra += words(c.passage.section)
        focus_terms = {self.lexicon.term(f) for f in focus}
        reach = {"words_around": int(self.calibration.value_window), "chars_around": int(self.calibration.name_window)}
        for window in value_windows(c.text, question.kind, question, c.entities, **reach):
            near = window + extra
            if focus_terms & {self.lexicon.term(w) for w in near} or self.lexicon.soft_matches(focus, near):
                return True
        return False


def _gives_other_numbers(c: Candidate, question: Question) -> bool:
    """Whether a sentence gives another number of the form of one the question names (a version for a version, a
    year for a year) and, read under the headings above it, none of them: it speaks of another release or year."""
    own = number_words(c.display)
    return (any(number_form(n) in question.number_forms for n in own)
            and not (own | number_words(c.passage.outline)) & question.numbers)


def _field_value(text: str) -> str:
    """What a `Key: value` field says (the whole text when it is not one)."""
    key = field_key_of(text)
    return text if key is None else text[len(key) + 2 :]
