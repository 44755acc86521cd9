"""Words and sentences: the tokeniser shared by BM25 and the answerers, and sentence spans."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_CURRENCY = re.compile(r"[$€£]")
_CURRENCY_WORDS = {"$": "dollars", "€": "euros", "£": "pounds"}
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
MONTH = re.compile(r"\b(January|February|March|April|May|June|July|August|September|October|November|December)\b")
_TOKEN = re.compile(r"\w+")
_WORD = re.compile(r"[A-Za-z0-9]+(?:[.,][0-9]+)*[A-Za-z]*")
# A sentence ends at . ! or ? (optionally closed by a quote or bracket) followed by space; a line
# break ends one too, since the corpus header is a list of short lines.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*(\s+)|(\n+)")

FUNCTION_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had has
    have having he her here hers herself him himself his how i if in into is it its itself just me more
    most my myself no nor not now of off on once only or other our ours ourselves out over own same she
    should so some such than that the their theirs them themselves then there these they this those
    through to too under until up very was we were what when where which while who whom why will with
    would you your yours yourself yourselves s t don doesn didn isn aren wasn weren won wouldn shouldn
    couldn can't cannot let lets tell say says said know please much many us may might must shall get
    gets got besides except apart aside instead whether either neither ever exactly really actually
    also just anything something everything anyone someone""".split()
)
# Words about the source itself ("according to the article", "per the company profile") carry no content.
SOURCE_WORDS = frozenset("""according per article articles piece writer author document documents text story profile
    mention mentioned mentions company companies firm organisation organization""".split())
STOPWORDS = FUNCTION_WORDS | SOURCE_WORDS


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """The English stem of one lower-cased word."""
    return _stemmer().stemWord(word)


def words(text: str) -> list[str]:
    """Lower-cased words and numbers of a text, in order; a currency sign reads as its word ("$100" -> dollars 100)."""
    return [w.lower().replace(",", "") for w in _WORD.findall(_CURRENCY.sub(_currency_word, text))]


def _currency_word(match: re.Match) -> str:
    return f" {_CURRENCY_WORDS[match.group(0)]} "


def terms_signature() -> str:
    """What `terms` depends on (its patterns, stop words and the stemmer's version): terms stored by an index
    are reused only while it is unchanged."""
    import hashlib

    import Stemmer

    parts = [_WORD.pattern, _CURRENCY.pattern, repr(sorted(_CURRENCY_WORDS.items())), " ".join(sorted(STOPWORDS)),
             str(Stemmer.version())]
    return hashlib.blake2b("\n".join(parts).encode("utf-8"), digest_size=8).hexdigest()


def terms(text: str) -> list[str]:
    """Stemmed content terms of a text: the tokens BM25 and lexical overlap work on."""
    return [stem(w) for w in words(text) if w not in STOPWORDS]


def is_number(term: str) -> bool:
    """Whether a token is a number (a year, an amount)."""
    return term[:1].isdigit()


@dataclass(frozen=True)
class Span:
    """A piece of a text with its character offsets in that text."""

    text: str
    start: int
    end: int


def sentence_spans(text: str, offset: int = 0) -> list[Span]:
    """Split a text into sentences, keeping each sentence's offsets (shifted by `offset`)."""
    spans = []
    cursor = 0
    for match in _SENTENCE_END.finditer(text):
        gap = match.lastindex
        _append_span(spans, text, cursor, match.start(gap), offset)
        cursor = match.end()
    _append_span(spans, text, cursor, len(text), offset)
    return spans


def _append_span(spans: list[Span], text: str, start: int, end: int, offset: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped:
        return
    lead = len(piece) - len(piece.lstrip())
    begin = start + lead
    spans.append(Span(stripped, offset + begin, offset + begin + len(stripped)))


def clean_question(text: str) -> str:
    """A question with control characters removed and white space folded."""
    without_controls = "".join(ch if ch.isprintable() or ch in "\n\t" else " " for ch in text)
    return " ".join(without_controls.split())


def has_date(text: str) -> bool:
    """Whether a text holds a year or a month name."""
    return bool(_YEAR.search(text) or MONTH.search(text))


def word_spans(text: str) -> list[tuple[str, int, int]]:
    """Each run of word characters of a text, lower-cased, with its offsets: "what's" is "what" and "s"."""
    return [(m.group(0).lower(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
