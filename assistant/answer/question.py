"""A question analysed once: what it asks for, about what, and how it leans on the conversation."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from assistant.answer.answer_types import (
    asked_position,
    asks_amount,
    asks_why_or_how,
    expected_answer_type,
    first_wh_word,
    plain_verbs,
    time_frame,
    without_form_phrases,
)
from assistant.answer.conversation import Query
from assistant.index.lexicon import content_words
from assistant.text import is_number, stem, terms, words

# Words that only say where in the text to look ("how does the article wrap up?").
POSITION_WORDS = frozenset({
    "wrap", "wraps", "up", "open", "opens", "opening", "begin", "begins", "beginning", "start", "starts", "intro",
    "introduction", "lead", "lede", "first", "end", "ends", "ending", "close", "closes", "closing", "conclude",
    "concludes", "conclusion", "concluding", "final", "finish", "finishes", "last", "line", "lines", "sentence",
    "paragraph", "image", "words", "thought", "thoughts"})
# Words naming the text itself, which say where to look when the question asks about its opening or ending.
_TEXT_WORDS = frozenset({"article", "piece", "story", "text", "writer", "author"})
# A question about the document itself ("what date is on the piece?").
_DOCUMENT_WORDS = frozenset({"article", "piece", "story", "report", "post", "document"})
CONDITION_WORDS = frozenset({"if", "unless", "suppose", "provided"})
NEGATION_WORDS = frozenset({"not", "no", "never", "cannot", "unable", "fail", "fails", "without"})
TITLE_STEMS = frozenset({"titl", "headlin", "call", "name"})
# Stems of the verbs that say a piece came out: "when did the story go up / come out / run?"
PUBLISHING_STEMS = frozenset({"publish", "pub", "written", "write", "wrote", "post", "releas", "appear", "date", "go",
                              "went", "come", "came", "run", "ran", "live", "up", "out"})
# Words that name the kind of answer ("what year", "how many people") rather than what it is about.
TYPE_WORDS = frozenset({
    "date", "year", "day", "month", "time", "long", "number", "amount", "figure", "place", "name", "people", "person",
    "percent", "percentage", "much", "many", "big", "large", "old", "city", "town", "country", "state", "location",
    "headquarters", "outlet", "publication", "newspaper", "situated", "located", "based", "headquartered", "hq",
    "two", "three", "both"})  # "the two companies" names no one thing an answer stands next to
ORDINALS = frozenset({"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"})


def negates(text: str) -> bool:
    """Whether a text says something is not so ("can't", "never", "without")."""
    lowered = text.lower()
    return "n't" in lowered or "n’t" in lowered or bool(NEGATION_WORDS & set(words(lowered)))


def number_words(text: str) -> set[str]:
    """The numbers of a text, ordinals too ("the third round")."""
    return {w for w in words(text) if is_number(w) or w in ORDINALS}


def number_form(number: str) -> str:
    """A number's form, its digits masked: "3.4" and "2.6" share one, "2025" another, "first" and "third" a third."""
    return "ordinal" if number in ORDINALS else "".join("0" if ch.isdigit() else ch for ch in number)


def is_name(word: str, text: str) -> bool:
    """A capitalised word that is not the text's first word: likely a name."""
    at = _find_word(word, text)
    if at is None or not text[at][:1].isupper():
        return False
    before = text[:at].rstrip()
    return bool(before) and before[-1] not in ".!?\"“"


def is_proper_name(word: str, text: str) -> bool:
    """A capitalised word that is not an acronym: Acme, not CEO."""
    at = _find_word(word, text)
    return at is not None and not text[at : at + len(word)].isupper() and is_name(word, text)


def _find_word(word: str, text: str) -> int | None:
    """Where `word` first stands as a whole word in `text`, case aside."""
    lowered, target = text.lower(), word.lower()
    at = lowered.find(target)
    while at >= 0:
        end = at + len(target)
        if (at == 0 or not (lowered[at - 1].isalnum() or lowered[at - 1] == "_")) and (
                end == len(lowered) or not (lowered[end].isalnum() or lowered[end] == "_")):
            return at
        at = lowered.find(target, at + 1)
    return None


@dataclass(frozen=True)
class Question:
    """What one (condensed) question asks, read once and passed to every step of the answer.

    `text` is the question as asked; `question` the same without the words that ask how to answer ("in plain
    English"), with the corpus's acronyms spelled out; `search_text` what retrieval searched with.
    """

    text: str
    question: str
    search_text: str
    previous: str | None = None
    said: str | None = None  # the assistant's last reply

    @classmethod
    def read(cls, query: Query, spell_out=lambda text: text) -> Question:
        """The question of a condensed query, its acronyms spelled out by `spell_out`."""
        return cls(query.question, spell_out(without_form_phrases(query.question)), query.search_text, query.previous,
                   query.said)

    @property
    def is_follow_up(self) -> bool:
        """Whether the question was read together with an earlier one."""
        return self.previous is not None

    @cached_property
    def explains(self) -> bool:
        """Whether it asks for a reason, a manner or a consequence rather than a value."""
        return asks_why_or_how(self.question)

    @cached_property
    def inherits_kind(self) -> bool:
        """A short follow-up with no question word of its own ("And what about Acme?") asks what the last one asked;
        "How did they take that?" asks for a manner of its own."""
        if not self.previous or expected_answer_type(self.question) is not None or len(words(self.question)) > 5:
            return False
        return not self.explains

    @cached_property
    def kind(self) -> str | None:
        """The kind of answer it asks for: 'percent', 'time', 'number', 'place', 'name' or None."""
        return expected_answer_type(self.previous if self.inherits_kind else self.question)

    @cached_property
    def wants_amount(self) -> bool:
        """"How much ...": an amount, not a count, answers it."""
        return asks_amount(self.question)

    @cached_property
    def asks_who(self) -> bool:
        """Its question word is "who": people or a group answer it."""
        return first_wh_word(self.question) in ("who", "whom")

    @cached_property
    def named(self) -> set[str]:
        """The words of the question and of what the conversation said: a name among them is not a new answer."""
        return set(words(f"{self.question} {self.conversation}"))

    @cached_property
    def question_words(self) -> set[str]:
        """The question's own words."""
        return set(words(self.question))

    @cached_property
    def conversation(self) -> str:
        """What was searched and said so far: names in it are not the new name asked for."""
        return f"{self.search_text} {self.said or ''}"

    @cached_property
    def position(self) -> str | None:
        """'opening' or 'closing' when it asks how the text begins or ends."""
        return asked_position(self.question)

    @cached_property
    def frame(self) -> str | None:
        """'past' or 'present' when it asks about one time ("before", "now")."""
        return time_frame(self.question)

    @cached_property
    def terms(self) -> set[str]:
        """Its index terms."""
        return set(terms(self.question))

    @cached_property
    def asks_title(self) -> bool:
        """Whether it asks what something is called (a headline, a title, a name)."""
        return bool(TITLE_STEMS & self.terms)

    @cached_property
    def asks_if(self) -> bool:
        """Whether it states a condition ("and if they can't deliver?")."""
        return bool(CONDITION_WORDS & set(words(self.question)))

    @cached_property
    def asks_not(self) -> bool:
        """Whether it is put in the negative."""
        return negates(self.question)

    @cached_property
    def mentions_document(self) -> bool:
        """Whether it names the document itself ("the article", "the report")."""
        return bool(_DOCUMENT_WORDS & set(words(self.question)))

    @cached_property
    def numbers(self) -> set[str]:
        """The numbers it names, ordinals too."""
        return number_words(self.question)

    @cached_property
    def number_forms(self) -> set[str]:
        """The forms of those numbers (a version, a year, an ordinal)."""
        return {number_form(n) for n in self.numbers}

    @cached_property
    def searched_words(self) -> set[str]:
        """The words retrieval searched with."""
        return set(words(self.search_text))

    @cached_property
    def searched_stems(self) -> set[str]:
        """Their stems."""
        return {stem(w) for w in self.searched_words}

    @cached_property
    def said_terms(self) -> set[str]:
        """The index terms of the reply the user has just read."""
        return set(terms(self.said or ""))

    @cached_property
    def content_words(self) -> list[str]:
        """Its content words."""
        return content_words(self.question)

    @cached_property
    def field_words(self) -> list[str]:
        """The words that may name a field it asks for (a follow-up inheriting its kind: with the earlier question)."""
        return content_words(self.search_text) if self.inherits_kind else self.content_words

    @cached_property
    def weighted_words(self) -> list[str]:
        """The words whose weight term coverage measures: its own, phrasal verbs also in one word, without the
        words that only say where to look ("What does the ending say about the future?")."""
        where = POSITION_WORDS | _TEXT_WORDS if self.position else frozenset()
        own = self.content_words + content_words(" ".join(plain_verbs(self.question)))
        return [w for w in own if w not in where]

    @cached_property
    def previous_words(self) -> list[str]:
        """The content words of the earlier question it leans on."""
        return content_words(self.previous) if self.previous else []

    def is_proper_name(self, word: str) -> bool:
        """Whether `word` is a proper name in the question or in the earlier one."""
        return is_proper_name(word, self.question) or is_proper_name(word, self.previous or "")
