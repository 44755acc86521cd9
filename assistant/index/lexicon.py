"""The corpus vocabulary: term weights, acronyms, and soft matches between a question's words and a sentence's."""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from assistant.text import STOPWORDS, stem, words

if TYPE_CHECKING:
    from collections.abc import Iterable

    import numpy as np

    from assistant.index.embeddings import Embedder
    from assistant.index.files import CorpusStats

_CAPITAL_RUN = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+){1,3}")
# "artificial general intelligence (AGI)": a phrase, then its initials in brackets. The brackets are found
# first and the phrase read back from them: the one pattern tried at every word was 0.7 s a megabyte.
_BRACKETED_ACRONYM = re.compile(r"\(([A-Z]{2,6})\)")
_PHRASE_BEFORE = re.compile(r"((?:[A-Za-z]+[\s-]+){1,6})$")
_PHRASE_REACH = 200  # characters read back from the brackets: six words and more
_UPPER_WORD = re.compile(r"\b[A-Z]{2,6}\b")
MIN_SHARED_PREFIX = 5  # stems this long of which one extends the other are one word ("deliv", "deliveri")


class Lexicon:
    """IDF of every corpus term, the acronyms the corpus spells out, and word vectors on demand."""

    def __init__(self, stats: CorpusStats, embedder: Embedder, *, soft_match_min: float):
        documents = max(stats.chunks, 1)
        self.idf = {term: math.log(1 + documents / count) for term, count in stats.document_frequency.items()}
        self.max_idf = max(self.idf.values(), default=1.0)
        self.acronyms = set(stats.initials) | set(stats.spelled_out)
        self.soft_match_min = soft_match_min
        self._embedder = embedder
        self._vectors: dict[str, np.ndarray] = {}
        self._canonical: dict[str, str] = {}
        self._sorted: list[str] | None = None

    def knows(self, word: str, term: str) -> bool:
        """Whether the corpus uses a word (or spells out the acronym it is)."""
        return term in self.idf or word.lower() in self.acronyms

    def canonical(self, term: str) -> str:
        """The corpus term a stem stands for: itself, or a corpus stem it extends or is extended by.

        The stemmer cuts "delivery" to "deliveri" but "delivering" to "deliv"; both mean the same.
        """
        if term in self.idf or len(term) < MIN_SHARED_PREFIX:
            return term
        if term not in self._canonical:
            shorter = [term[:n] for n in range(MIN_SHARED_PREFIX, len(term)) if term[:n] in self.idf]
            self._canonical[term] = min([*shorter, *self._extending(term)], key=lambda t: (abs(len(t) - len(term)), t),
                                        default=term)
        return self._canonical[term]

    def _extending(self, term: str) -> list[str]:
        """Corpus terms that start with `term`: a run of the sorted vocabulary, found by bisection."""
        import bisect

        if self._sorted is None:
            self._sorted = sorted(self.idf)
        at = bisect.bisect_left(self._sorted, term)
        found = []
        while at < len(self._sorted) and self._sorted[at].startswith(term) and len(found) < 50:
            found.append(self._sorted[at])
            at += 1
        return found

    def term(self, word: str) -> str:
        """The corpus term of a lower-cased word: its stem, or the corpus stem that stem stands for."""
        return self.canonical(stem(word))

    def weight(self, term: str) -> float:
        """A term's IDF; a word the corpus never uses weighs half as much as its rarest word."""
        return self.idf.get(term, 0.5 * self.max_idf)

    def soft_matches(self, asked: list[str], present: list[str]) -> dict[str, float]:
        """For each asked word absent from `present`, the best cosine to a present word, when above the bar."""
        import numpy as np

        missing = [w for w in asked if w not in present]
        if not missing or not present:
            return {}
        self._embed([*missing, *present])
        target = np.stack([self._vectors[w] for w in present])
        out = {}
        for word in missing:
            best = float((target @ self._vectors[word]).max())
            if best >= self.soft_match_min:
                out[word] = best
        return out

    def _embed(self, vocabulary: list[str]) -> None:
        new = sorted({w for w in vocabulary if w not in self._vectors})
        if new:
            for word, vector in zip(new, self._embedder.embed_texts(new)):
                self._vectors[word] = vector
            if len(self._vectors) > 200_000:
                self._vectors.clear()


def capital_initials(texts: Iterable[str]) -> set[str]:
    """The initials of the runs of capitalised words in the texts ("Financial Times" -> "ft")."""
    runs = {run for text in texts for run in _CAPITAL_RUN.findall(text)}  # a name recurs: its initials once
    return {_initials(run) for run in runs}


def defined_acronyms(texts: list[str], names: list[str]) -> dict[str, str]:
    """Acronyms the corpus spells out, lower-cased, each with its phrase: "artificial general intelligence (AGI)"
    in a text, and the initials of the multi-word `names` (organisations: "Financial Times" is the FT).

    An acronym two phrases share is left out: it could mean either.
    """
    found: dict[str, set[str]] = {}
    for text in texts:
        for bracket in _BRACKETED_ACRONYM.finditer(text):
            match = _PHRASE_BEFORE.search(text, max(0, bracket.start() - _PHRASE_REACH), bracket.start())
            if match is None:
                continue
            acronym = bracket.group(1)
            phrase = " ".join(re.split(r"[\s-]+", match.group(1).strip())[-len(acronym):])
            if _initials(phrase.replace("-", " ")) == acronym.lower():
                found.setdefault(acronym.lower(), set()).add(phrase)
    for name in names:
        if len(name.split()) > 1:
            found.setdefault(_initials(name), set()).add(name)
    return {acronym: phrases.pop() for acronym, phrases in found.items() if len(phrases) == 1}


def spell_out(text: str, acronyms: dict[str, str], known: set[str]) -> str:
    """The text with each acronym the corpus never writes as such followed by its phrase: "Where is the FT
    based?" -> "Where is the FT (Financial Times) based?". Only capitalised acronyms: "ft" may be feet."""

    def expand(match: re.Match) -> str:
        acronym = match.group(0).lower()
        phrase = acronyms.get(acronym)
        if phrase is None or acronym in known or phrase.lower() in text.lower():
            return match.group(0)
        return f"{match.group(0)} ({phrase})"

    return _UPPER_WORD.sub(expand, text)


def initials(phrase: str) -> str:
    """The acronym of a phrase: "Financial Times" -> "ft"."""
    return _initials(phrase)


def content_words(text: str) -> list[str]:
    """Lower-cased words of a text that carry meaning."""
    return [w for w in words(text) if w not in STOPWORDS and not w.isdigit()]


def _initials(phrase: str) -> str:
    return "".join(part[0] for part in phrase.split()).lower()
