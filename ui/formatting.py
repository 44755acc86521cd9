"""Pure text helpers every tab draws with: HTML escaping, one-line shortening, error messages.

Nothing here touches gradio, files or the network, so every function is testable on its own.
"""

from __future__ import annotations

ERROR_PREFIX = "⚠️ "


# In one pass, so that no entity written is escaped again: HTML's five as html.escape writes them, then every
# character markdown or LaTeX reads as markup ("_draft_.md" is no italic, "[1](x)" no link, "$5" no formula).
_AS_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;", "\n": "<br>",
                          **{c: f"&#{ord(c)};" for c in "$*_`[]~#|\\"}})


def escape(text: str) -> str:
    """Return text safe inside HTML or markdown (a chat message, a report): no tags, no markdown or LaTeX
    triggers; line breaks as <br>."""
    return text.translate(_AS_TEXT)


def shorten(text: str, limit: int = 90) -> str:
    """Return text on one line, cut at a word boundary with an ellipsis when longer than `limit`."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0] + "…"


def error_message(text: str) -> str:
    """Return an error as a message the chat's history reader recognises and leaves out."""
    return ERROR_PREFIX + text
