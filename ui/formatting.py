"""Pure text helpers every tab draws with: HTML escaping, one-line shortening, error messages.

Nothing here touches gradio, files or the network, so every function is testable on its own.
"""

from __future__ import annotations

import html

ERROR_PREFIX = "⚠️ "


def escape(text: str) -> str:
    """Return text safe inside HTML in a chat message: no tags, no markdown or LaTeX triggers."""
    escaped = html.escape(text, quote=True)
    return escaped.replace("$", "&#36;").replace("*", "&#42;").replace("_", "&#95;").replace("\n", "<br>")


def shorten(text: str, limit: int = 90) -> str:
    """Return text on one line, cut at a word boundary with an ellipsis when longer than `limit`."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0] + "…"


def error_message(text: str) -> str:
    """Return an error as a message the chat's history reader recognises and leaves out."""
    return ERROR_PREFIX + text
