"""Citation markers in an answer's text: "[2]" points at citation 2."""

from __future__ import annotations

import re
from collections.abc import Callable

_MARKER = re.compile(r"\[(\d{1,3})\]")


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
