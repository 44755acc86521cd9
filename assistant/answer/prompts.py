"""Prompt templates, loaded once from the `prompts/` directory and checked for their placeholders."""

from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path

from assistant.config import project_root
from assistant.errors import ConfigError

REQUIRED_FIELDS = {
    "answer_system": set(),
    "answer_user": {"passages", "question"},
    "condense": {"history", "question"},
}


def prompts_dir() -> Path:
    """The directory the templates are read from."""
    return project_root() / "prompts"


@lru_cache(maxsize=None)
def load_prompt(name: str) -> str:
    """The text of `prompts/NAME.md`, checked to carry exactly the placeholders the code fills."""
    path = prompts_dir() / f"{name}.md"
    try:
        text = path.read_text(encoding="utf-8").strip()
    except OSError:
        raise ConfigError(f"Prompt template {path} is missing: restore it from the repository.") from None
    fields = {f for _, f, _, _ in string.Formatter().parse(text) if f}
    expected = REQUIRED_FIELDS.get(name, set())
    if fields != expected:
        raise ConfigError(
            f"Prompt template {path} has placeholders {sorted(fields)}; expected {sorted(expected)}."
        )
    return text
