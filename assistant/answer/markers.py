"""Citation markers in an answer's text: "[2]" points at citation 2."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

_MARKER = re.compile(r"\[(\d{1,3})\]")
_MARKER_AND_SPACE = re.compile(r"[ \t]*\[\d{1,3}\]")  # removed with the space before it: "fast [1]." -> "fast."


def cited(text: str) -> list[int]:
    """The numbers of the markers in a text, in order."""
    return [int(n) for n in _MARKER.findall(text)]


def without_markers(text: str) -> str:
    """The text with its markers removed."""
    return _MARKER.sub("", text)


def renumbered(text: str, number: Callable[[int], int | None]) -> str:
    """The text with each marker [n] renumbered [number(n)], or removed where `number` gives None."""

    def replace(match: re.Match) -> str:
        new = number(int(match.group(1)))
        return "" if new is None else f"[{new}]"

    return _MARKER.sub(replace, text)


@dataclass(frozen=True)
class MarkedSentence:
    """A sentence of a model's reply, its markers read off it."""

    plain: str  # the sentence without its markers, its spaces folded
    numbers: list[int]  # its markers, and those written after its full stop ("... for 7-Zip. [1]")
    start: int  # where it begins in the reply
    end: int  # where it ends, trailing markers included


def marked_sentences(text: str) -> list[MarkedSentence]:
    """The sentences of a reply, line by line, cut as the documents' sentences are (`sentence_split`), each with the
    markers that cite it. A marker standing alone after a sentence's full stop cites that sentence; markers before
    the first sentence cite it. A reply of markers alone is one sentence with no text."""
    sentences: list[MarkedSentence] = []
    waiting: list[int] = []  # markers seen before any sentence
    waiting_from: int | None = None
    line_start = 0
    for line in text.split("\n"):
        line_end = line_start + len(line)
        for start, end in _units(text, line, line_start, line_end):
            piece = text[start:end]
            numbers = cited(piece)
            plain = " ".join(_MARKER_AND_SPACE.sub("", piece).split())
            if not any(ch.isalnum() for ch in plain):
                if sentences:
                    last = sentences[-1]
                    sentences[-1] = MarkedSentence(last.plain, last.numbers + numbers, last.start, end)
                else:
                    waiting += numbers
                    waiting_from = start if waiting_from is None else waiting_from
                continue
            begins = start if waiting_from is None else waiting_from
            sentences.append(MarkedSentence(plain, waiting + numbers, begins, end))
            waiting, waiting_from = [], None
        line_start = line_end + 1
    if waiting and not sentences:
        sentences.append(MarkedSentence("", waiting, waiting_from or 0, len(text.rstrip())))
    return sentences


def _units(text: str, line: str, start: int, end: int) -> list[tuple[int, int]]:
    """The spans of the sentences of one line of a reply; a table row ("| a | b |") is one."""
    from assistant.ingest.segmentation import sentence_split

    stripped = line.strip()
    if not stripped:
        return []
    if stripped.startswith("|"):
        lead = len(line) - len(line.lstrip())
        return [(start + lead, start + lead + len(stripped))]
    return [(unit.start, unit.end) for unit in sentence_split(text, start, end)]


def with_markers(sentence: str, numbers: list[int]) -> str:
    """A sentence with its markers before its closing punctuation ("It lasts until 2030 [1].")."""
    if not numbers:
        return sentence
    marks = "".join(f"[{n}]" for n in numbers)
    body = sentence.rstrip()
    closing = len(body) - len(body.rstrip(_CLOSING))
    if closing:
        return f"{body[:-closing].rstrip()} {marks}{body[-closing:]}"
    return f"{body} {marks}"


_CLOSING = ".!?:"
