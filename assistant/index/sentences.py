"""The answerable sentences of a passage, as the extractive answerer shows and embeds them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.text import has_date
from assistant.ingest.corpus import HEADER_SECTION, PROFILE_PREFIX
from assistant.models import Citation, Passage
from assistant.ingest.segmentation import CODE, FIELD, SENTENCE, TextUnit, fold, read_units
from assistant.text import words

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
PUBLISHED = "Published"
HEADLINE = "Headline"


@dataclass
class SentenceUnit:
    """A sentence of a passage: its exact span, and how it reads out of its passage."""

    passage: Passage
    text: str
    start: int
    end: int
    context: str = ""  # what the sentence is about when it cannot stand alone (a profile's organisation)
    label: str = ""  # how the sentence reads when its own words are not a sentence (tag lines)
    antecedent: str = ""  # the sentence before, when this one opens by pointing back at it ("This move ...")
    kind: str = SENTENCE  # how the text lays it out: a sentence, a heading, a list item, a table row, a field...

    @property
    def key(self) -> str:
        """A stable id: the chunk and the sentence's offset."""
        return f"{self.passage.chunk_id}:{self.start}"

    @property
    def display(self) -> str:
        """The sentence as shown in an answer: profile fields get their organisation in front."""
        body = self.label or (self.text if self.kind == CODE else fold(self.text))
        return f"{self.context} — {body}" if self.context else body

    @property
    def embedded(self) -> str:
        """The text its vector is computed from: the display text, read after its antecedent if it has one."""
        return f"{self.antecedent} {self.display}" if self.antecedent else self.display

    def citation(self, n: int, score: float | None = None) -> Citation:
        """The citation `[n]` of this sentence: its exact quote and span, and the chunk it was read from."""
        return Citation(n=n, source=self.passage.source, title=self.passage.title, quote=self.text,
                        start=self.start, end=self.end, chunk_id=self.passage.chunk_id, score=score)

    @property
    def entities(self) -> list[tuple[str, int, int]]:
        """The (label, start, end) of each named entity found inside this unit at ingest, offsets into `text`."""
        from assistant.ingest.entities import decode

        return [(label, start - self.start, end - self.start)
                for label, start, end in decode(self.passage.entities, self.passage.start)
                if self.start <= start and end <= self.end]

    @property
    def is_field(self) -> bool:
        """Whether the unit is a `Key: value` field (of a profile, of front matter, of a header): an answer only
        to a question that asks for its key."""
        return self.kind == FIELD


def chunk_of(key: str) -> str:
    """The chunk id of a sentence vector's key (`SentenceUnit.key`, or that key read in context)."""
    return key.split(":", 1)[0]


# Openings that make a sentence lean on the one before: "This move has ruffled feathers", "While it provides ...",
# and those that restate it: "In simpler terms, ...".
_POINTS_BACK = re.compile(
    r"^\W*((with|for|under|by|after|despite)\s+(this|that|these|those|such)\b|"
    r"this|that|these|those|it|its|they|their|such|however|but|yet|still|instead|meanwhile|thus|therefore|"
    r"hence|consequently|(while|although|though|because|as|since|if|when)\s+(it|they|this|that|these|those)\b|"
    r"in (simpler|simple|other|plain) (terms|words)|put simply|simply put|in short|that is to say)\b",
    re.IGNORECASE,
)


CONTEXT_SUFFIX = "~in-context"


def vector_texts(units: list[SentenceUnit], in_context: bool = False) -> dict[str, str]:
    """The texts to embed for these units, by vector key: each display text, or each read after its antecedent.

    Only units with an antecedent have an in-context vector.
    """
    if in_context:
        return {u.key + CONTEXT_SUFFIX: u.embedded for u in units if u.antecedent}
    return {u.key: u.display for u in units}


def points_back(sentence: str) -> bool:
    """Whether a sentence opens by referring to the sentence before it."""
    return bool(_POINTS_BACK.match(sentence))


def sentence_units(passage: Passage) -> list[SentenceUnit]:
    """Every sentence of a passage that could answer a question, with its display context."""
    is_profile = passage.section.startswith(PROFILE_PREFIX)
    organisation = passage.section.removeprefix(PROFILE_PREFIX)
    units = []
    previous = ""
    for span in passage_units(passage):
        text = passage.text[span.start - passage.start : span.end - passage.start]
        unit = SentenceUnit(passage, text, span.start, span.end, kind=span.kind)
        if previous and points_back(text):
            unit.antecedent = fold(previous)
        previous = text
        if passage.section == HEADER_SECTION:
            unit.context = PUBLISHED if has_date(text) else HEADLINE
        elif is_profile:
            unit.context = organisation
            if span.kind != FIELD:
                if len(_CAMEL.findall(text)) < 3:
                    continue  # the organisation's name, repeated as scraped profiles show it
                unit.label = "categories: " + _CAMEL.sub(", ", text)
        elif len(words(text)) < 2:
            continue
        units.append(unit)
    return units


def passage_units(passage: Passage) -> tuple[TextUnit, ...]:
    """The units of a passage as ingest read them; a passage without a recorded layout is read now."""
    from assistant.ingest.chunking import decode_units

    if passage.layout:
        return decode_units(passage.layout, passage.start)
    return tuple(TextUnit(u.start + passage.start, u.end + passage.start, u.kind) for u in read_units(passage.text))
